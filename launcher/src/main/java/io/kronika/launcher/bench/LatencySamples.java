package io.kronika.launcher.bench;

import java.util.Arrays;
import java.util.Collection;

/** A growable array of latencies in nanoseconds, and percentiles of a merged, sorted set of them. */
final class LatencySamples {
    private long[] nanos = new long[1024];
    private int size;

    void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    int size() {
        return size;
    }

    /** All samples of {@code parts}, sorted ascending. */
    static long[] mergeSorted(Collection<LatencySamples> parts) {
        long[] all = new long[parts.stream().mapToInt(LatencySamples::size).sum()];
        int at = 0;
        for (LatencySamples part : parts) {
            System.arraycopy(part.nanos, 0, all, at, part.size);
            at += part.size;
        }
        Arrays.sort(all);
        return all;
    }

    /** Nearest-rank percentile ({@code fraction} in (0, 1]) of a sorted array, in milliseconds; NaN when empty. */
    static double percentileMillis(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1_000_000.0;
    }
}
