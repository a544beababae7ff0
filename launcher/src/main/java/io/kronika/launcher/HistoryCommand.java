package io.kronika.launcher;

import io.kronika.replay.Cluster;
import io.kronika.replay.HistoryTools;
import io.kronika.replay.OutputFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kronika history …}: replay, audit, diff, timeline, verify and export, read straight from the log. The logic
 * lives in replay-tools ({@link HistoryTools}); this class only wires the options. Exit codes: 0 done, 1 verify found
 * differences, 2 bad arguments or the cluster unreachable.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "The cluster's history from its event log: replay, audit, diff, timeline, verify, export.",
        subcommands = {HistoryCommand.Replay.class, HistoryCommand.Audit.class, HistoryCommand.Diff.class,
                HistoryCommand.Timeline.class, HistoryCommand.Verify.class, HistoryCommand.Export.class,
                HistoryCommand.Snapshot.class, HistoryCommand.Import.class, HistoryCommand.Whatif.class,
                HistoryKubeconfigCommand.class,
                CommandLine.HelpCommand.class})
public final class HistoryCommand implements Runnable {
    static final int BAD_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the cluster is and how to print. */
    public static final class Target {
        @Option(names = "--data-dir", defaultValue = "./data", description = "Data dir of a running cluster; its kronika.status.json names Kafka, the registry and the API (default: ${DEFAULT-VALUE})")
        Path dataDir;
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (instead of --data-dir)")
        String bootstrapServers;
        @Option(names = "--schema-registry-url", description = "Schema registry URL (with --bootstrap-servers)")
        String schemaRegistryUrl;
        @Option(names = "--topic-prefix", description = "Topic prefix (default: the status file's, else kronika.)")
        String topicPrefix;
        @Option(names = "--api-url", description = "API URL of the gateway (verify; default: the status file's)")
        String apiUrl;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: ${DEFAULT-VALUE})")
        String output;
        @Option(names = "--no-progress", description = "No progress line on stderr")
        boolean noProgress;
        @Option(names = "--snapshot-dir", description = "Where snapshots of the folded state are (default: <data-dir>/snapshots)")
        Path snapshotDir;

        /** Snapshots: the given directory, else the data dir's (a cluster named by --data-dir). */
        io.kronika.replay.SnapshotStore snapshots() {
            if (snapshotDir != null) {
                return new io.kronika.replay.SnapshotStore(snapshotDir);
            }
            return dataDir == null ? null : io.kronika.replay.SnapshotStore.inDataDir(dataDir.toAbsolutePath().normalize());
        }

        Cluster cluster() {
            return Cluster.resolve(dataDir == null ? null : dataDir.toAbsolutePath().normalize(), bootstrapServers, schemaRegistryUrl, topicPrefix, apiUrl);
        }

        HistoryTools tools(Path fromFile) {
            return new HistoryTools(fromFile != null ? null : cluster(), fromFile, OutputFormat.parse(output), !noProgress, System.out, System.err)
                    .withSnapshots(snapshots()).withCommandSigning(this::signAsCluster);
        }

        /** Commands (import) are signed as the cluster's trusted component with the key of --data-dir's cluster. */
        private void signAsCluster(io.kronika.eventstore.client.CommandClient client) {
            if (dataDir == null || io.kronika.launcher.security.ComponentKeys.sign(client,
                    io.kronika.schemas.auth.ComponentCredentials.TRUSTED, null, dataDir.toAbsolutePath().normalize()) == null) {
                System.err.println("kronika history: WARNING commands unsigned: the component master key (<data-dir>/pki/"
                        + io.kronika.launcher.security.ComponentKeys.FILE + ") is not readable; a cluster started without "
                        + "--allow-unsigned-commands refuses them: name the cluster with --data-dir where its key is");
            }
        }

