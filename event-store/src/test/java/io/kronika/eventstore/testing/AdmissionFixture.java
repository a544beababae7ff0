package io.kronika.eventstore.testing;

import io.kronika.eventstore.admission.AdmissionProcessor;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.log.EventLogReader;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.schemas.Actor;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.registry.InMemorySchemaRegistry;
import io.kronika.schemas.registry.SchemaRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        return EventLogReader.readAll(bootstrap, topic, REGISTRY);
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
