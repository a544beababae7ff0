package io.kronika.projections.testing;

import io.kronika.projections.fold.KeyLifetimes;
import io.kronika.projections.fold.ObjectVersion;
import io.kronika.projections.fold.ProjectionStores;
import io.kronika.projections.view.ViewStores;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The projection stores of a {@link TopologyTestDriver}, for testing the queries without a broker. */
public record DriverViewStores(TopologyTestDriver driver) implements ViewStores {
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
    public ReadOnlyKeyValueStore<String, ObjectVersion> history() {
        return driver.getKeyValueStore(ProjectionStores.HISTORY);
    }

    @Override
    public ReadOnlyKeyValueStore<String, KeyLifetimes> lifetimes() {
        return driver.getKeyValueStore(ProjectionStores.LIFETIMES);
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
