package io.kronika.eventstore.admission;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/** commands → {@link CommandProcessor} → events and results. */
public final class AdmissionTopology {
    static final String SOURCE = "commands-source";
    static final String PROCESSOR = "admission";
    static final String EVENTS_SINK = "events-sink";
    static final String RESULTS_SINK = "results-sink";

    private AdmissionTopology() {
    }

    public static Topology build(TopicNames topics, SchemaRegistry registry, Duration answerRetention) {
        return build(topics, registry, answerRetention, null);
    }

    /** {@code authorization} (nullable): component credentials verified and authorized before admission. */
    public static Topology build(TopicNames topics, SchemaRegistry registry, Duration answerRetention, CommandAuthorization authorization) {
        Serde<String> keys = Serdes.String();
        Serde<Command> commands = KronikaSerdes.avro(Command.class, registry);
        Serde<ObjectEvent> events = KronikaSerdes.avro(ObjectEvent.class, registry);
        Serde<CommandResult> results = KronikaSerdes.avro(CommandResult.class, registry);

        Topology topology = new Topology();
        topology.addSource(SOURCE, keys.deserializer(), commands.deserializer(), topics.commands());
        topology.addProcessor(PROCESSOR, () -> new CommandProcessor(answerRetention, authorization), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.OBJECTS), keys, events), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.SEQUENCE), keys, Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.ANSWERED), keys, results), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.ANSWERED_BY_TIME), keys, Serdes.String()), PROCESSOR);
        topology.addSink(EVENTS_SINK, topics.events(), keys.serializer(), untyped(events.serializer()), PROCESSOR);
        topology.addSink(RESULTS_SINK, topics.results(), keys.serializer(), untyped(results.serializer()), PROCESSOR);
        return topology;
    }

    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> untyped(Serializer<T> serializer) {
        return (topic, value) -> serializer.serialize(topic, (T) value);
    }
}
