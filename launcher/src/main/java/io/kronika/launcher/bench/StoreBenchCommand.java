package io.kronika.launcher.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code kronika bench store}: accepted conditional writes per second and their latency at several numbers of
 * concurrent closed-loop writers, for Kronika's admission processor on Kafka and for etcd 3.4, one after the other.
 */
@Command(name = "store", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Conditional writes/s and latency: Kronika vs etcd.",
                "%nEach writer owns one ConfigMap (one etcd key) and updates it on condition that it still has the "
                        + "revision its previous write returned. Progress goes to stderr, the result table to stdout.%n"})
public final class StoreBenchCommand implements Callable<Integer> {
    @Option(names = "--writers", split = ",", defaultValue = "1,16,256",
            description = "Numbers of concurrent writers, one level each (default: ${DEFAULT-VALUE})")
    List<Integer> writers;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured time per level, e.g. 10s, 500ms or PT10S (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class,
            description = "Unmeasured time before each level (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--skip-etcd", description = "Measure Kronika only")
    boolean skipEtcd;

    @Option(names = "--skip-kronika", description = "Measure etcd only")
    boolean skipKronika;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of an embedded broker")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = "kronika.",
            description = "Topic prefix of the benchmark's cluster on that Kafka (default: ${DEFAULT-VALUE})")
    String topicPrefix;

    @Override
    public Integer call() throws Exception {
        if (writers.isEmpty() || writers.stream().anyMatch(w -> w < 1)) {
            System.err.println("--writers needs positive numbers, e.g. 1,16,256");
            return 2;
        }
        if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
            System.err.println("--duration must be positive and --warmup not negative");
            return 2;
        }
        QuietLogs.apply();
        Progress progress = new Progress(System.err);
        ClosedLoopRunner runner = new ClosedLoopRunner(progress);
        int maxWriters = writers.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<LevelResult> results = new ArrayList<>();
        int exitCode = 0;
        if (!skipKronika) {
            try {
                runKronika(progress, runner, maxWriters, results);
            } catch (Exception e) {
                progress.line("kronika: FAILED: " + e);
                exitCode = 1;
            }
        }
        if (!skipEtcd) {
            try {
                runEtcd(progress, runner, maxWriters, results);
            } catch (Exception e) {
                progress.line("etcd: FAILED: " + (e instanceof IllegalStateException ? e.getMessage() : e.toString()));
                exitCode = 1;
            }
        }
        System.err.println();
        ResultTable.print(System.out, duration, results);
        return exitCode;
    }

    private void runKronika(Progress progress, ClosedLoopRunner runner, int maxWriters, List<LevelResult> results) throws Exception {
        progress.line("kronika: starting an all-in-one cluster in this process"
                + (bootstrapServers == null ? " (embedded Kafka)" : " on Kafka " + bootstrapServers));
        try (KronikaBenchCluster cluster = KronikaBenchCluster.start(bootstrapServers, topicPrefix, progress)) {
            String runId = UUID.randomUUID().toString().substring(0, 8);
            KronikaDriver driver = new KronikaDriver(cluster.commandClient(), "bench-" + runId + "-");
            progress.line("kronika: creating " + maxWriters + " ConfigMaps");
            driver.prepare(maxWriters);
            runLevels(progress, runner, driver, results);
            if (bootstrapServers != null) {
                progress.line("kronika: deleting the benchmark's ConfigMaps from the shared Kafka");
                driver.deleteObjects();
            }
            progress.line("kronika: stopping the cluster");
        }
    }

    private void runEtcd(Progress progress, ClosedLoopRunner runner, int maxWriters, List<LevelResult> results) throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(EtcdInstaller.ensureInstalled(progress), progress)) {
            EtcdDriver driver = new EtcdDriver(etcd.clientUrl());
            progress.line("etcd: creating " + maxWriters + " keys");
            driver.prepare(maxWriters);
            runLevels(progress, runner, driver, results);
            progress.line("etcd: stopping");
        }
    }

    private void runLevels(Progress progress, ClosedLoopRunner runner, WorkloadDriver driver, List<LevelResult> results)
            throws InterruptedException {
        for (int level : writers) {
            progress.line(driver.system() + ": " + level + " writers, warm-up " + DurationConverter.format(warmup)
                    + ", measuring " + DurationConverter.format(duration));
            LevelResult result = runner.run(driver, level, warmup, duration);
            results.add(result);
            progress.line(String.format("%s: %d writers: %.1f writes/s, p50 %.2f ms, p99 %.2f ms, %d rejects%s",
                    result.system(), level, result.writesPerSecond(), result.p50Millis(), result.p99Millis(), result.rejects(),
                    result.firstProblem() != null ? " (" + result.firstProblem() + ")" : ""));
        }
    }
}
