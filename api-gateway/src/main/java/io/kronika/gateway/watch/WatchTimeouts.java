package io.kronika.gateway.watch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a watch runs, as kube-apiserver decides with --min-request-timeout: the client's timeoutSeconds, else a
 * random time between the minimum and twice it (so watchers do not all come back at once); never more than twice the
 * minimum, so every watch is re-established (and re-authorised) now and then.
 */
public final class WatchTimeouts {
    private WatchTimeouts() {
    }

    public static long seconds(Long requested, Duration minRequestTimeout) {
        long min = Math.max(1, minRequestTimeout.toSeconds());
        long max = 2 * min;
        if (requested != null && requested > 0) {
            return Math.min(requested, max);
        }
        return min + ThreadLocalRandom.current().nextLong(min + 1);
    }
}
