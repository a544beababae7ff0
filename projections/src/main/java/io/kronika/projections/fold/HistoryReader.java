package io.kronika.projections.fold;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds versions in the history store with one iterator, re-seeked for every key: the cost of a list as of a past
 * revision is then one seek per listed key. It reads the store as it was when the reader was opened, which holds
 * every version at or before the view's applied revision. Not thread-safe; close it when done.
 */
public final class HistoryReader implements AutoCloseable {
    private final StoreIterator iterator;

    HistoryReader(StoreIterator iterator) {
        this.iterator = iterator;
    }

    /** The latest version of {@code objectKey} at or before {@code revision} (a deletion included), or null. */
    public ObjectVersion latestAtOrBefore(String objectKey, long revision) {
        byte[] target = HistoryKeys.of(objectKey, revision).getBytes(StandardCharsets.UTF_8);
        // Versions are newest first: the first at or after the target is the one at or before the revision.
        if (!iterator.seek(target)) {
            return null;
        }
        byte[] found = iterator.key();
        // The same object's versions share its key and the separator: everything but the revision digits.
        int stem = target.length - HistoryKeys.DIGITS;
        if (found.length != target.length || !Arrays.equals(found, 0, stem, target, 0, stem)) {
            return null;
        }
        return ObjectVersionSerde.read(iterator.value());
    }

    @Override
    public void close() {
        iterator.close();
    }
}
