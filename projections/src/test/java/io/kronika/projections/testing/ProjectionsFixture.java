package io.kronika.projections.testing;

import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.feed.OffsetIndex;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real admission processor on the shared broker, plus views and feeds over its events, closed together. */
public final class ProjectionsFixture implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    public final AdmissionFixture cluster;
    public final Path stateDir;
    private final List<AutoCloseable> started = new ArrayList<>();

    public ProjectionsFixture() throws Exception {
        cluster = new AdmissionFixture();
        stateDir = Files.createTempDirectory("kronika-view-state");
    }

    public KafkaStreamsClusterView.Settings viewSettings(String instance) {
        return KafkaStreamsClusterView.Settings.forInstance(cluster.topics, instance, stateDir);
    }

    public KafkaStreamsClusterView startView(String instance) throws Exception {
        KafkaStreamsClusterView view = KafkaStreamsClusterView.start(SharedKafka.bootstrapServers(), cluster.topics,
                AdmissionFixture.REGISTRY, viewSettings(instance));
        started.add(view);
        return view.awaitRunning(TIMEOUT);
    }

    public KafkaEventFeed startFeed(OffsetIndex offsets, int queueCapacity) throws Exception {
        KafkaEventFeed feed = KafkaEventFeed.start(SharedKafka.bootstrapServers(), cluster.topics, AdmissionFixture.REGISTRY,
                offsets, new KafkaEventFeed.Settings(queueCapacity, "test-" + cluster.topics.prefix()));
        started.add(feed);
        return feed.awaitRunning(TIMEOUT);
    }

    public CommandResult apply(Command command) throws Exception {
        return cluster.client().apply(command, TIMEOUT);
    }

    public CommandResult createNamespace(String name) throws Exception {
        return apply(Commands.create(AdmissionFixture.namespace(name), AdmissionFixture.namespaceJson(name), AdmissionFixture.TEST_ACTOR));
    }

    public CommandResult createConfigMap(String namespace, String name, String value) throws Exception {
        return apply(Commands.create(AdmissionFixture.configMap(namespace, name), AdmissionFixture.configMapJson(name, value), AdmissionFixture.TEST_ACTOR));
    }

    public CommandResult updateConfigMap(String namespace, String name, String value) throws Exception {
        return apply(Commands.update(AdmissionFixture.configMap(namespace, name), AdmissionFixture.configMapJson(name, value), null, AdmissionFixture.TEST_ACTOR));
    }

    public CommandResult deleteConfigMap(String namespace, String name) throws Exception {
        return apply(Commands.delete(AdmissionFixture.configMap(namespace, name), null, null, AdmissionFixture.TEST_ACTOR));
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        cluster.close();
        TestFiles.deleteRecursively(stateDir);
    }
}
