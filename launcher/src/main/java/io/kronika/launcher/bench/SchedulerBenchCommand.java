package io.kronika.launcher.bench;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.launcher.AllInOneCluster;
import io.kronika.launcher.ClusterOptions;
import io.kronika.projections.EventFeed;
import io.kronika.projections.ClusterView;
import io.kronika.scheduler.Scheduler;
import io.kronika.scheduler.SchedulerOptions;
import io.kronika.scheduler.SchedulerStats;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * {@code kronika bench scheduler}: scheduler_perf's workloads against a whole Kronika cluster in this process —
 * sim Nodes and Pods created through the command client, the real admission processor, projections and scheduler.
 * Throughput is counted from the first measured pod's creation to the last one's bind event, as pods/s.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scheduling throughput (pods/s) on sim nodes, scheduler_perf style, beside kube-scheduler's floor.",
                "%nWorkloads (each on a fresh cluster): basic = SchedulingBasic (pod-default: 100m cpu, 500Mi); "
                        + "anti-affinity = SchedulingPodAntiAffinity (required anti-affinity on hostname); "
                        + "spread = TopologySpreading (maxSkew 5 over 3 zones, DoNotSchedule). "
                        + "Progress goes to stderr, the result table to stdout.%n"})
public final class SchedulerBenchCommand implements Callable<Integer> {
    @Option(names = "--workloads", split = ",", defaultValue = "basic,anti-affinity,spread",
            description = "Workloads to run (default: ${DEFAULT-VALUE})")
    List<String> workloads;

    @Option(names = "--nodes", defaultValue = "5000", description = "Sim nodes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--init-pods", description = "Pods placed before measuring (default: the workload's: 1000, 1000, 5000)")
    Integer initPods;

    @Option(names = "--pods", description = "Measured pods (default: the workload's: 10000, 2000, 2000)")
    Integer pods;

    @Option(names = "--profile", description = "A KubeSchedulerConfiguration file (default: kube-scheduler's defaults)")
    Path profile;

    @Option(names = "--no-scheduled-events", description = "Do not create a Scheduled Event per binding")
    boolean noScheduledEvents;

