package io.kronika.projections.fold;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.rocksdb.RocksIterator;

import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A Kafka Streams range (both bounds inclusive, either may be null) over a RocksDB iterator, forwards or backwards.
 * Synchronized so that the store closing it at shutdown never frees the iterator under a reader's feet.
 */
final class RocksRangeIterator implements KeyValueIterator<Bytes, byte[]> {
    private final RocksIterator iterator;
    private final Bytes from;
    private final Bytes to;
    private final boolean forward;
    private final Consumer<RocksRangeIterator> onClose;
    private boolean closed;

    RocksRangeIterator(RocksIterator iterator, Bytes from, Bytes to, boolean forward, Consumer<RocksRangeIterator> onClose) {
        this.iterator = iterator;
        this.from = from;
        this.to = to;
        this.forward = forward;
        this.onClose = onClose;
        if (forward) {
            if (from == null) {
                iterator.seekToFirst();
            } else {
                iterator.seek(from.get());
            }
        } else if (to == null) {
            iterator.seekToLast();
        } else {
            iterator.seekForPrev(to.get());
        }
    }

    @Override
    public synchronized boolean hasNext() {
        if (closed) {
            throw new InvalidStateStoreException("The history store iterator is closed");
        }
        if (!iterator.isValid()) {
            return false;
        }
        Bytes key = Bytes.wrap(iterator.key());
        return forward ? to == null || key.compareTo(to) <= 0 : from == null || key.compareTo(from) >= 0;
    }

    @Override
    public synchronized KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<Bytes, byte[]> entry = KeyValue.pair(Bytes.wrap(iterator.key()), iterator.value());
        if (forward) {
            iterator.next();
        } else {
            iterator.prev();
        }
        return entry;
    }

    @Override
    public synchronized Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return Bytes.wrap(iterator.key());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        iterator.close();
        onClose.accept(this);
    }
}
