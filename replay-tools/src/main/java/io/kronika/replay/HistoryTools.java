package io.kronika.replay;

import io.kronika.eventstore.client.CommandClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@code kronika history} subcommands, each a method returning its exit code: 0 done, 1 verify found
 * differences, 2 bad arguments or an unreachable cluster. The launcher only parses options and calls these.
 */
public final class HistoryTools {
    private final Cluster cluster;
    private final OutputFormat format;
    private final boolean showProgress;
    private final PrintStream out;
    private final PrintStream err;

    private final Path fromFile;

    /** {@code cluster} may be null when {@code fromFile} (an export) is the source. */
    public HistoryTools(Cluster cluster, Path fromFile, OutputFormat format, boolean showProgress, PrintStream out, PrintStream err) {
        if (cluster == null && fromFile == null) {
            throw new IllegalArgumentException("Name the cluster (--data-dir, or --bootstrap-servers and --schema-registry-url) or an export --file");
        }
        this.fromFile = fromFile;
        this.cluster = cluster;
        this.format = format;
        this.showProgress = showProgress;
        this.out = out;
        this.err = err;
    }

    private SnapshotStore snapshots;

    /** Where snapshots are (replay starts from the nearest one; {@code snapshot} writes them); null: none. */
    public HistoryTools withSnapshots(SnapshotStore snapshots) {
        this.snapshots = snapshots;
        return this;
    }

    private Consumer<CommandClient> commandSigning = client -> { };

    /** How the commands this tool writes ({@code import}) are signed, for a cluster that requires component credentials. */
    public HistoryTools withCommandSigning(Consumer<CommandClient> signing) {
        this.commandSigning = signing;
        return this;
    }

    private Progress progress(String label) {
        return showProgress ? Progress.to(err, label) : Progress.NONE;
    }

    private LogReader reader() {
        return fromFile != null ? LogReader.ofFile(fromFile) : new LogReader(cluster);
    }

    public int replay(Long toRevision, String toTime, Path outDir) {
        return replay(toRevision, toTime, outDir, true);
    }

    /** {@code managedFields} false leaves metadata.managedFields out, as kubectl get does. */
    public int replay(Long toRevision, String toTime, Path outDir, boolean managedFields) {
        if ((toRevision == null) == (toTime == null)) {
            throw new IllegalArgumentException("Give exactly one of --to-revision R and --to-time T");
        }
        StateFold fold = toRevision != null
                ? Replay.toRevision(reader(), snapshots, toRevision, progress("replay"), err)
                : Replay.toTime(reader(), snapshots, Times.parse(toTime, Instant.now()), progress("replay"), err);
        if (fold.base() > 0) {
            err.println("replay: " + fold.applied() + " events folded after the snapshot at revision " + fold.base());
        }
        if (outDir != null) {
            int n = Replay.writeDir(fold, outDir, format, managedFields);
            out.println("wrote " + n + " objects at revision " + fold.revision() + " to " + outDir);
        } else {
            Replay.print(fold, format, managedFields, out);
        }
        return 0;
    }

    public int audit(String user, String verb, String kind, String namespace, String name, String since, String until,
                     boolean includeRefused, boolean follow) {
        Instant now = Instant.now();
        Audit.Filter filter = new Audit.Filter(user, verb, KindMatcher.parse(kind), namespace, name, Times.parse(since, now),
                Times.parse(until, now), includeRefused);
        if (!follow) {
            Audit.print(Audit.query(reader(), cluster, filter, progress("audit")), format, out);
            return 0;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        if (format == OutputFormat.TABLE) {
            out.println(String.join("  ", Audit.HEADERS));
        }
        Audit.run(reader(), cluster, filter, true, stop::get, progress("audit"), Audit.streamPrinter(format, out));
        return 0;
    }

    public int diff(long from, long to, String kind) {
        HistoryDiff.print(HistoryDiff.between(reader(), snapshots, from, to, KindMatcher.parse(kind), progress("diff"), err), format, out);
        return 0;
    }

    public int timeline(String kindSlashName, String namespace) {
        Timeline.print(Timeline.of(reader(), kindSlashName, namespace, progress("timeline")), format, out);
        return 0;
    }

    public int verify() {
        if (cluster == null || fromFile != null) {
            throw new IllegalArgumentException("verify compares a cluster's log with its API: name the cluster, not a file");
        }
        Verify.Report report = new Verify(reader(), cluster.apiUrl(), cluster.kubeconfig()).run(progress("verify"), err);
        Verify.print(report, format, out);
        return report.ok() ? 0 : 1;
    }

    /** Writes snapshots every {@code every} events from the latest one to the end of the log (and one at the end). */
    public int snapshot(long every) {
        if (fromFile != null || cluster == null) {
            throw new IllegalArgumentException("snapshot reads a cluster's log, not a file");
        }
        if (snapshots == null) {
            throw new IllegalArgumentException("Name where snapshots go: --data-dir of the cluster or --snapshot-dir");
        }
        List<SnapshotStore.Snapshot> written = new Snapshotter(reader(), snapshots, every).catchUp(progress("snapshot"), err);
        if (written.isEmpty()) {
            out.println("no new events since the latest snapshot in " + snapshots.dir());
        }
        for (SnapshotStore.Snapshot s : written) {
            out.println("wrote " + s);
        }
        return 0;
    }

    /** Appends the events of an export to this (fresh) cluster with their original revisions. */
    public int importExport(Path file) {
        requireCluster("import");
        long n = HistoryImport.fromExport(cluster, file, progress("import"), commandSigning);
        out.println("imported " + n + " events (revisions 1.." + n + ") from " + file);
        return 0;
    }

    /** Creates the objects of a {@code kubectl get -A -o yaml} dump through the API; exit 1 when any failed. */
    public int importKubectlDump(Path file) {
        requireCluster("import --from-kubectl-dump");
        KubectlDumpImport.Result result = KubectlDumpImport.run(cluster.apiUrl(), cluster.kubeconfig(), file, progress("import"), err);
        KubectlDumpImport.print(result, out);
        return result.ok() ? 0 : 1;
    }

    private void requireCluster(String what) {
        if (fromFile != null || cluster == null) {
            throw new IllegalArgumentException(what + " writes into a cluster: name it (--data-dir, or --bootstrap-servers and --schema-registry-url)");
        }
    }

    /** Replays the recorded scheduling decisions in {@code from..to} with another scheduler configuration. */
    public int whatif(Path schedulerConfig, long from, Long to) {
        io.kronika.scheduler.config.SchedulerConfiguration config;
        try {
            config = io.kronika.scheduler.config.SchedulerConfiguration.load(schedulerConfig);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Cannot read the scheduler configuration " + schedulerConfig + ": " + e.getMessage());
        }
        Whatif.print(Whatif.run(reader(), snapshots, config, from, to == null ? Long.MAX_VALUE : to, progress("whatif"), err), format, out);
        return 0;
    }

    public int export(Path file) {
        if (fromFile != null) {
            throw new IllegalArgumentException("export reads a cluster, not a file");
        }
        long n = HistoryFile.export(reader(), file, progress("export"));
        out.println("exported " + n + " events to " + file);
        return 0;
    }
}
