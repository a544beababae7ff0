package io.kronika.scheduler.queue;

import io.kronika.scheduler.model.PodInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kube-scheduler's scheduling queue: an active heap ordered by priority (highest first), then age (oldest first);
 * a back-off heap for pods that failed recently (1 s doubling to 10 s by default); an unschedulable pool that a
 * cluster change (a node added or changed, a pod removed) moves back; and the gated pods (schedulingGates) that wait
 * for their gates to be removed. Pods that stay unschedulable for five minutes are retried anyway.
 * Not thread-safe: the scheduling loop owns it.
 */
public final class SchedulingQueue {
    public static final long UNSCHEDULABLE_FLUSH_MILLIS = 5 * 60_000L;

    public enum Where { ACTIVE, BACKOFF, UNSCHEDULABLE, GATED, IN_FLIGHT }

    /** A pod in the queue, with its attempt history. */
    public static final class Entry {
        private PodInfo pod;
        private final long sequence;
        private final long firstSeenNanos;
        private int attempts;
        private long backoffUntilMillis;
        private long unschedulableSinceMillis;
        private long poppedInCycle;
        private Where where;

        Entry(PodInfo pod, long sequence, long firstSeenNanos) {
            this.pod = pod;
            this.sequence = sequence;
            this.firstSeenNanos = firstSeenNanos;
        }

        public PodInfo pod() {
            return pod;
        }

        public int attempts() {
            return attempts;
        }

        public long firstSeenNanos() {
            return firstSeenNanos;
        }

        public Where where() {
            return where;
        }

        public long poppedInCycle() {
            return poppedInCycle;
        }
    }

