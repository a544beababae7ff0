package io.kronika.launcher.bench;

import io.kronika.eventstore.broker.EmbeddedKafkaBroker;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.projections.ListPage;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.eventstore.admission.AdmissionProcessor;
import io.kronika.replay.Audit;
import io.kronika.replay.HistoryFile;
import io.kronika.replay.HistoryImport;
import io.kronika.replay.Cluster;
import io.kronika.replay.KindMatcher;
import io.kronika.replay.LogReader;
import io.kronika.replay.Replay;
import io.kronika.replay.SnapshotStore;
import io.kronika.replay.Snapshotter;
import io.kronika.replay.StateFold;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.registry.InMemorySchemaRegistry;
import io.kronika.schemas.registry.SchemaRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code kronika bench history}: a log of N events (default a million), then replay throughput from scratch and
 * from the nearest snapshot, the latency of listing every pod as of random revisions (from the view, and over HTTP
 * through a gateway's {@code /history/revision/R} path), and audit query latency.
 */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay, snapshot, time-travel list and audit figures over a large log.",
                "%nThe log is written straight to the events topic (a valid synthetic history: nodes, pods created, bound, "
                        + "updated and deleted), not through the admission processor. Progress goes to stderr, figures to stdout.%n"})
public final class HistoryBenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", description = "Events in the log (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--live-pods", defaultValue = "10000", description = "Steady population of pods (default: ${DEFAULT-VALUE})")
    int livePods;

    @Option(names = "--snapshot-every", defaultValue = "100000", description = "Events between snapshots (default: ${DEFAULT-VALUE})")
    long snapshotEvery;

    @Option(names = "--samples", defaultValue = "20", description = "Random revisions for replays from a snapshot and for lists (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--import-events", defaultValue = "100000",
            description = "Events of the log exported and imported into a fresh topic prefix through the admission processor (default: ${DEFAULT-VALUE}; 0 to skip)")
    long importEvents;

    @Option(names = "--gateway-lists", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also time the lists through an API gateway's /history/revision/R path, as JSON and as a Table (default: ${DEFAULT-VALUE})")
    boolean gatewayLists;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of an embedded broker")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        if (events < 1000 || samples < 1 || snapshotEvery < 1) {
            System.err.println("--events must be at least 1000, --samples and --snapshot-every positive");
            return 2;
        }
        QuietLogs.apply();
        Progress progress = new Progress(System.err);
        Path dir = TempDirs.create("kronika-bench-history-");
        Thread cleanup = new Thread(() -> TempDirs.deleteQuietly(dir), "kronika-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<String[]> rows = new ArrayList<>();
        EmbeddedKafkaBroker broker = null;
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                progress.line("starting an embedded Kafka broker in " + dir);
                broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
                bootstrap = broker.bootstrapServers();
            }
            TopicNames topics = new TopicNames("bench-history-" + UUID.randomUUID().toString().substring(0, 8) + ".");
            TopicProvisioner.ensureTopics(bootstrap, topics, (short) (broker != null ? 1 : -1));
            SchemaRegistry registry = new InMemorySchemaRegistry(); // writer and readers share this process
            Cluster cluster = new Cluster(bootstrap, registry, topics, null);
            LogReader reader = new LogReader(cluster);

            progress.line("writing " + events + " events straight to " + topics.events() + " (not through the admission processor)");
            long t0 = System.nanoTime();
            SyntheticHistory.write(bootstrap, topics.events(), registry, events, livePods, io.kronika.replay.Progress.to(System.err, "write"));
            double writeSeconds = seconds(t0);
            rows.add(row("write the log (producer, lz4)", events / writeSeconds, "events/s", String.format("%.1f s", writeSeconds)));

            progress.line("replaying the whole log from scratch");
            t0 = System.nanoTime();
            StateFold all = Replay.toRevision(reader, events, io.kronika.replay.Progress.to(System.err, "replay"));
            double scratchSeconds = seconds(t0);
            rows.add(row("replay from scratch to the last revision", events / scratchSeconds, "events/s",
                    String.format("%.1f s, %d live objects", scratchSeconds, all.objects().size())));

            progress.line("writing snapshots every " + snapshotEvery + " events");
            SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
            t0 = System.nanoTime();
            int written = new Snapshotter(reader, store, snapshotEvery).catchUp(io.kronika.replay.Progress.to(System.err, "snapshot"), quiet()).size();
            double snapshotSeconds = seconds(t0);
            rows.add(row("fold + write snapshots", events / snapshotSeconds, "events/s", String.format("%d snapshots in %.1f s", written, snapshotSeconds)));

            Random random = new Random(7);
            long[] revisions = new long[samples];
            for (int i = 0; i < samples; i++) {
                revisions[i] = 1 + (long) (random.nextDouble() * (events - 1));
            }
            progress.line("replaying to " + samples + " random revisions from the nearest snapshot");
            LatencySamples fromSnapshot = new LatencySamples();
            long folded = 0;
            long foldNanos = 0;
            for (long r : revisions) {
                long s = System.nanoTime();
                StateFold f = Replay.toRevision(reader, store, r, io.kronika.replay.Progress.NONE, quiet());
                long took = System.nanoTime() - s;
                fromSnapshot.add(took);
                folded += f.applied();
                foldNanos += took;
            }
            long[] sorted = LatencySamples.mergeSorted(List.of(fromSnapshot));
            rows.add(row("replay from the nearest snapshot (events after it / time, snapshot load included)",
                    folded / (foldNanos / 1e9), "events/s", String.format("%d events after the snapshot on average", folded / samples)));
            rows.add(row("time to the state at a random revision, from the nearest snapshot", LatencySamples.percentileMillis(sorted, 0.5),
                    "ms p50", String.format("p99 %.0f ms; from scratch it would take %.0f ms on average at the rate above",
                            LatencySamples.percentileMillis(sorted, 0.99), avg(revisions) / (events / scratchSeconds) * 1000)));

            progress.line("folding the log into the projections (KafkaStreamsClusterView) for time-travel lists");
            t0 = System.nanoTime();
            try (KafkaStreamsClusterView view = KafkaStreamsClusterView.start(bootstrap, topics, registry,
                    KafkaStreamsClusterView.Settings.forInstance(topics, "bench-history", dir.resolve("view")))) {
                view.awaitRunning(Duration.ofMinutes(30));
                view.awaitRevision(events, Duration.ofMinutes(60));
                double viewSeconds = seconds(t0);
                rows.add(row("projections catch up with the log", events / viewSeconds, "events/s", String.format("%.1f s", viewSeconds)));
                progress.line("get pods -A at " + samples + " random revisions through ClusterView.list");
                LatencySamples lists = new LatencySamples();
                int[] podsAt = new int[samples];
                long items = 0;
                for (int i = 0; i < samples; i++) {
                    long s = System.nanoTime();
                    ListPage page = view.list(ObjectKeys.kindPrefix("", "Pod"), revisions[i], o -> true, 0, null);
                    lists.add(System.nanoTime() - s);
                    podsAt[i] = page.items().size();
                    items += podsAt[i];
                }
                long[] listSorted = LatencySamples.mergeSorted(List.of(lists));
                rows.add(row("get pods -A at a random revision (ClusterView.list)", LatencySamples.percentileMillis(listSorted, 0.5), "ms p50",
                        String.format("p99 %.0f ms, %d pods per list on average", LatencySamples.percentileMillis(listSorted, 0.99), items / samples)));
                LatencySamples live = new LatencySamples();
                long liveItems = 0;
                for (int i = 0; i < samples; i++) {
                    long s = System.nanoTime();
                    liveItems = view.list(ObjectKeys.kindPrefix("", "Pod"), events, o -> true, 0, null).items().size();
                    live.add(System.nanoTime() - s);
                }
                long[] liveSorted = LatencySamples.mergeSorted(List.of(live));
                rows.add(row("get pods -A at the last revision, for comparison (ClusterView.list)", LatencySamples.percentileMillis(liveSorted, 0.5), "ms p50",
                        String.format("p99 %.0f ms, %d pods", LatencySamples.percentileMillis(liveSorted, 0.99), liveItems)));
                if (gatewayLists) {
                    rows.addAll(overGateway(bootstrap, topics, registry, view, revisions, podsAt, progress));
                }
            }

            progress.line("audit queries (each scans the events topic)");
            String[][] queries = {{"--user alice", "alice", null, null}, {"--kind pods -n ns-3", null, "pods", "ns-3"},
                    {"--name pod-4242", null, null, null}};
            for (String[] q : queries) {
                Audit.Filter filter = new Audit.Filter(q[1], null, KindMatcher.parse(q[2]), q[3], q[0].startsWith("--name") ? "pod-4242" : null,
                        null, null, false);
                long s = System.nanoTime();
                int found = Audit.query(reader, cluster, filter, io.kronika.replay.Progress.NONE).size();
                rows.add(row("audit " + q[0], (System.nanoTime() - s) / 1e6, "ms", found + " entries"));
            }
            if (importEvents > 0) {
                long n = Math.min(importEvents, events);
                progress.line("exporting the first " + n + " events and importing them into a fresh topic prefix through the admission processor");
                Path file = dir.resolve("export.avro");
                t0 = System.nanoTime();
                HistoryFile.export(reader, file, n, io.kronika.replay.Progress.to(System.err, "export"));
                double exportSeconds = seconds(t0);
                rows.add(row("history export (Avro container, deflate)", n / exportSeconds, "events/s", String.format("%.1f s", exportSeconds)));
                TopicNames fresh = new TopicNames("bench-import-" + UUID.randomUUID().toString().substring(0, 8) + ".");
                TopicProvisioner.ensureTopics(bootstrap, fresh, (short) (broker != null ? 1 : -1));
                try (AdmissionProcessor admission = AdmissionProcessor.start(bootstrap, fresh, registry,
                        AdmissionProcessor.Settings.defaults(dir.resolve("admission-state")))) {
                    admission.awaitRunning(Duration.ofMinutes(5));
                    t0 = System.nanoTime();
                    long imported = HistoryImport.fromExport(new Cluster(bootstrap, registry, fresh, null), file,
                            io.kronika.replay.Progress.to(System.err, "import"));
                    double importSeconds = seconds(t0);
                    rows.add(row("history import (IMPORT commands through the sequencer)", imported / importSeconds, "events/s",
                            String.format("%d events in %.1f s", imported, importSeconds)));
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            TempDirs.deleteQuietly(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        System.err.println();
        System.out.printf("kronika bench history: %d events, snapshots every %d, %d random revisions%n", events, snapshotEvery, samples);
        for (String[] r : rows) {
            System.out.printf("%-88s %12s %-9s %s%n", r[0], r[1], r[2], r[3]);
        }
        return 0;
    }

    /** The same lists through a gateway's {@code /history/revision/R/api/v1/pods}, as JSON and as a Table, at the same revisions. */
    private List<String[]> overGateway(String bootstrap, TopicNames topics, SchemaRegistry registry, KafkaStreamsClusterView view,
                                       long[] revisions, int[] podsAt, Progress progress) throws Exception {
        try (TimeTravelGateway gateway = TimeTravelGateway.start(bootstrap, topics, registry, view, progress)) {
            progress.line("GET /history/revision/R/api/v1/pods at the same " + samples + " revisions, as JSON and as a Table");
            // Untimed: a first request at the last revision opens the connection and warms the JIT, as in a gateway that
            // has been serving for a while.
            gateway.podsAsJson(events, -1);
            gateway.podsAsTable(events, -1);
            LatencySamples json = new LatencySamples();
            LatencySamples table = new LatencySamples();
            for (int i = 0; i < samples; i++) {
                // The first request at a revision also builds the gateway's handlers for it; alternate which one pays.
                if (i % 2 == 0) {
                    json.add(gateway.podsAsJson(revisions[i], podsAt[i]));
                    table.add(gateway.podsAsTable(revisions[i], podsAt[i]));
                } else {
                    table.add(gateway.podsAsTable(revisions[i], podsAt[i]));
                    json.add(gateway.podsAsJson(revisions[i], podsAt[i]));
                }
            }
            return List.of(latencyRow("get pods -A -o json at a random revision (GET /history/revision/R/api/v1/pods)", json),
                    latencyRow("get pods -A at a random revision (the same GET, Accept: as=Table)", table));
        }
    }

    private static String[] latencyRow(String what, LatencySamples samples) {
        long[] sorted = LatencySamples.mergeSorted(List.of(samples));
        return row(what, LatencySamples.percentileMillis(sorted, 0.5), "ms p50",
                String.format("p99 %.0f ms, over HTTP/1.1 on loopback, no TLS or authentication", LatencySamples.percentileMillis(sorted, 0.99)));
    }

    private static String[] row(String what, double value, String unit, String note) {
        return new String[]{what, String.format("%.0f", value), unit, note};
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double avg(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
