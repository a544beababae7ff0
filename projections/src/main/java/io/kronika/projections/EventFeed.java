package io.kronika.projections;

import io.kronika.schemas.ObjectEvent;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Ordered delivery of events to watchers: every event after a revision, in order, once. Watchers that start in
 * the past catch up from the log, then join the live tail that all watchers share.
 */
public interface EventFeed {
    /**
     * Delivers to {@code sink}, in revision order, every event with revision greater than {@code afterRevision}
     * that {@code filter} accepts, until the subscription is closed. {@code onError} is told when the feed can not
     * go on (e.g. the revision is no longer in the log); nothing is delivered after that. Implementations tell it a
     * {@link FeedEndedException}, whose reason says whether the client should re-list (GONE, TOO_SLOW) or not.
     */
    Subscription subscribe(long afterRevision, Predicate<ObjectEvent> filter, Consumer<ObjectEvent> sink, Consumer<Throwable> onError);

    /** The lowest revision still in the log (watches may start from one before it). */
    long oldestRevision();

    /** The revision of the last event at or before {@code time} by the events' timestamps (0 when none is). */
    long revisionAt(Instant time);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
