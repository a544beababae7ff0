package io.kronika.replay;

import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.gateway.ApiGateway;
import io.kronika.gateway.GatewaySettings;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A cluster's read side on a fixture's topics: the real projections and gateway, started after its log is written. */
final class ServedCluster implements AutoCloseable {
    final ApiGateway gateway;
    private final KafkaStreamsClusterView view;
    private final KafkaEventFeed feed;
    private final Path stateDir;

    ServedCluster(AdmissionFixture fixture) throws Exception {
        stateDir = Files.createTempDirectory("kronika-replay-view");
        view = KafkaStreamsClusterView.start(SharedKafka.bootstrapServers(), fixture.topics, AdmissionFixture.REGISTRY,
                KafkaStreamsClusterView.Settings.forInstance(fixture.topics, "replay-test", stateDir)).awaitRunning(Duration.ofSeconds(120));
        feed = KafkaEventFeed.start(SharedKafka.bootstrapServers(), fixture.topics, AdmissionFixture.REGISTRY, view::offsetOfRevision,
                KafkaEventFeed.Settings.defaults("replay-test-" + fixture.topics.prefix())).awaitRunning(Duration.ofSeconds(60));
        gateway = ApiGateway.start(GatewaySettings.defaults().withPort(0), fixture.client(), view, feed);
    }

    String url() {
        return gateway.url();
    }

    @Override
    public void close() {
        gateway.close();
        feed.close();
        view.close();
        TestFiles.deleteRecursively(stateDir);
    }
}
