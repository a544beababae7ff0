package io.kronika.projections;

/** Why an {@link EventFeed} subscription ended; what {@code onError} is told. */
public final class FeedEndedException extends RuntimeException {
    public enum Reason {
        /** The revision after the requested one is no longer in the log (Kubernetes: 410 Gone, re-list). */
        GONE,
        /** The subscriber fell too far behind and its queue overflowed (Kubernetes closes such watches: re-list). */
        TOO_SLOW,
        /** The subscriber's sink or filter threw. */
        SUBSCRIBER_FAILED,
        /** The feed could not read the log, or found it inconsistent. */
        FEED_FAILED,
        /** The feed was closed (shutdown). */
        FEED_CLOSED
    }

    private final Reason reason;

    public FeedEndedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FeedEndedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
