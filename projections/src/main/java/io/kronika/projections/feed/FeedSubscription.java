package io.kronika.projections.feed;

import io.kronika.projections.EventFeed;
import io.kronika.projections.FeedEndedException;
import io.kronika.projections.FeedEndedException.Reason;
import io.kronika.schemas.ObjectEvent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One subscriber: a bounded queue of events in revision order, drained on a shared executor by at most one task at
 * a time (so the sink sees events one by one, in order). Queued events are checked to be exactly the next revision,
 * which both drops the overlap of catch-up and live delivery and proves there is no gap. The filter runs when
 * draining, off the feed's thread.
 */
final class FeedSubscription implements EventFeed.Subscription {
    private final long afterRevision;
    private final Predicate<ObjectEvent> filter;
    private final Consumer<ObjectEvent> sink;
    private final Consumer<Throwable> onError;
    private final BlockingQueue<ObjectEvent> queue;
    private final Executor delivery;
    private final Consumer<FeedSubscription> onDone;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicReference<FeedEndedException> ending = new AtomicReference<>();
    private volatile long lastQueued;
    private volatile boolean cancelled;
    private boolean endDelivered; // drain task only
    private Runnable stopCatchUp; // guarded by this

    FeedSubscription(long afterRevision, Predicate<ObjectEvent> filter, Consumer<ObjectEvent> sink, Consumer<Throwable> onError,
                     int capacity, Executor delivery, Consumer<FeedSubscription> onDone) {
        this.afterRevision = afterRevision;
        this.lastQueued = afterRevision;
        this.filter = filter;
        this.sink = sink;
        this.onError = onError;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.delivery = delivery;
        this.onDone = onDone;
    }

    long afterRevision() {
        return afterRevision;
    }

    /** The revision of the last event queued (or skipped by revision): the subscriber has everything up to it. */
    long lastQueued() {
        return lastQueued;
    }

    boolean isActive() {
        return !cancelled && ending.get() == null;
    }

    /** From the live tail: never blocks; a full queue ends the subscription. False once it has ended. */
    boolean offerLive(ObjectEvent event) {
        if (!isActive()) {
            return false;
        }
        if (!isNext(event)) {
            return isActive();
        }
        if (!queue.offer(event)) {
            end(Reason.TOO_SLOW, "The watcher fell more than " + (queue.size() + queue.remainingCapacity())
                    + " events behind at revision " + event.getRevision() + "; list again and watch from there", null);
            return false;
        }
        scheduleDrain();
        return true;
    }

    /** From this subscriber's own catch-up reader: waits for room, as the reader can simply read slower. */
    boolean offerCatchingUp(ObjectEvent event) throws InterruptedException {
        if (!isNext(event)) {
            return isActive();
        }
        while (isActive()) {
            if (queue.offer(event, 100, TimeUnit.MILLISECONDS)) {
                scheduleDrain();
                return true;
            }
        }
        return false;
    }

    /** Advances the revision cursor; true if the event is the next one and should be queued. */
    private boolean isNext(ObjectEvent event) {
        long revision = event.getRevision();
        long last = lastQueued;
        if (revision <= last) {
            return false;
        }
        if (revision != last + 1) {
            if (last == afterRevision) {
                end(Reason.GONE, "Revision " + (afterRevision + 1) + " is no longer in the log (it starts at "
                        + revision + "); list again and watch from there", null);
            } else {
                end(Reason.FEED_FAILED, "The log jumps from revision " + last + " to " + revision, null);
            }
            return false;
        }
        lastQueued = revision;
        return true;
    }

    synchronized void onCatchUpStop(Runnable stopper) {
        this.stopCatchUp = stopper;
        if (!isActive() && stopper != null) {
            stopper.run();
        }
    }

    /** Ends the subscription and tells {@code onError} (once, after the sink's last call). */
    void end(Reason reason, String message, Throwable cause) {
        if (cancelled || !ending.compareAndSet(null, new FeedEndedException(reason, message, cause))) {
            return;
        }
        queue.clear();
        release();
        scheduleDrain();
    }

    @Override
    public void close() {
        cancelled = true;
        queue.clear();
        release();
    }

    private void release() {
        Runnable stopper;
        synchronized (this) {
            stopper = stopCatchUp;
            stopCatchUp = null;
        }
        if (stopper != null) {
            stopper.run();
        }
        onDone.accept(this);
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                delivery.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false); // the feed is shut down; nothing will be delivered any more
            }
        }
    }

    private void drain() {
        try {
            while (!cancelled) {
                FeedEndedException end = ending.get();
                if (end != null) {
                    if (!endDelivered) {
                        endDelivered = true;
                        onError.accept(end);
                    }
                    return;
                }
                ObjectEvent event = queue.poll();
                if (event == null) {
                    return;
                }
                if (filter.test(event)) {
                    sink.accept(event);
                }
            }
        } catch (RuntimeException e) {
            end(Reason.SUBSCRIBER_FAILED, "The watcher failed: " + e, e);
        } finally {
            draining.set(false);
            // An event or the end may have arrived after the last look but before draining was cleared.
            if (!cancelled && (!queue.isEmpty() || (ending.get() != null && !endDelivered))) {
                scheduleDrain();
            }
        }
    }
}
