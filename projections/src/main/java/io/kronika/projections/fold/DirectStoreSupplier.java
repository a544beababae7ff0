package io.kronika.projections.fold;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Creates one {@link DirectRocksStore} for Kafka Streams and hands readers the instance that is open (Kafka Streams
 * recreates it when the task moves or restarts), so they read it without an interactive-query lookup.
 */
public final class DirectStoreSupplier implements KeyValueBytesStoreSupplier {
    private final String name;
    private volatile DirectRocksStore open;

    DirectStoreSupplier(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new DirectRocksStore(name, this);
    }

    @Override
    public String metricsScope() {
        return "kronika-direct-rocksdb";
    }

    /** A raw iterator over the open store; throws {@link InvalidStateStoreException} when none is open. Close it. */
    public StoreIterator iterator() {
        DirectRocksStore store = open;
        if (store == null) {
            throw new InvalidStateStoreException("The store " + name + " is not open (the view is starting, rebuilding or closed)");
        }
        return store.iterator();
    }

    void opened(DirectRocksStore store) {
        open = store;
    }

    void closed(DirectRocksStore store) {
        if (open == store) {
            open = null;
        }
    }
}
