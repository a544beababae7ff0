package io.kronika.projections.testing;

import io.kronika.projections.fold.DirectStores;
import io.kronika.projections.fold.ObjectVersion;
import io.kronika.projections.fold.ProjectionStores;
import io.kronika.projections.view.ViewStores;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The projection stores of a {@link TopologyTestDriver}, for testing the queries without a broker; {@code direct}
 * holds the direct stores the driver's topology was built with.
 */
public record DriverViewStores(TopologyTestDriver driver, DirectStores direct) implements ViewStores {
    @Override
    public ReadOnlyKeyValueStore<String, ObjectVersion> objects() {
        return driver.getKeyValueStore(ProjectionStores.OBJECTS);
    }

    @Override
    public ReadOnlyKeyValueStore<String, ObjectVersion> specs() {
        return driver.getKeyValueStore(ProjectionStores.SPECS);
    }

    @Override
    public ReadOnlyKeyValueStore<String, ObjectVersion> statuses() {
        return driver.getKeyValueStore(ProjectionStores.STATUSES);
    }

    @Override
    public long appliedRevision() {
        Long applied = driver.<String, Long>getKeyValueStore(ProjectionStores.META).get(ProjectionStores.APPLIED_REVISION);
        return applied == null ? 0 : applied;
    }

    @Override
    public ReadOnlyKeyValueStore<String, String> podsByNode() {
        return driver.getKeyValueStore(ProjectionStores.PODS_BY_NODE);
    }

    @Override
    public ReadOnlyKeyValueStore<Long, Long> revisionOffsets() {
        return driver.getKeyValueStore(ProjectionStores.REVISION_OFFSETS);
    }
}
