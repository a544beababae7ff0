package io.kronika.eventstore.testing;

import io.kronika.eventstore.broker.EmbeddedKafkaBroker;
import io.kronika.eventstore.topics.TopicNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded broker per test JVM. Tests isolate themselves with {@link #uniqueTopics()} rather than
 * starting brokers of their own.
 */
public final class SharedKafka {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedKafkaBroker broker;
    private static Path dataDir;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                dataDir = Files.createTempDirectory("kronika-test-kafka");
                broker = EmbeddedKafkaBroker.start(dataDir, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                TestFiles.deleteRecursively(dataDir);
            }, "shared-kafka-shutdown"));
        }
        return broker.bootstrapServers();
    }

    /** A topic prefix no other test in this JVM (or earlier run) uses. */
    public static TopicNames uniqueTopics() {
        return new TopicNames("t" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }
}
