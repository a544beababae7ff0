package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.kubelet.KubeletConfig;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.runtime.sim.SimRuntime;
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
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kronika kubelet}: node agents as their own process against any Kronika cluster. Finds the cluster from the
 * options, or from the status file of a cluster started with {@code kronika up} in {@code --data-dir}.
 */
@Command(name = "kubelet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run node agents (kubelets) against a Kronika cluster.",
                "%nRegisters the node(s), heartbeats, and runs the pods bound to them with the chosen runtime: docker (a "
                        + "Docker engine), process (host processes) or sim (simulated, thousands per process).%n"})
public final class KubeletCommand implements Callable<Integer> {
    @Option(names = "--node", defaultValue = "${env:HOSTNAME:-node}", description = "Node name; with --nodes N > 1 the prefix of N names (default: the host name)")
    String node;

    @Option(names = "--nodes", defaultValue = "1", description = "How many nodes to run in this process (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "docker, process, sim, or auto: docker when a Docker engine answers, else process (default: ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--bootstrap-servers", description = "Kafka of the cluster (default: from the status file in --data-dir)")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Schema registry of the cluster (default: from the status file in --data-dir)")
    String schemaRegistryUrl;

    @Option(names = "--topic-prefix", description = "Topic prefix of the cluster (default: from the status file, else kronika.)")
    String topicPrefix;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data directory of a cluster started with kronika up (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--root-dir", description = "Kubelet state: volumes, logs, process records (default: <data-dir>/kubelet)")
    Path rootDir;

    @Option(names = "--endpoint-host", defaultValue = "127.0.0.1", description = "Address of the node endpoint (logs, exec, port-forward) (default: ${DEFAULT-VALUE})")
    String endpointHost;

    @Option(names = "--endpoint-port", defaultValue = "0", description = "Port of the node endpoint (default: a free one)")
    int endpointPort;

    @Option(names = "--advertise-address", defaultValue = "127.0.0.1", description = "Address announced in the Node (default: ${DEFAULT-VALUE})")
    String advertiseAddress;

    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock", description = "Docker engine (default: ${DEFAULT-VALUE})")
    String dockerHost;

    @Option(names = "--max-pods", defaultValue = "110", description = "Pods per node (default: ${DEFAULT-VALUE})")
    int maxPods;

    @Option(names = "--sim-cpu", defaultValue = "32", description = "sim: cores per node (default: ${DEFAULT-VALUE})")
    int simCpu;

    @Option(names = "--sim-memory-gi", defaultValue = "256", description = "sim: memory per node in GiB (default: ${DEFAULT-VALUE})")
    long simMemoryGi;

    @Option(names = "--sim-start-delay", defaultValue = "PT0.2S", description = "sim: created → running (default: ${DEFAULT-VALUE})")
    Duration simStartDelay;

    @Option(names = "--sim-run-duration", defaultValue = "PT5S", description = "sim: how long ending containers run (default: ${DEFAULT-VALUE})")
    Duration simRunDuration;

    @Option(names = "--sim-crash-rate", defaultValue = "0", description = "sim: probability that a container crashes (default: ${DEFAULT-VALUE})")
    double simCrashRate;

    @Option(names = "--sim-pull-failure-rate", defaultValue = "0", description = "sim: probability that a pull fails (default: ${DEFAULT-VALUE})")
    double simPullFailureRate;

    @Override
    public Integer call() throws Exception {
        Optional<ClusterStatus> status = ClusterStatus.readFrom(dataDir.toAbsolutePath().normalize());
        String bootstrap = bootstrapServers != null ? bootstrapServers : status.map(ClusterStatus::kafkaBootstrap).orElse(null);
        String registryUrl = schemaRegistryUrl != null ? schemaRegistryUrl : status.map(ClusterStatus::schemaRegistryUrl).orElse(null);
        String prefix = topicPrefix != null ? topicPrefix : status.map(ClusterStatus::topicPrefix).orElse(TopicNames.DEFAULT_PREFIX);
        if (bootstrap == null || registryUrl == null) {
            System.err.println("kronika kubelet: no cluster found: give --bootstrap-servers and --schema-registry-url, "
                    + "or --data-dir of a cluster started with kronika up");
            return 2;
        }
        if (nodes < 1) {
            System.err.println("kronika kubelet: --nodes must be at least 1");
            return 2;
        }
        String chosen = KubeletFleet.resolveRuntime(runtime, dockerHost);
        Path root = (rootDir != null ? rootDir : dataDir.resolve("kubelet")).toAbsolutePath().normalize();
        Files.createDirectories(root);
        TopicNames topics = new TopicNames(prefix);
        SchemaRegistry registry = new HttpSchemaRegistryClient(registryUrl);
        String instance = "kubelet-" + node;
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            CommandClient client = new CommandClient(bootstrap, topics, registry, instance);
            parts.push(client);
            KafkaStreamsClusterView view = KafkaStreamsClusterView.start(bootstrap, topics, registry,
                    KafkaStreamsClusterView.Settings.forInstance(topics, instance, root.resolve("view")));
            parts.push(view);
            view.awaitRunning(Duration.ofMinutes(10));
            KafkaEventFeed feed = KafkaEventFeed.start(bootstrap, topics, registry, view::offsetOfRevision, KafkaEventFeed.Settings.defaults(instance));
            parts.push(feed);
            feed.awaitRunning(Duration.ofSeconds(60));
            KubeletServices services = KubeletServices.start(bootstrap, topics, registry, client, feed, view,
                    KubeletServices.Settings.defaults().withServer(endpointHost, endpointPort, advertiseAddress));
            parts.push(services);
            SimRuntime.Settings sim = SimRuntime.Settings.defaults().withCapacity(simCpu * 1000L, simMemoryGi << 30)
                    .withDelays(simStartDelay, simRunDuration).withFailureRates(simCrashRate, simPullFailureRate);
            KubeletFleet fleet = KubeletFleet.start(services, KubeletFleet.Options.of(chosen, KubeletFleet.names(node, nodes), root)
                    .withDockerHost(dockerHost).withSim(sim)
                    .withConfig((name, dir) -> KubeletConfig.defaults(name, dir).withCapacity(0, 0, maxPods)));
            parts.push(fleet);
            System.out.println("kronika kubelet: " + nodes + " node(s) " + KubeletFleet.names(node, nodes).get(0)
                    + (nodes > 1 ? " …" : "") + " running with the " + chosen + " runtime"
                    + (KubeletFleet.AUTO.equals(runtime) ? " (auto: " + (KubeletFleet.DOCKER.equals(chosen)
                    ? "a Docker engine answers at " + dockerHost : "no Docker engine answers at " + dockerHost) + ")" : ""));
            System.out.println("kronika kubelet: node endpoint " + services.endpoint() + "; Ctrl-C stops (containers keep running)");
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(parts);
            stopped.countDown();
        }, "kubelet-shutdown"));
        stopped.await();
        return 0;
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                System.err.println("kronika kubelet: stopping: " + e);
            }
        }
    }
}
