package io.kronika.projections.view;

import io.kronika.projections.fold.HistoryReader;
import io.kronika.projections.fold.KeyLifetimes;
import io.kronika.projections.fold.ObjectVersion;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Read access to the projection stores: interactive queries in a running view, test-driver stores in unit tests. */
public interface ViewStores {
    ReadOnlyKeyValueStore<String, ObjectVersion> objects();

    ReadOnlyKeyValueStore<String, ObjectVersion> specs();

    ReadOnlyKeyValueStore<String, ObjectVersion> statuses();

    /** A reader of the history store (one iterator re-seeked per key); close it. */
    HistoryReader history();

    ReadOnlyKeyValueStore<String, KeyLifetimes> lifetimes();

    ReadOnlyKeyValueStore<String, String> podsByNode();

    ReadOnlyKeyValueStore<Long, Long> revisionOffsets();
}
