package io.kronika.eventstore.registry;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The registry's durable store: the one partition of the schemas topic, written by one producer with acks=all
 * (a change counts once every in-sync replica has it) and read from the beginning on start.
 *
 * <p>There must be one writer: the registry does not tail the topic for other writers' records, as Confluent's
 * registry does with its leader election; the state is what this process replayed plus what it wrote.
 */
final class KafkaSchemaStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final Duration REPLAY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(40);

    private final String bootstrapServers;
    private final TopicPartition partition;
    private final KafkaProducer<String, String> producer;

    private KafkaSchemaStore(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.partition = new TopicPartition(topic, 0);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "kronika-schema-registry-" + topic,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000),
                new StringSerializer(), new StringSerializer());
    }

    static KafkaSchemaStore open(String bootstrapServers, String topic) {
        return new KafkaSchemaStore(bootstrapServers, topic);
    }

    String topic() {
        return partition.topic();
    }

    /** Hands every change in the topic, oldest first, to {@code sink}; returns how many records were read. */
    int replay(Consumer<RegistryRecord> sink) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "kronika-schema-registry-reader-" + partition.topic(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), REPLAY_DEADLINE).get(partition);
            long deadline = System.nanoTime() + REPLAY_DEADLINE.toNanos();
            int count = 0;
            while (consumer.position(partition, REPLAY_DEADLINE) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + partition + " up to offset " + end
                            + " within " + REPLAY_DEADLINE + " (at " + consumer.position(partition) + ")");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    RegistryRecordCodec.decode(record.key(), record.value()).ifPresent(sink);
                    count++;
                }
            }
            return count;
        }
    }

    /** Writes one change and returns once Kafka acknowledged it; throws a 500 {@link RegistryError} if it did not. */
    void append(RegistryRecord change) {
        RegistryRecordCodec.KeyValue kv = RegistryRecordCodec.encode(change);
        try {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), kv.key(), kv.value()))
                    .get(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Stored {} at offset {}", kv.key(), metadata.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryError.storeError("Interrupted while writing to " + partition.topic(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("Could not write {} to {}", kv.key(), partition.topic(), cause);
            throw RegistryError.storeError("Error in the backend data store: " + cause, cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
