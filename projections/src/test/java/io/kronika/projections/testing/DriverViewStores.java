package io.kronika.projections.testing;

import io.kronika.projections.fold.HistoryReader;
import io.kronika.projections.fold.KeyLifetimes;
import io.kronika.projections.fold.OpenHistory;
import io.kronika.projections.fold.ObjectVersion;
import io.kronika.projections.fold.ProjectionStores;
import io.kronika.projections.view.ViewStores;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The projection stores of a {@link TopologyTestDriver}, for testing the queries without a broker; {@code history}
 * is the one the driver's topology was built with.
 */
public record DriverViewStores(TopologyTestDriver driver, OpenHistory openHistory) implements ViewStores {
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
    public HistoryReader history() {
        return openHistory.reader();
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
