package io.kronika.projections.fold;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * One raw RocksDB iterator over a {@link DirectRocksStore}, seeked as often as needed; it sees the store as it was
 * when it was opened. Not thread-safe; close it (it holds the store open).
 */
public final class StoreIterator implements AutoCloseable {
    private final ReadOptions readOptions;
    private final RocksIterator iterator;
    private final Runnable onClose;
    private boolean closed;

    StoreIterator(ReadOptions readOptions, RocksIterator iterator, Runnable onClose) {
        this.readOptions = readOptions;
        this.iterator = iterator;
        this.onClose = onClose;
    }

    /** Positions at the first key at or after {@code key}; false when there is none. */
    boolean seek(byte[] key) {
        checkOpen();
        iterator.seek(key);
        return iterator.isValid();
    }

    /** Moves to the next key; false when there is none. */
    boolean next() {
        checkOpen();
        iterator.next();
        return iterator.isValid();
    }

    byte[] key() {
        return iterator.key();
    }

    byte[] value() {
        return iterator.value();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The store iterator is closed");
        }
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
