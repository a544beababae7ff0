package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.secrets.DecryptingClusterView;
import io.kronika.projections.secrets.DecryptingEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.registry.HttpSchemaRegistryClient;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.secrets.SecretCodec;
import io.kronika.schemas.secrets.SecretKeyRing;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * The common frame of a component running as its own process (kubelet, controllers): a command client and its own
 * read side (view and event feed) against a cluster, parts stopped in reverse order, and a run that lasts until
 * the process is asked to stop.
 */
final class ComponentProcess implements AutoCloseable {
    private final String name;
    private final ClusterConnection.Target target;
    private final SchemaRegistry registry;
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private CommandClient client;
    private KafkaStreamsClusterView view;
    private KafkaEventFeed feed;
    private final SecretCodec secrets;

    private ComponentProcess(String name, ClusterConnection.Target target) {
        this.name = name;
        this.target = target;
        this.registry = new HttpSchemaRegistryClient(target.schemaRegistryUrl());
        this.secrets = secretCodec(target.secretsKeyFile());
    }

    /** Connects a command client and starts a view and feed of its own (state under {@code stateDir}). */
    static ComponentProcess start(String name, String instance, ClusterConnection.Target target, Path stateDir) throws Exception {
        ComponentProcess process = new ComponentProcess(name, target);
        try {
            process.client = process.add(new CommandClient(target.bootstrapServers(), target.topics(), process.registry, instance,
                    process.secrets));
            process.view = process.add(KafkaStreamsClusterView.start(target.bootstrapServers(), target.topics(), process.registry,
                    KafkaStreamsClusterView.Settings.forInstance(target.topics(), instance, stateDir.resolve("view"))));
            process.view.awaitRunning(Duration.ofMinutes(10));
            process.feed = process.add(KafkaEventFeed.start(target.bootstrapServers(), target.topics(), process.registry,
                    process.view::offsetOfRevision, KafkaEventFeed.Settings.defaults(instance)));
            process.feed.awaitRunning(Duration.ofSeconds(60));
            return process;
        } catch (Exception | Error e) {
            process.close();
            throw e;
        }
    }

    <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    private static SecretCodec secretCodec(Path keyFile) {
        if (!Files.isRegularFile(keyFile)) {
            LoggerFactory.getLogger(ComponentProcess.class).warn("No secrets key file at {}: Secrets this process writes stay "
                    + "unencrypted and encrypted ones are read as stored; give --secrets-key-file", keyFile);
            return SecretCodec.plaintext();
        }
        return SecretCodec.of(SecretKeyRing.open(keyFile));
    }

    ClusterConnection.Target target() { return target; }
    SchemaRegistry registry() { return registry; }
    CommandClient client() { return client; }
    /** The read side with Secrets decrypted. */
    ClusterView view() { return DecryptingClusterView.wrap(view, secrets); }
    EventFeed feed() { return DecryptingEventFeed.wrap(feed, secrets); }

    /** Blocks until the JVM is asked to stop, then stops every part. */
    int runUntilStopped() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, name + "-shutdown"));
        stopped.await();
        return 0;
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                System.err.println("kronika " + name + ": stopping: " + e);
            }
        }
    }
}
