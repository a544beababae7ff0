package io.kronika.projections.fold;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The history store of one topology: creates it for Kafka Streams and hands readers the one that is open (Kafka
 * Streams recreates it when the task moves or restarts), so a list reads history without an interactive-query
 * lookup per key.
 */
public final class OpenHistory implements KeyValueBytesStoreSupplier {
    private volatile HistoryStore open;

    @Override
    public String name() {
        return ProjectionStores.HISTORY;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new HistoryStore(name(), this);
    }

    @Override
    public String metricsScope() {
        return "kronika-history";
    }

    /** A reader of the open store; throws {@link InvalidStateStoreException} when none is open. Close it. */
    public HistoryReader reader() {
        HistoryStore store = open;
        if (store == null) {
            throw new InvalidStateStoreException("The history store is not open (the view is starting, rebuilding or closed)");
        }
        return store.reader();
    }

    void opened(HistoryStore store) {
        open = store;
    }

    void closed(HistoryStore store) {
        if (open == store) {
            open = null;
        }
    }
}
