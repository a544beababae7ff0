package io.kronika.projections.testing;

import io.kronika.schemas.ObjectEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A subscriber's sink and error handler that tests can wait on (monitor, bounded waits; no sleeping). */
public final class EventCollector implements Consumer<ObjectEvent> {
    private final List<ObjectEvent> events = new ArrayList<>();
    private Throwable error;

    @Override
    public synchronized void accept(ObjectEvent event) {
        events.add(event);
        notifyAll();
    }

    public synchronized void onError(Throwable t) {
        error = t;
        notifyAll();
    }

    public synchronized List<ObjectEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<Long> revisions() {
        return events.stream().map(ObjectEvent::getRevision).toList();
    }

    public synchronized Throwable error() {
        return error;
    }

    /** Waits until an event with at least this revision arrived; fails on an error or at the deadline. */
    public synchronized void awaitRevision(long revision, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.isEmpty() || events.get(events.size() - 1).getRevision() < revision) {
            if (error != null) {
                throw new AssertionError("The subscription ended before revision " + revision, error);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("Revision " + revision + " not delivered in " + timeout + "; got " + revisions().size()
                        + " events, last " + (events.isEmpty() ? "none" : events.get(events.size() - 1).getRevision()));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public synchronized Throwable awaitError(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (error == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("No error in " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return error;
    }
}
