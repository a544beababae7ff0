package io.kronika.gateway.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.gateway.ApiGateway;
import io.kronika.gateway.GatewaySettings;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cluster for the gateway tests of this JVM: the real broker and admission processor (AdmissionFixture), the
 * real projections (Kafka Streams view and event feed; {@code -Dkronika.test.projections=memory} swaps in
 * {@link InMemoryProjections}), and a gateway; tests isolate themselves by namespace. Started on first use,
 * stopped at JVM exit.
 */
public final class TestCluster {
    private static TestCluster shared;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    public final AdmissionFixture admission;
    public final ClusterView view;
    public final EventFeed feed;
    private final AutoCloseable projections;
    private Path stateDir;
    public final ApiGateway gateway;
    private final KubernetesClient client;

    private TestCluster() throws Exception {
        admission = new AdmissionFixture();
        if ("memory".equals(System.getProperty("kronika.test.projections"))) {
            InMemoryProjections inMemory = new InMemoryProjections(SharedKafka.bootstrapServers(), admission.topics.events(), AdmissionFixture.REGISTRY);
            view = inMemory;
            feed = inMemory;
            projections = inMemory;
        } else {
            stateDir = Files.createTempDirectory("kronika-gateway-view");
            KafkaStreamsClusterView streamsView = KafkaStreamsClusterView.start(SharedKafka.bootstrapServers(), admission.topics,
                    AdmissionFixture.REGISTRY, KafkaStreamsClusterView.Settings.forInstance(admission.topics, "gateway-test", stateDir))
                    .awaitRunning(Duration.ofSeconds(120));
            KafkaEventFeed kafkaFeed = KafkaEventFeed.start(SharedKafka.bootstrapServers(), admission.topics, AdmissionFixture.REGISTRY,
                    streamsView::offsetOfRevision, KafkaEventFeed.Settings.defaults("gateway-test-" + admission.topics.prefix()))
                    .awaitRunning(Duration.ofSeconds(60));
            view = streamsView;
            feed = kafkaFeed;
            projections = () -> {
                kafkaFeed.close();
                streamsView.close();
            };
        }
        gateway = startGateway(0);
        client = client(gateway.url());
    }

    public static synchronized TestCluster shared() {
        if (shared == null) {
            try {
                shared = new TestCluster();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the test cluster", e);
            }
            TestCluster started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-cluster-shutdown"));
        }
        return shared;
    }

    /** Another gateway over the same command client and projections (e.g. to restart one on a fixed port). */
    public ApiGateway startGateway(int port) {
        return ApiGateway.start(GatewaySettings.defaults().withPort(port).withBookmarkInterval(Duration.ofSeconds(2)),
                admission.client(), view, feed);
    }

    /** The fabric8 client of the shared gateway. */
    public KubernetesClient client() {
        return client;
    }

    public static KubernetesClient client(String url) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withNamespace("default")
                .withRequestTimeout(30_000)
                .withConnectionTimeout(10_000)
                .withWatchReconnectInterval(100)
                .withWatchReconnectLimit(-1)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Creates a namespace no other test uses. */
    public String newNamespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private boolean closed;

    /** Stops the gateway, projections and admission processor (the broker stays up for the JVM); idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
            gateway.close();
            projections.close();
            admission.close();
            TestFiles.deleteRecursively(stateDir);
        } catch (Exception e) {
            // the JVM is exiting
        }
    }
}