        static int run(Callable<Integer> body) {
            try {
                return body.call();
            } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
                System.err.println("kronika history: " + e.getMessage());
                return BAD_USAGE;
            } catch (Exception e) {
                System.err.println("kronika history: " + e);
                return BAD_USAGE;
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "The exact state at a revision or a moment (every object with its resourceVersion).")
    static final class Replay implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--to-revision", description = "Revision to replay to") Long toRevision;
        @Option(names = "--to-time", description = "Moment to replay to: RFC 3339 or an age such as 15m") String toTime;
        @Option(names = "--out", description = "Write one file per object under this directory instead of printing") Path out;
        @Option(names = "--file", description = "Read an export file instead of the cluster") Path file;
        @Option(names = "--show-managed-fields", description = "Keep metadata.managedFields (left out by default, as kubectl get does)") boolean managedFields;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(file).replay(toRevision, toTime, out, managedFields));
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Who did what, when, through which component, with what outcome.")
    static final class Audit implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--user") String user;
        @Option(names = "--verb", description = "create, update, update-status, patch, delete, bind") String verb;
        @Option(names = "--kind", description = "e.g. pods, Deployment, deployments.apps") String kind;
        @Option(names = {"--namespace", "-n"}) String namespace;
        @Option(names = "--name") String name;
        @Option(names = "--since", description = "RFC 3339 or an age such as 1h") String since;
        @Option(names = "--until", description = "RFC 3339 or an age such as 5m") String until;
        @Option(names = "--include-refused", description = "Also refused attempts (commands whose result was REJECTED) with their reasons") boolean includeRefused;
        @Option(names = {"--follow", "-f"}, description = "Keep printing new entries as they happen") boolean follow;
        @Option(names = "--file", description = "Read an export file instead of the cluster") Path file;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(file).audit(user, verb, kind, namespace, name, since, until, includeRefused, follow));
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Objects added, changed and removed between two revisions, with field-level diffs.")
    static final class Diff implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--from", required = true) long from;
        @Option(names = "--to", required = true) long to;
        @Option(names = "--kind") String kind;
        @Option(names = "--file", description = "Read an export file instead of the cluster") Path file;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(file).diff(from, to, kind));
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true, description = "Every version of one object with field diffs, scheduling decisions, owners, owned objects and events.")
    static final class Timeline implements Callable<Integer> {
        @Mixin Target target;
        @Parameters(index = "0", paramLabel = "KIND/NAME") String object;
        @Option(names = {"--namespace", "-n"}, description = "Namespace (default: default, or cluster-scoped)") String namespace;
        @Option(names = "--file", description = "Read an export file instead of the cluster") Path file;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(file).timeline(object, namespace));
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Refold the log from scratch and compare with what the API serves; exit 1 on any difference.")
    static final class Verify implements Callable<Integer> {
        @Mixin Target target;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(null).verify());
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Write snapshots of the folded state (every N events from the latest snapshot, and one at the end), so replay starts from the nearest one.")
    static final class Snapshot implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--every", defaultValue = "50000", description = "Events between snapshots (default: ${DEFAULT-VALUE})") long every;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(null).snapshot(every));
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = {
            "Import an export (history export) into a fresh cluster: the same events, revisions, uids and objects.",
            "With --from-kubectl-dump: create the objects of a real cluster's `kubectl get -A -o yaml` through the API (new revisions)."})
    static final class Import implements Callable<Integer> {
        @Mixin Target target;
        @Parameters(index = "0", paramLabel = "FILE", description = "An export file, or with --from-kubectl-dump a v1 List in YAML or JSON") Path file;
        @Option(names = "--from-kubectl-dump", description = "FILE is the output of kubectl get -A -o yaml") boolean kubectlDump;

        @Override
        public Integer call() {
            return Target.run(() -> kubectlDump ? target.tools(null).importKubectlDump(file) : target.tools(null).importExport(file));
        }
    }

    @Command(name = "whatif", mixinStandardHelpOptions = true, description = "Replay the recorded pods and nodes through the scheduler with another KubeSchedulerConfiguration; report the placements that would differ.")
    static final class Whatif implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--scheduler-config", required = true, paramLabel = "FILE", description = "A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) in YAML") Path config;
        @Option(names = "--from", defaultValue = "0", description = "Decisions after this revision are taken again (default: ${DEFAULT-VALUE})") long from;
        @Option(names = "--to", description = "Last revision (default: the end of the log)") Long to;
        @Option(names = "--file", description = "Read an export file instead of the cluster") Path file;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(file).whatif(config, from, to));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the history to an Avro container file that carries its schema.")
    static final class Export implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--to", required = true, paramLabel = "FILE") Path to;

        @Override
        public Integer call() {
            return Target.run(() -> target.tools(null).export(to));
        }
    }
}
