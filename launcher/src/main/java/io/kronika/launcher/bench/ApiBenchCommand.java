package io.kronika.launcher.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code kronika bench api}: the Kubernetes REST API over HTTP — creates/s, list latency, watch delivery latency. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Creates/s and latency over HTTP at 1, 16, 64 clients; list latency for 10,000 pods; watch delivery latency for 100 and 1,000 watchers.")
public final class ApiBenchCommand implements Callable<Integer> {
    @Option(names = "--clients", split = ",", defaultValue = "1,16,64", description = "Concurrent HTTP clients per create level (default: ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, description = "Measured time per create level (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class, description = "Warm-up per create level (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--pods", defaultValue = "10000", description = "Pods to list (default: ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--watchers", split = ",", defaultValue = "100,1000", description = "Concurrent watchers per watch level (default: ${DEFAULT-VALUE})")
    List<Integer> watchers;

    @Option(names = "--watch-writes", defaultValue = "100", description = "Objects written per watch level (default: ${DEFAULT-VALUE})")
    int watchWrites;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of an embedded broker")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        QuietLogs.apply();
        Progress progress = new Progress(System.err);
        PrintStream out = System.out;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        try (KronikaBenchCluster cluster = KronikaBenchCluster.start(bootstrapServers, "kronika.", progress)) {
            String api = cluster.apiUrl();
            progress.line("API at " + api);

            List<LevelResult> creates = new ArrayList<>();
            ClosedLoopRunner runner = new ClosedLoopRunner(progress);
            for (int level : clients) {
                creates.add(runner.run(new HttpCreateDriver(http, api, ConfigMapBodies.NAMESPACE, "bench-c" + level + "-"), level, warmup, duration));
            }

            ListLatencyProbe lists = new ListLatencyProbe(http, api, progress);
            progress.line("seeding " + pods + " pods through the log");
            lists.seedPods(cluster.commandClient(), "list-bench", pods);
            long[] full = lists.time("/api/v1/namespaces/list-bench/pods", 20, pods);
            long[] page = lists.time("/api/v1/namespaces/list-bench/pods?limit=500", 50, 500);
            long[] selected = lists.time("/api/v1/namespaces/list-bench/pods?labelSelector=shard%3D3", 20, pods / 10);

            cluster.commandClient().apply(io.kronika.eventstore.client.Commands.create(
                    io.kronika.schemas.ObjectKeys.ref("", "Namespace", "", "watch-bench"),
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"watch-bench\"}}",
                    io.kronika.eventstore.client.Commands.actor("bench", "bench")), Duration.ofSeconds(60));
            List<WatchLatencyProbe.Result> watches = new ArrayList<>();
            WatchLatencyProbe probe = new WatchLatencyProbe(http, api, progress);
            for (int level : watchers) {
                watches.add(probe.run("watch-bench", level, watchWrites, 20));
            }

            out.println("api benchmark: Kubernetes REST API over HTTP/1.1 (JSON), all-in-one cluster in this JVM");
            out.printf(Locale.ROOT, "%-28s %10s %9s %9s%n", "creates (POST configmaps)", "creates/s", "p50 ms", "p99 ms");
            for (LevelResult r : creates) {
                out.printf(Locale.ROOT, "  %4d clients %13s %10.1f %9.2f %9.2f%s%n", r.writers(), "", r.writesPerSecond(), r.p50Millis(), r.p99Millis(),
                        r.firstProblem() == null ? "" : "   (" + r.firstProblem() + ")");
            }
            out.printf(Locale.ROOT, "%-40s %9s %9s%n", "lists of " + pods + " pods", "p50 ms", "p99 ms");
            row(out, "  full list", full);
            row(out, "  first page, limit=500", page);
            row(out, "  labelSelector shard=3 (" + pods / 10 + ")", selected);
            out.printf(Locale.ROOT, "%-40s %9s %9s %12s%n", "watch delivery (write sent → event read)", "p50 ms", "p99 ms", "delivered");
            for (WatchLatencyProbe.Result w : watches) {
                out.printf(Locale.ROOT, "  %4d watchers, %d writes at 20/s %8s %9.2f %9.2f %12s%n", w.watchers(), w.writes(), "",
                        LatencySamples.percentileMillis(w.sortedNanos(), 0.5), LatencySamples.percentileMillis(w.sortedNanos(), 0.99),
                        w.delivered() + "/" + (long) w.watchers() * w.writes());
            }
            out.flush();
        }
        return 0;
    }

    private static void row(PrintStream out, String label, long[] sorted) {
        out.printf(Locale.ROOT, "%-40s %9.2f %9.2f%n", label, LatencySamples.percentileMillis(sorted, 0.5), LatencySamples.percentileMillis(sorted, 0.99));
    }
}
