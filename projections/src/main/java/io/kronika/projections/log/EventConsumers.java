package io.kronika.projections.log;

import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes group-less consumers of the events topic: read_committed (aborted admissions are not events), no offset
 * commits (each reader knows where it is by revision), short fetch waits (watch latency).
 */
public final class EventConsumers {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String bootstrapServers;
    private final String eventsTopic;
    private final SchemaRegistry registry;
    private final String clientIdPrefix;

    public EventConsumers(String bootstrapServers, String eventsTopic, SchemaRegistry registry, String clientIdPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.eventsTopic = eventsTopic;
        this.registry = registry;
        this.clientIdPrefix = clientIdPrefix;
    }

    /** The single partition of the events topic (one partition gives the global revision order). */
    public TopicPartition partition() {
        return new TopicPartition(eventsTopic, 0);
    }

    /** A new consumer, assigned to the events partition; the caller positions it and closes it. */
    public KafkaConsumer<String, ObjectEvent> create(String purpose) {
        KafkaConsumer<String, ObjectEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + purpose + "-" + COUNTER.incrementAndGet(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), KronikaSerdes.avro(ObjectEvent.class, registry).deserializer());
        consumer.assign(java.util.List.of(partition()));
        return consumer;
    }
}