    private static final Comparator<Entry> PRIORITY_THEN_AGE = Comparator
            .comparingInt((Entry e) -> e.pod.priority()).reversed()
            .thenComparingLong(e -> e.pod.creationMillis())
            .thenComparingLong(e -> e.sequence);

    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final PriorityQueue<Entry> active = new PriorityQueue<>(PRIORITY_THEN_AGE);
    private final PriorityQueue<Entry> backoff = new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.backoffUntilMillis)
            .thenComparingLong(e -> e.sequence));
    private final Map<String, Entry> unschedulable = new HashMap<>();
    private final Map<String, Entry> gated = new HashMap<>();
    private final Map<String, Entry> all = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private long lastStaleScanMillis;
    private boolean scannedOnce;

    public SchedulingQueue(long initialBackoffMillis, long maxBackoffMillis) {
        this.initialBackoffMillis = initialBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
    }

    /** A new pending pod, or a new version of one already queued. */
    public void addOrUpdate(PodInfo pod, long nowMillis) {
        Entry e = all.get(pod.key());
        if (e == null) {
            e = new Entry(pod, sequence.incrementAndGet(), System.nanoTime());
            all.put(pod.key(), e);
            place(e, pod.isGated() ? Where.GATED : Where.ACTIVE);
            return;
        }
        PodInfo previous = e.pod;
        switch (e.where) {
            case ACTIVE -> {
                active.remove(e);
                e.pod = pod;
                active.add(e);
            }
            case IN_FLIGHT -> e.pod = pod;
            case GATED -> {
                e.pod = pod;
                if (!pod.isGated()) {
                    gated.remove(pod.key());
                    place(e, Where.ACTIVE);
                }
            }
            case BACKOFF, UNSCHEDULABLE -> {
                e.pod = pod;
                if (pod.isGated()) {
                    remove(e);
                    place(e, Where.GATED);
                } else if (!previous.schedulingSpecEquals(pod)) {
                    // The pod itself changed in a way that may make it fit: retry (after its back-off).
                    remove(e);
                    place(e, isBackingOff(e, nowMillis) ? Where.BACKOFF : Where.ACTIVE);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    public void delete(String key) {
        Entry e = all.remove(key);
        if (e != null) {
            remove(e);
        }
    }

    /** Keys of every queued pod (a copy). */
    public List<String> keys() {
        return new ArrayList<>(all.keySet());
    }

    public boolean contains(String key) {
        return all.containsKey(key);
    }

    public Where where(String key) {
        Entry e = all.get(key);
        return e == null ? null : e.where;
    }

    /** The most important active pod, now in flight; null when none is active. */
    public Entry pop() {
        Entry e = active.poll();
        if (e == null) {
            return null;
        }
        schedulingCycle++;
        e.attempts++;
        e.poppedInCycle = schedulingCycle;
        e.where = Where.IN_FLIGHT;
        return e;
    }

    /** The in-flight pod was assumed onto a node: the queue forgets it. */
    public void done(Entry e) {
        if (all.get(e.pod.key()) == e) {
            all.remove(e.pod.key());
        }
    }

    /**
     * The in-flight pod fits nowhere. If the cluster changed while it was being scheduled, it goes to back-off
     * (the change may have helped); otherwise it waits in the unschedulable pool for a change.
     */
    public void requeueUnschedulable(Entry e, long nowMillis) {
        if (all.get(e.pod.key()) != e) {
            return;
        }
        e.backoffUntilMillis = nowMillis + backoffMillis(e.attempts);
        if (moveRequestCycle >= e.poppedInCycle) {
            place(e, Where.BACKOFF);
        } else {
            e.unschedulableSinceMillis = nowMillis;
            place(e, Where.UNSCHEDULABLE);
        }
    }

    /** The in-flight (or assumed and then failed) pod is retried after its back-off. */
    public void requeueAfterError(Entry e, PodInfo latest, long nowMillis) {
        Entry current = all.get(e.pod.key());
        if (current != null && current != e) {
            return;
        }
        if (latest != null) {
            e.pod = latest;
        }
        all.put(e.pod.key(), e);
        if (e.where != Where.IN_FLIGHT) {
            remove(e);
        }
        e.backoffUntilMillis = nowMillis + backoffMillis(Math.max(1, e.attempts));
        place(e, Where.BACKOFF);
    }

    /** A cluster change that may let unschedulable pods fit: every one of them is retried (after its back-off). */
    public void moveAllToActiveOrBackoff(long nowMillis) {
        moveRequestCycle = schedulingCycle;
        if (unschedulable.isEmpty()) {
            return;
        }
        List<Entry> moving = new ArrayList<>(unschedulable.values());
        unschedulable.clear();
        for (Entry e : moving) {
            place(e, isBackingOff(e, nowMillis) ? Where.BACKOFF : Where.ACTIVE);
        }
    }

    /** Moves pods whose back-off ended to active, and retries pods unschedulable for too long. */
    public void flush(long nowMillis) {
        while (!backoff.isEmpty() && backoff.peek().backoffUntilMillis <= nowMillis) {
            Entry e = backoff.poll();
            place(e, Where.ACTIVE);
        }
        if (!unschedulable.isEmpty() && (!scannedOnce || nowMillis - lastStaleScanMillis >= 1000)) {
            scannedOnce = true;
            lastStaleScanMillis = nowMillis;
            List<Entry> stale = new ArrayList<>();
            for (Entry e : unschedulable.values()) {
                if (nowMillis - e.unschedulableSinceMillis >= UNSCHEDULABLE_FLUSH_MILLIS) {
                    stale.add(e);
                }
            }
            for (Entry e : stale) {
                unschedulable.remove(e.pod.key());
                place(e, isBackingOff(e, nowMillis) ? Where.BACKOFF : Where.ACTIVE);
            }
        }
    }

    /** When the next back-off ends (Long.MAX_VALUE if none is waiting). */
    public long nextBackoffEndMillis() {
        Entry e = backoff.peek();
        return e == null ? Long.MAX_VALUE : e.backoffUntilMillis;
    }

    public long backoffMillis(int attempts) {
        long d = initialBackoffMillis;
        for (int i = 1; i < attempts && d < maxBackoffMillis; i++) {
            d *= 2;
        }
        return Math.min(d, maxBackoffMillis);
    }

    private boolean isBackingOff(Entry e, long nowMillis) {
        return e.backoffUntilMillis > nowMillis;
    }

    private void place(Entry e, Where where) {
        e.where = where;
        switch (where) {
            case ACTIVE -> active.add(e);
            case BACKOFF -> backoff.add(e);
            case UNSCHEDULABLE -> unschedulable.put(e.pod.key(), e);
            case GATED -> gated.put(e.pod.key(), e);
            case IN_FLIGHT -> {
            }
        }
    }

    private void remove(Entry e) {
        switch (e.where) {
            case ACTIVE -> active.remove(e);
            case BACKOFF -> backoff.remove(e);
            case UNSCHEDULABLE -> unschedulable.remove(e.pod.key());
            case GATED -> gated.remove(e.pod.key());
            case IN_FLIGHT -> {
            }
        }
    }

    public int activeCount() {
        return active.size();
    }

    public int backoffCount() {
        return backoff.size();
    }

    public int unschedulableCount() {
        return unschedulable.size();
    }

    public int gatedCount() {
        return gated.size();
    }

    public int size() {
        return all.size();
    }
}
