package io.kronika.eventstore.log;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The refused requests among the last {@code window} records of each partition of {@code commands} and
 * {@code results}, as of now ({@link RefusalJoin} pairs them). The cost is the window, not the log; a command whose
 * result lies past the end read is not reported, nor one that fell out of the window.
 */
public final class RecentRefusals {
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final TopicNames topics;
    private final SchemaRegistry registry;

    public RecentRefusals(String bootstrapServers, TopicNames topics, SchemaRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.registry = registry;
    }

    /** In the order found: every gateway refusal of the commands read, then admission's rejections as their results come. */
    public List<RefusalJoin.Refusal> read(long window) {
        RefusalJoin join = new RefusalJoin();
        List<RefusalJoin.Refusal> refused = new ArrayList<>();
        readTail(topics.commands(), Command.class, window, c -> join.onCommand(c).ifPresent(refused::add));
        readTail(topics.results(), CommandResult.class, window, r -> join.onResult(r).ifPresent(refused::add));
        return refused;
    }

    private <T extends SpecificRecord> void readTail(String topic, Class<T> type, long window, Consumer<T> sink) {
        Deserializer<T> values = KronikaSerdes.avro(type, registry).deserializer();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            // Under read_committed the end offset is the last stable offset: nothing after it is visible yet.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - window));
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(POLL).forEach(r -> {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && r.value() != null) {
                        sink.accept(r.value());
                    }
                });
            }
        }
    }
}
