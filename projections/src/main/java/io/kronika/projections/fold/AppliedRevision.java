package io.kronika.projections.fold;

import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The revision up to which the stores are written, in memory, with waiters parked on futures ordered by the
 * revision they wait for: advancing completes exactly the waiters it satisfies, nobody polls.
 */
public final class AppliedRevision {
    private final AtomicLong value = new AtomicLong();
    private final AtomicLong waiterIds = new AtomicLong();
    private final ConcurrentSkipListSet<Waiter> waiters = new ConcurrentSkipListSet<>(
            Comparator.comparingLong(Waiter::revision).thenComparingLong(Waiter::id));
    private volatile Throwable failure;

    private record Waiter(long revision, long id, CompletableFuture<Void> reached) {
    }

    public long get() {
        return value.get();
    }

    /** Raises the watermark to {@code revision} (never lowers it) and releases everyone waiting for it or less. */
    public void advance(long revision) {
        value.accumulateAndGet(revision, Math::max);
        long now = value.get();
        for (Waiter waiter : waiters) { // ascending by revision
            if (waiter.revision() > now) {
                break;
            }
            if (waiters.remove(waiter)) {
                waiter.reached().complete(null);
            }
        }
    }

    /** The stores will not advance any more (the fold stopped): waiters fail now instead of timing out. */
    public void fail(Throwable cause) {
        failure = cause;
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            w.reached().completeExceptionally(cause);
        }
    }

    public void await(long revision, Duration timeout) throws TimeoutException, InterruptedException {
        if (value.get() >= revision) {
            return;
        }
        checkNotFailed();
        Waiter waiter = new Waiter(revision, waiterIds.incrementAndGet(), new CompletableFuture<>());
        waiters.add(waiter);
        // advance() may have run between the first check and add(): look again, it will not come back for us.
        if (value.get() >= revision) {
            waiters.remove(waiter);
            return;
        }
        checkNotFailed();
        try {
            waiter.reached().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("The view has applied revision " + value.get() + ", not " + revision + ", after " + timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The view stopped before reaching revision " + revision, e.getCause());
        } finally {
            waiters.remove(waiter);
        }
    }

    private void checkNotFailed() {
        Throwable cause = failure;
        if (cause != null) {
            throw new IllegalStateException("The view stopped at revision " + value.get(), cause);
        }
    }
}
