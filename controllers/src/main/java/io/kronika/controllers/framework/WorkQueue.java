package io.kronika.controllers.framework;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Kubernetes' rate-limited work queue, keyed by object: a key is queued at most once, handed to one worker at a time
 * (a key added while it is processed is queued again once it is done), can be added after a delay, and is retried
 * with per-key exponential back-off ({@code baseDelay} doubling up to {@code maxDelay}) until it is forgotten.
 */
public final class WorkQueue {
    private final ScheduledExecutorService timers;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private boolean shutDown;

    public WorkQueue(ScheduledExecutorService timers, Duration baseDelay, Duration maxDelay) {
        this.timers = timers;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public synchronized void add(String key) {
        if (shutDown) {
            return;
        }
        if (processing.contains(key)) {
            dirty.add(key);
            return;
        }
        if (queue.add(key)) {
            notifyAll();
        }
    }

    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        timers.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds after this key's back-off, which doubles with each call until {@link #forget}. */
    public void addRateLimited(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum);
        }
        long delay = baseDelay.toMillis() << Math.min(n - 1, 20);
        addAfter(key, Duration.ofMillis(Math.min(delay, maxDelay.toMillis())));
    }

    public synchronized void forget(String key) {
        failures.remove(key);
    }

    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    /** The next key to process, or null once shut down. Call {@link #done} after processing it. */
    public synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !shutDown) {
            wait();
        }
        if (shutDown) {
            return null;
        }
        var it = queue.iterator();
        String key = it.next();
        it.remove();
        processing.add(key);
        return key;
    }

    public synchronized void done(String key) {
        processing.remove(key);
        if (dirty.remove(key) && !shutDown) {
            queue.add(key);
            notifyAll();
        }
    }

    public synchronized int length() {
        return queue.size();
    }

    public synchronized boolean idle() {
        return queue.isEmpty() && processing.isEmpty();
    }

    public synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }
}
