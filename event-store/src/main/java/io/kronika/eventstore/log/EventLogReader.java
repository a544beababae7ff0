package io.kronika.eventstore.log;

import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads the committed events of the log from the start up to its end as of now, in revision order. */
public final class EventLogReader {
    private EventLogReader() {
    }

    public static void readAll(String bootstrapServers, String eventsTopic, SchemaRegistry registry, Consumer<ObjectEvent> sink) {
        try (KafkaConsumer<String, ObjectEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), KronikaSerdes.avro(ObjectEvent.class, registry).deserializer())) {
            TopicPartition partition = new TopicPartition(eventsTopic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // Under read_committed the end offset is the last stable offset: nothing after it is visible yet.
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.offset() < end && r.value() != null) {
                        sink.accept(r.value());
                    }
                });
            }
        }
    }

    public static List<ObjectEvent> readAll(String bootstrapServers, String eventsTopic, SchemaRegistry registry) {
        List<ObjectEvent> events = new java.util.ArrayList<>();
        readAll(bootstrapServers, eventsTopic, registry, events::add);
        return events;
    }
}
