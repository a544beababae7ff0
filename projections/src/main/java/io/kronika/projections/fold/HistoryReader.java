package io.kronika.projections.fold;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds versions in the history store with one RocksDB iterator, re-seeked for every key: the cost of a list as of
 * a past revision is then one seek per listed key. It reads the store as it was when the reader was opened, which
 * holds every version at or before the view's applied revision. Not thread-safe; close it when done.
 */
public final class HistoryReader implements AutoCloseable {
    private final ReadOptions readOptions;
    private final RocksIterator iterator;
    private final Runnable onClose;
    private boolean closed;

    HistoryReader(ReadOptions readOptions, RocksIterator iterator, Runnable onClose) {
        this.readOptions = readOptions;
        this.iterator = iterator;
        this.onClose = onClose;
    }

    /** The latest version of {@code objectKey} at or before {@code revision} (a deletion included), or null. */
    public ObjectVersion latestAtOrBefore(String objectKey, long revision) {
        if (closed) {
            throw new IllegalStateException("The history reader is closed");
        }
        byte[] target = HistoryKeys.of(objectKey, revision).getBytes(StandardCharsets.UTF_8);
        iterator.seek(target); // versions are newest first: the first at or after the target is the one at or before R
        if (!iterator.isValid()) {
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
        if (closed) {
            return;
        }
        closed = true;
        try {
            iterator.close();
            readOptions.close();
        } finally {
            onClose.run();
        }
    }
}
