package io.kronika.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.kubelet.Kubelet;
import io.kronika.kubelet.KubeletConfig;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.runtime.docker.DockerRuntime;
import io.kronika.kubelet.runtime.sim.SimRuntime;
import io.kronika.launcher.AllInOneCluster;
import io.kronika.launcher.ClusterOptions;
import io.kronika.projections.EventFeed;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code kronika bench pods}: pod startup latency, from the create request to the pod seen Running and Ready by a
 * watch, at a fixed rate of creates, with the sim runtime on many nodes and with the docker runtime on one node;
 * printed beside Kubernetes' SLO (p99 ≤ 5 s, image pulls excluded). Pods are created with spec.nodeName set (round
 * robin over the nodes), so the figure is the kubelet's and the log's, not a scheduler's.
 */
@Command(name = "pods", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pod startup latency (create → Running seen by a watch): sim nodes and a docker node.",
                "%nProgress goes to stderr, the result table to stdout.%n"})
public final class PodsBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SLO_P99_MILLIS = 5_000;

    @Option(names = "--rate", defaultValue = "20", description = "Pod creates per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--sim-nodes", defaultValue = "100", description = "Simulated nodes (default: ${DEFAULT-VALUE})")
    int simNodes;

    @Option(names = "--sim-pods", defaultValue = "300", description = "Pods created on the sim nodes (default: ${DEFAULT-VALUE})")
    int simPods;

    @Option(names = "--sim-start-delay", defaultValue = "PT0.2S", description = "sim: created → running (default: ${DEFAULT-VALUE})")
    Duration simStartDelay;

    @Option(names = "--docker-pods", defaultValue = "60", description = "Pods created on the docker node (default: ${DEFAULT-VALUE})")
    int dockerPods;

    @Option(names = "--docker-image", defaultValue = "kronika/busybox:local",
            description = "A local image with sleep (no registry is used) (default: ${DEFAULT-VALUE})")
    String dockerImage;

    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock", description = "Docker engine (default: ${DEFAULT-VALUE})")
    String dockerHost;

    @Option(names = "--skip-sim", description = "Measure the docker node only")
    boolean skipSim;

    @Option(names = "--skip-docker", description = "Measure the sim nodes only")
    boolean skipDocker;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "Longest wait for the pods of one scenario (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of an embedded broker")
    String bootstrapServers;

    record Result(String scenario, int pods, int running, long[] sortedNanos, String note) {
    }

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || simNodes < 1 || simPods < 0 || dockerPods < 0) {
            System.err.println("--rate, --sim-nodes must be positive and pod counts not negative");
            return 2;
        }
        QuietLogs.apply();
        Progress progress = new Progress(System.err);
        Path dataDir = TempDirs.create("kronika-bench-pods-");
        List<Result> results = new ArrayList<>();
        ClusterOptions options = ClusterOptions.defaults(dataDir);
        options.topicPrefix = "bench.";
        options.bootstrapServers = bootstrapServers;
        options.nodes = 0; // the benchmark starts its own nodes and places pods itself
        options.scheduler = false;
        options.controllers = false;
        try (AllInOneCluster cluster = AllInOneCluster.start(options, m -> progress.line("kronika: " + m));
             KubeletServices services = KubeletServices.start(cluster.status().kafkaBootstrap(), new TopicNames(cluster.status().topicPrefix()),
                     cluster.schemaRegistry(), cluster.commandClient(), cluster.feed(), cluster.view(), KubeletServices.Settings.defaults())) {
            if (!skipSim && simPods > 0) {
                results.add(scenario(cluster, services, progress, dataDir, KubeletFleet.SIM, KubeletFleet.names("bench-sim", simNodes),
                        simPods, "registry.k8s.io/pause:3.10", null));
            }
            if (!skipDocker && dockerPods > 0) {
                if (!DockerRuntime.engineAnswers(dockerHost)) {
                    results.add(new Result("docker, 1 node", 0, 0, new long[0],
                            "no Docker engine answers at " + dockerHost + " (scripts/docker-engine.sh ensure starts one)"));
                } else {
                    results.add(scenario(cluster, services, progress, dataDir, KubeletFleet.DOCKER, List.of("bench-docker"),
                            dockerPods, dockerImage, List.of("sleep", "3600")));
                }
            }
        } finally {
            TempDirs.deleteQuietly(dataDir);
        }
        print(results);
        return 0;
    }

    private Result scenario(AllInOneCluster cluster, KubeletServices services, Progress progress, Path dataDir, String runtime,
                            List<String> nodes, int pods, String image, List<String> command) throws Exception {
        String label = runtime + ", " + nodes.size() + (nodes.size() == 1 ? " node" : " nodes");
        progress.line("Starting " + nodes.size() + " " + runtime + " kubelet(s)");
        KubeletFleet.Options fleetOptions = KubeletFleet.Options.of(runtime, nodes, dataDir.resolve("kubelet"))
                .withDockerHost(dockerHost)
                .withSim(SimRuntime.Settings.defaults().withDelays(simStartDelay, Duration.ofMinutes(10)))
                .withConfig(KubeletConfig::defaults);
        try (KubeletFleet fleet = KubeletFleet.start(services, fleetOptions)) {
            if (KubeletFleet.DOCKER.equals(runtime) && !fleet.kubelets().get(0).runtime().imagePresent(image)) {
                return new Result(label, 0, 0, new long[0], "image " + image + " is not present (scripts/docker-engine.sh ensure builds it)");
            }
            String ns = "bench-" + runtime + "-" + Long.toString(System.currentTimeMillis(), 36);
            CommandClient client = cluster.commandClient();
            Actor actor = Commands.actor("bench", "bench-pods");
            client.apply(Commands.create(ObjectKeys.ref("", "Namespace", "", ns),
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}", actor), Duration.ofSeconds(30));

            Map<String, Long> submitted = new ConcurrentHashMap<>();
            Map<String, Long> seenRunning = new ConcurrentHashMap<>();
            EventFeed.Subscription watch = cluster.feed().subscribe(cluster.view().appliedRevision(),
                    e -> "Pod".equals(e.getRef().getKind()) && ns.equals(e.getRef().getNamespace()),
                    e -> observe(e, seenRunning), error -> progress.line("watch ended: " + error));
            try {
                progress.line("Creating " + pods + " pods at " + rate + "/s on " + label);
                long start = System.nanoTime();
                long periodNanos = (long) (1e9 / rate);
                List<java.util.concurrent.CompletableFuture<CommandResult>> answers = new ArrayList<>();
                for (int i = 0; i < pods; i++) {
                    long due = start + i * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String name = "pod-" + i;
                    String json = podJson(name, nodes.get(i % nodes.size()), image, command);
                    submitted.put(name, System.nanoTime());
                    answers.add(client.submit(Commands.create(ObjectKeys.ref("", "Pod", ns, name), json, actor)));
                }
                int refused = 0;
                for (var answer : answers) {
                    if (answer.get(60, TimeUnit.SECONDS).getOutcome() != Outcome.ACCEPTED) {
                        refused++;
                    }
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (seenRunning.size() < pods - refused && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                progress.line(seenRunning.size() + " of " + pods + " pods seen Running on " + label);
                LatencySamples samples = new LatencySamples();
                seenRunning.forEach((name, at) -> samples.add(at - submitted.get(name)));
                long[] sorted = LatencySamples.mergeSorted(List.of(samples));
                String note = refused > 0 ? refused + " creates refused" : "";
                Result result = new Result(label, pods, seenRunning.size(), sorted, note);
                cleanUp(client, actor, ns, pods, fleet, progress);
                return result;
            } finally {
                watch.close();
            }
        }
    }

    private static void observe(ObjectEvent event, Map<String, Long> seenRunning) {
        long now = System.nanoTime();
        try {
            JsonNode pod = JSON.readTree(event.getObject());
            if (!"Running".equals(pod.path("status").path("phase").asText())) {
                return;
            }
            for (JsonNode c : pod.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                    seenRunning.putIfAbsent(event.getRef().getName(), now);
                }
            }
        } catch (Exception ignored) {
            // not a pod we can read
        }
    }

    private static String podJson(String name, String node, String image, List<String> command) throws Exception {
        var pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).putObject("labels").put("app", "bench");
        var spec = pod.putObject("spec");
        spec.put("nodeName", node).put("restartPolicy", "Always").put("terminationGracePeriodSeconds", 1);
        var container = spec.putArray("containers").addObject();
        container.put("name", "c").put("image", image).put("imagePullPolicy", "IfNotPresent");
        if (command != null) {
            var cmd = container.putArray("command");
            command.forEach(cmd::add);
        }
        return JSON.writeValueAsString(pod);
    }

    private void cleanUp(CommandClient client, Actor actor, String ns, int pods, KubeletFleet fleet, Progress progress) throws Exception {
        progress.line("Deleting the pods");
        List<java.util.concurrent.CompletableFuture<CommandResult>> deletes = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            deletes.add(client.submit(Commands.delete(ObjectKeys.ref("", "Pod", ns, "pod-" + i), null, null, actor)));
        }
        for (var d : deletes) {
            d.get(60, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (fleet.kubelets().stream().mapToInt(Kubelet::podCount).sum() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static void print(List<Result> results) {
        System.out.println();
        System.out.println("Pod startup latency: create → Running and Ready seen by a watch (Kubernetes SLO: p99 ≤ 5 s, image pulls excluded)");
        System.out.printf("%-22s %6s %8s %10s %10s %10s  %-8s %s%n", "scenario", "pods", "running", "p50 ms", "p99 ms", "max ms", "SLO", "note");
        for (Result r : results) {
            double p50 = LatencySamples.percentileMillis(r.sortedNanos(), 0.50);
            double p99 = LatencySamples.percentileMillis(r.sortedNanos(), 0.99);
            double max = LatencySamples.percentileMillis(r.sortedNanos(), 1.0);
            String verdict = r.sortedNanos().length == 0 ? "-" : (p99 <= SLO_P99_MILLIS && r.running() == r.pods() ? "met" : "missed");
            System.out.printf("%-22s %6d %8d %10.0f %10.0f %10.0f  %-8s %s%n", r.scenario(), r.pods(), r.running(), p50, p99, max, verdict, r.note());
        }
    }
}
