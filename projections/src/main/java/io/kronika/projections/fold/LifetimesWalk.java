package io.kronika.projections.fold;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks the lifetimes store in key order over raw bytes: a key that did not exist at the revision asked costs a
 * step and a binary search over its boundaries, nothing is decoded for it. Not thread-safe; close it when done.
 */
public final class LifetimesWalk implements AutoCloseable {
    private final StoreIterator iterator;
    private byte[] prefix;
    private boolean valid;

    LifetimesWalk(StoreIterator iterator) {
        this.iterator = iterator;
    }

    /** Starts at the first key at or after {@code startKey} that begins with {@code keyPrefix}. */
    public void start(String keyPrefix, String startKey) {
        prefix = keyPrefix.getBytes(StandardCharsets.UTF_8);
        valid = iterator.seek(startKey.getBytes(StandardCharsets.UTF_8)) && inPrefix();
    }

    /** The next key (from the start) that existed at {@code revision}, or null when the prefix has no more. */
    public String nextExistingAt(long revision) {
        while (valid) {
            byte[] key = iterator.key();
            boolean exists = existsAt(iterator.value(), revision);
            valid = iterator.next() && inPrefix();
            if (exists) {
                return new String(key, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private boolean inPrefix() {
        byte[] key = iterator.key();
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** {@link KeyLifetimes#existsAt} over the encoded boundaries (big-endian longs, ascending). */
    static boolean existsAt(byte[] boundaries, long revision) {
        int low = 0;
        int high = boundaries.length / Long.BYTES; // count of boundaries ≤ revision lies in [low, high]
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (boundaryAt(boundaries, mid) <= revision) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low % 2 == 1;
    }

    private static long boundaryAt(byte[] bytes, int index) {
        long value = 0;
        for (int i = index * Long.BYTES, end = i + Long.BYTES; i < end; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    @Override
    public void close() {
        iterator.close();
    }
}
