package io.kronika.projections.view;

import io.kronika.projections.fold.DirectStores;
import io.kronika.projections.fold.HistoryReader;

/** Opens a history reader on first use only: a list whose keys are all older than its revision never needs one. */
final class LazyHistoryReader implements AutoCloseable {
    private final DirectStores stores;
    private HistoryReader reader;

    LazyHistoryReader(DirectStores stores) {
        this.stores = stores;
    }

    HistoryReader get() {
        if (reader == null) {
            reader = stores.historyReader();
        }
        return reader;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
