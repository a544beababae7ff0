package io.kronika.projections.fold;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * The projections' state stores. None has a changelog: the events topic is their changelog, and a view whose local
 * state is lost is rebuilt by folding the log again (see {@code ViewStateDirectory}). No caching either: an
 * interactive query must see a write as soon as the fold has made it.
 */
public final class ProjectionStores {
    /** Object key → current full object (spec and status joined); DELETED leaves a tombstone with its revision. */
    public static final String OBJECTS = "objects";
    /** Object key → the object without status, for live objects. */
    public static final String SPECS = "specs";
    /** Object key → status only, for live objects that have one. */
    public static final String STATUSES = "statuses";
    /** {@link HistoryKeys} (object key + inverted revision) → that version, deletions included; see {@link DirectRocksStore}. */
    public static final String HISTORY = "history";
    /** Object key → {@link KeyLifetimes}: the revisions at which it was created and deleted, for lists in the past. */
    public static final String LIFETIMES = "lifetimes";
    /** {@link NodeIndexKeys} (node + pod key) → pod key. */
    public static final String PODS_BY_NODE = "pods-by-node";
    /** Pod key → the node it is bound to: where to remove the index entry when the pod changes. */
    public static final String NODE_OF_POD = "node-of-pod";
    /** Revision → offset of its event in the events topic. */
    public static final String REVISION_OFFSETS = "revision-offsets";
    /** {@link #APPLIED_REVISION} → the revision of the last event folded. */
    public static final String META = "meta";
    public static final String APPLIED_REVISION = "applied-revision";

    private ProjectionStores() {
    }

    /** The stores of one topology; {@code direct} supplies those that lists in the past read directly. */
    static List<StoreBuilder<?>> builders(DirectStores direct) {
        Serde<String> strings = Serdes.String();
        Serde<ObjectVersion> versions = ObjectVersionSerde.serde();
        return List.of(
                store(OBJECTS, strings, versions),
                store(SPECS, strings, versions),
                store(STATUSES, strings, versions),
                store(direct.history(), strings, versions),
                store(direct.lifetimes(), strings, KeyLifetimes.serde()),
                store(PODS_BY_NODE, strings, strings),
                store(NODE_OF_POD, strings, strings),
                store(REVISION_OFFSETS, Serdes.Long(), Serdes.Long()),
                store(META, strings, Serdes.Long()));
    }

    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(String name, Serde<K> keys, Serde<V> values) {
        return store(Stores.persistentKeyValueStore(name), keys, values);
    }

    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(KeyValueBytesStoreSupplier supplier, Serde<K> keys, Serde<V> values) {
        return Stores.keyValueStoreBuilder(supplier, keys, values)
                .withLoggingDisabled()
                .withCachingDisabled();
    }
}
