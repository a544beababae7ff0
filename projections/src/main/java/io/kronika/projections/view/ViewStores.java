package io.kronika.projections.view;

import io.kronika.projections.fold.DirectStores;
import io.kronika.projections.fold.ObjectVersion;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Read access to the projection stores: interactive queries in a running view, test-driver stores in unit tests. */
public interface ViewStores {
    ReadOnlyKeyValueStore<String, ObjectVersion> objects();

    ReadOnlyKeyValueStore<String, ObjectVersion> specs();

    ReadOnlyKeyValueStore<String, ObjectVersion> statuses();

    /** The history and lifetimes stores, read without interactive queries. */
    DirectStores direct();

    /** The revision of the last event folded into the stores. */
    long appliedRevision();

    ReadOnlyKeyValueStore<String, String> podsByNode();

    ReadOnlyKeyValueStore<Long, Long> revisionOffsets();
}
