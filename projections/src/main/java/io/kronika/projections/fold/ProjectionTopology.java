package io.kronika.projections.fold;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/** events → {@link EventFoldProcessor} → the {@link ProjectionStores}. No sinks: the stores are the output. */
public final class ProjectionTopology {
    static final String SOURCE = "events-source";
    static final String FOLD = "fold";

    private ProjectionTopology() {
    }

    public static Topology build(TopicNames topics, SchemaRegistry registry, AppliedRevision applied, DirectStores direct) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(),
                KronikaSerdes.avro(ObjectEvent.class, registry).deserializer(), topics.events());
        topology.addProcessor(FOLD, () -> new EventFoldProcessor(applied), SOURCE);
        for (StoreBuilder<?> store : ProjectionStores.builders(direct)) {
            topology.addStateStore(store, FOLD);
        }
        return topology;
    }
}
