package io.kronika.projections.view;

import io.kronika.projections.fold.AppliedRevision;
import io.kronika.projections.fold.DirectStores;
import io.kronika.projections.fold.ObjectVersion;
import io.kronika.projections.fold.ProjectionStores;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores of a running {@link KafkaStreams} through interactive queries. The handles are taken once: they look
 * the local store up on every call, and throw {@link org.apache.kafka.streams.errors.InvalidStateStoreException}
 * while the instance is not running.
 */
final class StreamsViewStores implements ViewStores {
    private final ReadOnlyKeyValueStore<String, ObjectVersion> objects;
    private final ReadOnlyKeyValueStore<String, ObjectVersion> specs;
    private final ReadOnlyKeyValueStore<String, ObjectVersion> statuses;
    private final DirectStores direct;
    private final AppliedRevision applied;
    private final ReadOnlyKeyValueStore<String, String> podsByNode;
    private final ReadOnlyKeyValueStore<Long, Long> revisionOffsets;

    StreamsViewStores(KafkaStreams streams, DirectStores direct, AppliedRevision applied) {
        objects = store(streams, ProjectionStores.OBJECTS);
        specs = store(streams, ProjectionStores.SPECS);
        statuses = store(streams, ProjectionStores.STATUSES);
        this.direct = direct;
        this.applied = applied;
        podsByNode = store(streams, ProjectionStores.PODS_BY_NODE);
        revisionOffsets = store(streams, ProjectionStores.REVISION_OFFSETS);
    }

    private static <K, V> ReadOnlyKeyValueStore<K, V> store(KafkaStreams streams, String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    @Override
    public ReadOnlyKeyValueStore<String, ObjectVersion> objects() {
        return objects;
    }

    @Override
    public ReadOnlyKeyValueStore<String, ObjectVersion> specs() {
        return specs;
    }

    @Override
    public ReadOnlyKeyValueStore<String, ObjectVersion> statuses() {
        return statuses;
    }

    @Override
    public DirectStores direct() {
        return direct;
    }

    @Override
    public long appliedRevision() {
        return applied.get();
    }

    @Override
    public ReadOnlyKeyValueStore<String, String> podsByNode() {
        return podsByNode;
    }

    @Override
    public ReadOnlyKeyValueStore<Long, Long> revisionOffsets() {
        return revisionOffsets;
    }
}