    @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
            description = "Give up on a phase after this long (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--in-flight", defaultValue = "256",
            description = "Create commands sent without waiting for their answers (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of an embedded broker")
    String bootstrapServers;

    private static final Actor ACTOR = Commands.actor("bench", "bench", "system:masters");

    /** One scheduler_perf workload shape and kube-scheduler's published floor for it (pods/s, null if none). */
    record Workload(String name, String perfName, int defaultInit, int defaultMeasured, String floorNote, Double floor) {
    }

    static final Map<String, Workload> WORKLOADS = Map.of(
            "basic", new Workload("basic", "SchedulingBasic", 1000, 10_000,
                    "270 (5000Nodes_10000Pods; current upstream threshold 680)", 270.0),
            "anti-affinity", new Workload("anti-affinity", "SchedulingPodAntiAffinity", 1000, 2000,
                    "60 (5000Nodes_2000Pods)", 60.0),
            "spread", new Workload("spread", "TopologySpreading", 5000, 2000, "none published here", null));

    record Result(Workload workload, int nodes, int init, int measured, double createdPerSecond, double podsPerSecond,
                  double p50Millis, double p99Millis, double seconds, SchedulerStats stats, String problem) {
    }

    @Override
    public Integer call() throws Exception {
        for (String w : workloads) {
            if (!WORKLOADS.containsKey(w)) {
                System.err.println("unknown workload " + w + "; known: " + WORKLOADS.keySet());
                return 2;
            }
        }
        if (nodes < 1) {
            System.err.println("--nodes must be positive");
            return 2;
        }
        QuietLogs.apply();
        Progress progress = new Progress(System.err);
        SchedulerConfiguration configuration = profile == null ? SchedulerConfiguration.defaults() : SchedulerConfiguration.load(profile);
        List<Result> results = new ArrayList<>();
        int exit = 0;
        for (String name : workloads) {
            Workload w = WORKLOADS.get(name);
            try {
                results.add(run(w, configuration, progress));
            } catch (Exception e) {
                progress.line(w.perfName() + ": FAILED: " + e);
                results.add(new Result(w, nodes, 0, 0, 0, 0, 0, 0, 0, null, e.toString()));
                exit = 1;
            }
        }
        System.err.println();
        print(System.out, results);
        return exit;
    }

    private Result run(Workload w, SchedulerConfiguration configuration, Progress progress) throws Exception {
        int init = initPods != null ? initPods : w.defaultInit();
        int measured = pods != null ? pods : w.defaultMeasured();
        String prefix = "bench-" + Long.toHexString(System.nanoTime()).substring(4) + ".";
        Path dataDir = TempDirs.create("kronika-bench-scheduler-");
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            ClusterOptions options = ClusterOptions.defaults(dataDir);
            options.topicPrefix = prefix;
            options.bootstrapServers = bootstrapServers;
            options.nodes = 0; // no kubelets: the benchmark's sim Node objects are the only nodes
            options.scheduler = false; // the benchmark starts and measures its own scheduler
            options.controllers = false;
            progress.line(w.perfName() + ": starting a cluster" + (bootstrapServers == null ? " (embedded Kafka)" : " on " + bootstrapServers));
            AllInOneCluster cluster = AllInOneCluster.start(options, m -> progress.line("kronika: " + m));
            parts.add(cluster);
            String bootstrap = cluster.status().kafkaBootstrap();
            TopicNames topics = options.topics();
            ClusterView view = cluster.view();
            EventFeed feed = cluster.feed();
            CommandClient client = cluster.commandClient();

            Tracker tracker = new Tracker();
            EventFeed.Subscription watch = feed.subscribe(view.appliedRevision(),
                    e -> e.getRef().getKind().equals("Pod") && e.getRef().getGroup().isEmpty(), tracker::onEvent,
                    error -> tracker.failure.set(error));
            parts.add(watch);

            String[] namespaces = w.name().equals("anti-affinity") ? new String[]{"sched-0", "sched-1"} : new String[]{"sched-0"};
            for (String ns : namespaces) {
                apply(client, Commands.create(ObjectKeys.ref("", "Namespace", "", ns),
                        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}", ACTOR));
            }
            progress.line(w.perfName() + ": creating " + nodes + " sim nodes");
            long t0 = System.nanoTime();
            submitAll(client, nodes, i -> Commands.create(ObjectKeys.ref("", "Node", "", nodeName(i)), nodeJson(w, i), ACTOR));
            progress.line(String.format("%s: %d nodes in %.1f s", w.perfName(), nodes, (System.nanoTime() - t0) / 1e9));

            SchedulerOptions schedulerOptions = SchedulerOptions.defaults().withInstanceId("bench").withLeaderElection(false)
                    .withScheduledEvents(!noScheduledEvents);
            Scheduler scheduler = Scheduler.start(client, view, feed, bootstrap, topics, configuration, schedulerOptions);
            parts.add(scheduler);
            if (!scheduler.awaitSynced(timeout)) {
                throw new IllegalStateException("the scheduler did not sync within " + timeout);
            }

            String initNs = "sched-0";
            String measuredNs = w.name().equals("anti-affinity") ? "sched-1" : "sched-0";
            if (init > 0) {
                progress.line(w.perfName() + ": placing " + init + " initial pods");
                t0 = System.nanoTime();
                submitAll(client, init, i -> createPod(initNs, "init-" + i, initPodJson(w, initNs, "init-" + i)));
                tracker.awaitBound(initNs, "init-", init, timeout, progress, w.perfName());
                progress.line(String.format("%s: %d initial pods placed in %.1f s", w.perfName(), init, (System.nanoTime() - t0) / 1e9));
            }

            progress.line(w.perfName() + ": measuring " + measured + " pods");
            long startMillis = System.currentTimeMillis();
            tracker.measuredNamespace = measuredNs;
            submitAll(client, measured, i -> createPod(measuredNs, "pod-" + i, measuredPodJson(w, measuredNs, "pod-" + i)));
            double createSeconds = Math.max(0.001, (System.currentTimeMillis() - startMillis) / 1e3);
            progress.line(String.format("%s: %d pods created in %.1f s", w.perfName(), measured, createSeconds));
            tracker.awaitBound(measuredNs, "pod-", measured, timeout, progress, w.perfName());
            long lastBind = tracker.lastBindMillis(measuredNs, "pod-");
            double seconds = Math.max(0.001, (lastBind - startMillis) / 1e3);
            double[] latencies = tracker.latenciesMillis(measuredNs, "pod-");
            Arrays.sort(latencies);
            SchedulerStats stats = scheduler.stats();
            Result r = new Result(w, nodes, init, measured, measured / createSeconds, measured / seconds, percentile(latencies, 0.50),
                    percentile(latencies, 0.99), seconds, stats, null);
            progress.line(String.format("%s: %.1f pods/s (%d pods in %.2f s), creation→bind p50 %.0f ms, p99 %.0f ms; "
                            + "%d attempts, %d unschedulable, %d bind conflicts",
                    w.perfName(), r.podsPerSecond(), measured, seconds, r.p50Millis(), r.p99Millis(),
                    stats.attempts(), stats.unschedulable(), stats.bindConflicts()));
            return r;
        } finally {
            progress.line(w.perfName() + ": stopping the cluster");
            for (int i = parts.size() - 1; i >= 0; i--) {
                try {
                    parts.get(i).close();
                } catch (Exception e) {
                    progress.line("stopping " + parts.get(i).getClass().getSimpleName() + " failed: " + e);
                }
            }
            TempDirs.deleteQuietly(dataDir);
        }
    }

    /** Pod events as they are applied: ADDED time and BIND time per pod, from the log's own timestamps. */
    private static final class Tracker {
        final Map<String, Long> added = new ConcurrentHashMap<>();
        final Map<String, Long> bound = new ConcurrentHashMap<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile String measuredNamespace;

        void onEvent(ObjectEvent e) {
            String key = e.getRef().getNamespace() + "/" + e.getRef().getName();
            long ts = e.getTimestamp().toEpochMilli();
            if (e.getType() == EventType.ADDED) {
                added.put(key, ts);
            } else if (e.getOperation() == Operation.BIND) {
                bound.put(key, ts);
            }
        }

        long count(String ns, String prefix) {
            String p = ns + "/" + prefix;
            return bound.keySet().stream().filter(k -> k.startsWith(p)).count();
        }

        void awaitBound(String ns, String prefix, int n, Duration timeout, Progress progress, String label) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastReport = System.nanoTime();
            while (count(ns, prefix) < n) {
                if (failure.get() != null) {
                    throw new IllegalStateException("the event feed ended: " + failure.get(), failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(count(ns, prefix) + " of " + n + " pods bound after " + timeout);
                }
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    progress.line(label + ": " + count(ns, prefix) + " of " + n + " bound");
                    lastReport = System.nanoTime();
                }
                Thread.sleep(20);
            }
        }

        long lastBindMillis(String ns, String prefix) {
            String p = ns + "/" + prefix;
            return bound.entrySet().stream().filter(e -> e.getKey().startsWith(p)).mapToLong(Map.Entry::getValue).max().orElse(0);
        }

        double[] latenciesMillis(String ns, String prefix) {
            String p = ns + "/" + prefix;
            return bound.entrySet().stream().filter(e -> e.getKey().startsWith(p) && added.containsKey(e.getKey()))
                    .mapToDouble(e -> e.getValue() - added.get(e.getKey())).toArray();
        }
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static CommandResult apply(CommandClient client, io.kronika.schemas.Command command) throws Exception {
        return client.apply(command, Duration.ofMinutes(1));
    }

    /** Submits {@code n} commands with at most {@code --in-flight} unanswered; fails on the first refusal. */
    private void submitAll(CommandClient client, int n, IntFunction<io.kronika.schemas.Command> command) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<String> problem = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < n && problem.get() == null; i++) {
            if (!window.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no answer from the admission processor within " + timeout);
            }
            CompletableFuture<CommandResult> answer = client.submit(command.apply(i));
            answer.whenComplete((r, e) -> {
                if (e != null) {
                    problem.compareAndSet(null, e.toString());
                } else if (r.getOutcome() == Outcome.REJECTED) {
                    problem.compareAndSet(null, r.getCode() + " " + r.getReason() + ": " + r.getMessage());
                }
                done.incrementAndGet();
                window.release();
            });
        }
        if (!window.tryAcquire(inFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no answer from the admission processor within " + timeout);
        }
        if (problem.get() != null) {
            throw new IllegalStateException("a command was refused: " + problem.get());
        }
    }

    private static io.kronika.schemas.Command createPod(String ns, String name, String json) {
        return Commands.create(ObjectKeys.ref("", "Pod", ns, name), json, ACTOR);
    }

    static String nodeName(int i) {
        return String.format("sim-node-%05d", i);
    }

    private static final String[] ZONES = {"moon-1", "moon-2", "moon-3"};

    /** scheduler_perf's node-default: 4 cpu, 32Gi, 110 pods, Ready; zones for the spreading workload. */
    static String nodeJson(Workload w, int i) {
        String name = nodeName(i);
        String zone = w.name().equals("spread") ? ",\"topology.kubernetes.io/zone\":\"" + ZONES[i % ZONES.length] + "\"" : "";
        return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                + "\"kubernetes.io/hostname\":\"" + name + "\",\"type\":\"sim\"" + zone + "}},"
                + "\"spec\":{},\"status\":{\"capacity\":{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"},"
                + "\"allocatable\":{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"},"
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}],"
                + "\"phase\":\"Running\"}}";
    }

    private static String podJson(String ns, String name, String labels, String extraSpec) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\""
                + (labels.isEmpty() ? "" : ",\"labels\":{" + labels + "}") + "},"
                + "\"spec\":{" + extraSpec + "\"containers\":[{\"name\":\"pause\",\"image\":\"registry.k8s.io/pause:3.9\","
                + "\"ports\":[{\"containerPort\":80}],"
                + "\"resources\":{\"limits\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"}}}]}}";
    }

    static String initPodJson(Workload w, String ns, String name) {
        return w.name().equals("anti-affinity") ? antiAffinityPod(ns, name) : podJson(ns, name, "", "");
    }

    static String measuredPodJson(Workload w, String ns, String name) {
        return switch (w.name()) {
            case "anti-affinity" -> antiAffinityPod(ns, name);
            case "spread" -> podJson(ns, name, "\"color\":\"blue\"", "\"topologySpreadConstraints\":[{\"maxSkew\":5,"
                    + "\"topologyKey\":\"topology.kubernetes.io/zone\",\"whenUnsatisfiable\":\"DoNotSchedule\","
                    + "\"labelSelector\":{\"matchLabels\":{\"color\":\"blue\"}}}],");
            default -> podJson(ns, name, "", "");
        };
    }

    /** scheduler_perf's pod-with-pod-anti-affinity: no two "green" pods (of either namespace) on one host. */
    private static String antiAffinityPod(String ns, String name) {
        return podJson(ns, name, "\"color\":\"green\"", "\"affinity\":{\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                + "[{\"labelSelector\":{\"matchLabels\":{\"color\":\"green\"}},\"topologyKey\":\"kubernetes.io/hostname\","
                + "\"namespaces\":[\"sched-0\",\"sched-1\"]}]}},");
    }

    private static void print(PrintStream out, List<Result> results) {
        out.println("Kronika scheduler vs kube-scheduler's scheduler_perf floor (pods/s from creation to bind event)");
        out.printf("%-28s %6s %6s %8s %10s %10s %8s %8s  %s%n", "workload", "nodes", "init", "measured", "created/s", "pods/s",
                "p50 ms", "p99 ms", "kube-scheduler floor (pods/s)");
        for (Result r : results) {
            if (r.problem() != null) {
                out.printf("%-28s %6d %6s %8s %10s %10s %8s %8s  %s%n", r.workload().perfName(), r.nodes(), "-", "-", "-", "FAILED",
                        "-", "-", r.problem());
                continue;
            }
            String floor = r.workload().floor() == null ? r.workload().floorNote()
                    : String.format("%s  → %.1f×", r.workload().floorNote(), r.podsPerSecond() / r.workload().floor());
            out.printf("%-28s %6d %6d %8d %10.1f %10.1f %8.0f %8.0f  %s%n", r.workload().perfName(), r.nodes(), r.init(),
                    r.measured(), r.createdPerSecond(), r.podsPerSecond(), r.p50Millis(), r.p99Millis(), floor);
        }
        out.println("created/s: how fast the measured pods were admitted (the same log also carries the bindings); when pods/s is"
                + " close to it, the write path, not the scheduler, set the pace.");
        out.println("One JVM on this machine runs Kafka, the admission processor, the projections, the scheduler and the load;"
                + " kube-scheduler's floors are its CI thresholds (scheduler_perf performance-config.yaml).");
    }
}
