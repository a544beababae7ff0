package io.kronika.launcher;

import io.kronika.controllers.ControllerManager;
import io.kronika.controllers.ControllerOptions;
import io.kronika.controllers.core.NodeLifecycleController;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.registry.HttpSchemaRegistryClient;
import io.kronika.schemas.registry.SchemaRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kronika controllers}: the controller manager as its own process against any Kronika cluster; several may run,
 * one leads (leader election through Kafka group membership).
 */
@Command(name = "controllers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the controllers (ReplicaSet, ReplicationController, Deployment, garbage collector, namespace, "
                + "node lifecycle) against a Kronika cluster.%n"})
public final class ControllersCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "Kafka of the cluster (default: from the status file in --data-dir)")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Schema registry of the cluster (default: from the status file in --data-dir)")
    String schemaRegistryUrl;

    @Option(names = "--topic-prefix", description = "Topic prefix of the cluster (default: from the status file, else kronika.)")
    String topicPrefix;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data directory of a cluster started with kronika up (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--state-dir", description = "State of this process's view (default: <data-dir>/controllers-<id>)")
    Path stateDir;

    @Option(names = "--id", defaultValue = "controllers-${env:HOSTNAME:-local}", description = "Member name in the leader election (default: ${DEFAULT-VALUE})")
    String id;

    @Option(names = "--leader-elect", defaultValue = "true", negatable = true, description = "Act only while leading (default: ${DEFAULT-VALUE})")
    boolean leaderElect;

    @Option(names = "--controllers", split = ",", description = "Controllers to run (default: all of "
            + "replicaset, replicationcontroller, deployment, garbagecollector, namespace, nodelifecycle)")
    String[] controllers;

    @Option(names = "--node-monitor-grace-period", defaultValue = "PT40S", description = "Lease silence before a node is Unknown (default: ${DEFAULT-VALUE})")
    Duration nodeMonitorGracePeriod;

    @Option(names = "--node-monitor-period", defaultValue = "PT5S", description = "How often nodes are checked (default: ${DEFAULT-VALUE})")
    Duration nodeMonitorPeriod;

    @Option(names = "--default-toleration-seconds", defaultValue = "300", description = "Eviction delay of pods without a toleration of the unreachable taint (default: ${DEFAULT-VALUE})")
    long defaultTolerationSeconds;

    @Override
    public Integer call() throws Exception {
        Optional<ClusterStatus> status = ClusterStatus.readFrom(dataDir.toAbsolutePath().normalize());
        String bootstrap = bootstrapServers != null ? bootstrapServers : status.map(ClusterStatus::kafkaBootstrap).orElse(null);
        String registryUrl = schemaRegistryUrl != null ? schemaRegistryUrl : status.map(ClusterStatus::schemaRegistryUrl).orElse(null);
        String prefix = topicPrefix != null ? topicPrefix : status.map(ClusterStatus::topicPrefix).orElse(TopicNames.DEFAULT_PREFIX);
        if (bootstrap == null || registryUrl == null) {
            System.err.println("kronika controllers: no cluster found: give --bootstrap-servers and --schema-registry-url, "
                    + "or --data-dir of a cluster started with kronika up");
            return 2;
        }
        Set<String> enabled = controllers == null ? ControllerManager.ALL : new LinkedHashSet<>(Arrays.asList(controllers));
        for (String name : enabled) {
            if (!ControllerManager.ALL.contains(name)) {
                System.err.println("kronika controllers: unknown controller " + name + "; known: " + ControllerManager.ALL);
                return 2;
            }
        }
        Path state = (stateDir != null ? stateDir : dataDir.resolve(id)).toAbsolutePath().normalize();
        Files.createDirectories(state);
        TopicNames topics = new TopicNames(prefix);
        SchemaRegistry registry = new HttpSchemaRegistryClient(registryUrl);
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            CommandClient client = new CommandClient(bootstrap, topics, registry, id);
            parts.push(client);
            KafkaStreamsClusterView view = KafkaStreamsClusterView.start(bootstrap, topics, registry,
                    KafkaStreamsClusterView.Settings.forInstance(topics, id, state.resolve("view")));
            parts.push(view);
            view.awaitRunning(Duration.ofMinutes(10));
            KafkaEventFeed feed = KafkaEventFeed.start(bootstrap, topics, registry, view::offsetOfRevision, KafkaEventFeed.Settings.defaults(id));
            parts.push(feed);
            feed.awaitRunning(Duration.ofSeconds(60));
            ControllerManager manager = ControllerManager.start(client, view, feed, bootstrap, topics, ControllerOptions.defaults()
                    .withInstanceId(id).withLeaderElection(leaderElect).withEnabled(enabled)
                    .withNodeLifecycle(new NodeLifecycleController.Settings(nodeMonitorPeriod, nodeMonitorGracePeriod, defaultTolerationSeconds)));
            parts.push(manager);
            System.out.println("kronika controllers: " + String.join(", ", enabled) + " running as " + id
                    + (leaderElect ? " (acting while it leads the controller-manager election)" : " (no leader election)"));
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(parts);
            stopped.countDown();
        }, "controllers-shutdown"));
        stopped.await();
        return 0;
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                System.err.println("kronika controllers: stopping: " + e);
            }
        }
    }
}
