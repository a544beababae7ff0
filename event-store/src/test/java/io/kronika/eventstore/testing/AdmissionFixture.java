package io.kronika.eventstore.testing;

import io.kronika.eventstore.admission.AdmissionProcessor;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.schemas.Actor;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.registry.InMemorySchemaRegistry;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An admission processor on the shared broker under its own topic prefix, with a command client; tests that
 * need to restart it call {@link #restartProcessor()}.
 */
public final class AdmissionFixture implements AutoCloseable {
    public static final Actor TEST_ACTOR = Commands.actor("test-user", "test", "system:masters");
    public static final SchemaRegistry REGISTRY = new InMemorySchemaRegistry();

    public final TopicNames topics = SharedKafka.uniqueTopics();
    public final Path stateDir;
    private AdmissionProcessor processor;
    private CommandClient client;

    public AdmissionFixture() throws Exception {
        TopicProvisioner.ensureTopics(SharedKafka.bootstrapServers(), topics, (short) 1);
        stateDir = Files.createTempDirectory("kronika-admission-state");
        processor = startProcessor();
        client = new CommandClient(SharedKafka.bootstrapServers(), topics, REGISTRY, "test-" + topics.prefix());
    }

    private AdmissionProcessor startProcessor() throws Exception {
        return AdmissionProcessor.start(SharedKafka.bootstrapServers(), topics, REGISTRY,
                AdmissionProcessor.Settings.defaults(stateDir)).awaitRunning(Duration.ofSeconds(60));
    }

    public CommandClient client() {
        return client;
    }

    public void stopProcessor() {
        processor.close();
    }

    public void startProcessorAgain() throws Exception {
        processor = startProcessor();
    }

    public void restartProcessor() throws Exception {
        stopProcessor();
        startProcessorAgain();
    }

    /** Every event now in the events topic, in log order. */
    public List<ObjectEvent> readAllEvents() {
        return readAllEvents(SharedKafka.bootstrapServers(), topics.events());
    }

    public static List<ObjectEvent> readAllEvents(String bootstrap, String topic) {
        try (KafkaConsumer<String, ObjectEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), KronikaSerdes.avro(ObjectEvent.class, REGISTRY).deserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ObjectEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end offset " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
            }
            return events;
        }
    }

    public static String namespaceJson(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    public static String configMapJson(String name, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"" + value + "\"}}";
    }

    public static io.kronika.schemas.ObjectRef configMap(String namespace, String name) {
        return ObjectKeys.ref("", "ConfigMap", namespace, name);
    }

    public static io.kronika.schemas.ObjectRef namespace(String name) {
        return ObjectKeys.ref("", "Namespace", "", name);
    }

    @Override
    public void close() {
        client.close();
        processor.close();
        TestFiles.deleteRecursively(stateDir);
    }
}
