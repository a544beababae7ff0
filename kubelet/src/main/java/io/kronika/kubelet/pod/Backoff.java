package io.kronika.kubelet.pod;

import java.time.Duration;
import java.time.Instant;

/**
 * Kubernetes' restart back-off for one container (or one image): the first retry is immediate, then each wait
 * doubles from {@code initial} up to {@code max}; an entry untouched for twice the maximum starts over.
 * Not thread-safe: a pod's worker owns its back-offs.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration current = Duration.ZERO;
    private Instant lastUpdate;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** Whether a retry must still wait, counting from {@code since} (when the container finished). */
    public boolean inBackoff(Instant since, Instant now) {
        expire(now);
        return !current.isZero() && now.isBefore(since.plus(current));
    }

    /** When the back-off counted from {@code since} ends. */
    public Instant until(Instant since) {
        return since.plus(current);
    }

    /** Records a retry now and grows the next wait. */
    public void next(Instant now) {
        expire(now);
        current = current.isZero() ? initial : min(current.multipliedBy(2), max);
        lastUpdate = now;
    }

    public Duration current() {
        return current;
    }

    public void reset() {
        current = Duration.ZERO;
        lastUpdate = null;
    }

    private void expire(Instant now) {
        if (lastUpdate != null && Duration.between(lastUpdate, now).compareTo(max.multipliedBy(2)) > 0) {
            reset();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** "10s", "2m40s", "5m0s": Go's duration format, as Kubernetes' back-off messages print it. */
    public static String goDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 60) {
            long millis = d.toMillis();
            return millis % 1000 == 0 ? seconds + "s" : (millis / 1000.0) + "s";
        }
        long minutes = seconds / 60;
        return minutes + "m" + (seconds % 60) + "s";
    }
}
