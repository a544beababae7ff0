package io.kronika.launcher.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one level: {@code writers} closed loops against a driver, each issuing its next write when its previous one
 * was answered. A warm-up comes first; then only answers that arrive inside the measured window count, with the
 * latency of each accepted one. Prints a progress line every second.
 */
final class ClosedLoopRunner {
    /** A write not answered within this is an error, and its writer stops. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

    private final Progress progress;

    ClosedLoopRunner(Progress progress) {
        this.progress = progress;
    }

    LevelResult run(WorkloadDriver driver, int writers, Duration warmup, Duration duration) throws InterruptedException {
        Level level = new Level(driver, writers, warmup, duration);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(level::report, 1, 1, TimeUnit.SECONDS);
        try {
            level.writers.forEach(Writer::next);
            CompletableFuture<Void> all = CompletableFuture.allOf(level.writers.stream().map(w -> w.finished).toArray(CompletableFuture[]::new));
            try {
                all.get(warmup.plus(duration).plus(WRITE_TIMEOUT).plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                level.problem("writers still waiting for answers after the level ended");
            } catch (java.util.concurrent.ExecutionException e) {
                level.problem(String.valueOf(e.getCause()));
            }
        } finally {
            ticker.shutdownNow();
        }
        return level.result();
    }

    /** The state of one level, shared by its writers. */
    private final class Level {
        final WorkloadDriver driver;
        final long startNanos = System.nanoTime();
        final long measureStart;
        final long measureEnd;
        final Duration warmup;
        final Duration duration;
        final List<Writer> writers = new ArrayList<>();
        final LongAdder answered = new LongAdder();
        final LongAdder measuredAccepted = new LongAdder();
        final LongAdder measuredRejects = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicReference<String> firstProblem = new AtomicReference<>();
        long lastAnswered;

        Level(WorkloadDriver driver, int writerCount, Duration warmup, Duration duration) {
            this.driver = driver;
            this.warmup = warmup;
            this.duration = duration;
            this.measureStart = startNanos + warmup.toNanos();
            this.measureEnd = measureStart + duration.toNanos();
            for (int i = 0; i < writerCount; i++) {
                writers.add(new Writer(this, i));
            }
        }

        void problem(String message) {
            firstProblem.compareAndSet(null, message);
        }

        void report() {
            long now = System.nanoTime();
            long total = answered.sum();
            long perSecond = total - lastAnswered;
            lastAnswered = total;
            String phase = now < measureStart
                    ? String.format("warm-up %.0f/%s", (now - startNanos) / 1e9, DurationConverter.format(warmup))
                    : now < measureEnd
                    ? String.format("measure %.0f/%s", (now - measureStart) / 1e9, DurationConverter.format(duration))
                    : "draining";
            progress.line(String.format("%-8s %4d writers  %-16s %8d answers/s   measured: %d accepted, %d rejects%s",
                    driver.system(), writers.size(), phase, perSecond, measuredAccepted.sum(), measuredRejects.sum(),
                    errors.sum() > 0 ? ", " + errors.sum() + " errors" : ""));
        }

        LevelResult result() {
            long[] sorted = LatencySamples.mergeSorted(writers.stream().map(w -> w.samples).toList());
            return new LevelResult(driver.system(), writers.size(), measuredAccepted.sum(), measuredRejects.sum(), errors.sum(),
                    duration.toNanos() / 1e9, LatencySamples.percentileMillis(sorted, 0.50),
                    LatencySamples.percentileMillis(sorted, 0.99), firstProblem.get());
        }
    }

    /** One closed loop. Its writes are sequential, so its samples need no lock. */
    private static final class Writer {
        final Level level;
        final int index;
        final LatencySamples samples = new LatencySamples();
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        Writer(Level level, int index) {
            this.level = level;
            this.index = index;
        }

        /** Issues writes until the window ends; loops while answers come back synchronously, else continues on the answer. */
        void next() {
            while (true) {
                long start = System.nanoTime();
                if (start >= level.measureEnd) {
                    finished.complete(null);
                    return;
                }
                CompletableFuture<WriteOutcome> answer;
                try {
                    answer = level.driver.write(index).orTimeout(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                if (!answer.isDone()) {
                    answer.whenComplete((outcome, error) -> {
                        if (record(start, outcome, error)) {
                            next();
                        } else {
                            finished.complete(null);
                        }
                    });
                    return;
                }
                WriteOutcome outcome = null;
                Throwable error = null;
                try {
                    outcome = answer.join();
                } catch (RuntimeException e) {
                    error = e.getCause() != null ? e.getCause() : e;
                }
                if (!record(start, outcome, error)) {
                    finished.complete(null);
                    return;
                }
            }
        }

        /** Counts one answer; false when the writer must stop (an error). */
        private boolean record(long start, WriteOutcome outcome, Throwable error) {
            long end = System.nanoTime();
            level.answered.increment();
            if (error != null) {
                level.errors.increment();
                level.problem("writer " + index + ": " + error);
                return false;
            }
            boolean measured = end >= level.measureStart && end < level.measureEnd;
            if (outcome.accepted()) {
                if (measured) {
                    level.measuredAccepted.increment();
                    samples.add(end - start);
                }
            } else {
                level.problem("writer " + index + " rejected: " + outcome.rejectReason());
                if (measured) {
                    level.measuredRejects.increment();
                }
            }
            return true;
        }
    }
}
