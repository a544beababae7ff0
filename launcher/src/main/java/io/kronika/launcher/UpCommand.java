package io.kronika.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code kronika up}: the all-in-one cluster, in the foreground or (-d) in the background. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the all-in-one cluster: embedded Kafka, schema registry, admission processor and the other components.")
public final class UpCommand implements Callable<Integer> {
    static final String LOG_FILE = "kronika.log";

    @Mixin
    ClusterOptions options;

    @Option(names = {"-d", "--detach"}, description = "Start in the background and return once the cluster is ready")
    boolean detach;

    @Option(names = "--ready-timeout", defaultValue = "PT3M", description = "With -d: how long to wait for readiness (default: ${DEFAULT-VALUE})")
    Duration readyTimeout;

    @Override
    public Integer call() throws Exception {
        Path dataDir = options.dataDir();
        Files.createDirectories(dataDir);
        return detach ? startInBackground(dataDir) : runInForeground(dataDir);
    }

    private int runInForeground(Path dataDir) throws Exception {
        try (DataDirLock ignored = DataDirLock.acquire(dataDir)) {
            ClusterStatus starting = new ClusterStatus(ProcessHandle.current().pid(), ClusterStatus.STARTING, dataDir.toString(),
                    null, options.bootstrapServers == null, null, options.schemaRegistryUrl == null, options.topicPrefix,
                    null, java.time.Instant.now().toString(), "starting");
            starting.writeTo(dataDir);
            AllInOneCluster cluster;
            try {
                cluster = AllInOneCluster.start(options, line -> System.out.println("kronika: " + line));
            } catch (Exception e) {
                starting.withState(ClusterStatus.FAILED, String.valueOf(e.getMessage())).writeTo(dataDir);
                throw e;
            }
            ClusterStatus ready = cluster.status();
            ready.writeTo(dataDir);
            printEndpoints(ready);

            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                System.out.println("kronika: stopping");
                try {
                    ready.withState(ClusterStatus.STOPPING, "stopping").writeTo(dataDir);
                    cluster.close();
                    ready.withState(ClusterStatus.STOPPED, "stopped cleanly").writeTo(dataDir);
                } catch (IOException e) {
                    System.err.println("kronika: could not write the status file: " + e.getMessage());
                } finally {
                    stopped.countDown();
                }
                System.out.println("kronika: stopped");
            }, "kronika-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("kronika: ready; Ctrl-C stops the cluster");
            stopped.await();
            return 0;
        }
    }

    static void printEndpoints(ClusterStatus status) {
        System.out.println("kronika: Kafka bootstrap servers  " + status.kafkaBootstrap() + (status.embeddedKafka() ? " (embedded)" : ""));
        System.out.println("kronika: schema registry          " + status.schemaRegistryUrl() + (status.embeddedSchemaRegistry() ? " (embedded)" : ""));
        System.out.println("kronika: topics                   " + status.topicPrefix() + "{commands,events,results,heartbeats,logs,_schemas}");
        System.out.println("kronika: Kubernetes API           " + (status.apiUrl() == null ? "not served" : status.apiUrl()));
        if (status.apiUrl() != null) {
            System.out.println("kronika: try                      " + status.message());
        }
        System.out.println("kronika: data directory           " + status.dataDir());
    }

    private int startInBackground(Path dataDir) throws Exception {
        ClusterStatus.readFrom(dataDir).filter(ClusterStatus::processAlive).ifPresent(s -> {
            throw new IllegalStateException("A cluster already runs with data dir " + dataDir + " (pid " + s.pid()
                    + "). Stop it with: ./kronika down --data-dir " + dataDir);
        });
        Files.deleteIfExists(dataDir.resolve(ClusterStatus.FILE));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("-D")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KronikaCommand.class.getName(), "up"));
        command.addAll(options.asArguments());
        File log = dataDir.resolve(LOG_FILE).toFile();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        System.out.println("kronika: starting in the background (pid " + process.pid() + "), log in " + log);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                System.err.println("kronika: the cluster process exited with code " + process.exitValue()
                        + " before it was ready; the end of " + log + ":");
                printTail(log.toPath(), 30);
                return 1;
            }
            var status = ClusterStatus.readFrom(dataDir).filter(s -> s.pid() == process.pid());
            if (status.isPresent() && ClusterStatus.READY.equals(status.get().state())) {
                printEndpoints(status.get());
                System.out.println("kronika: ready; stop it with: ./kronika down --data-dir " + dataDir);
                return 0;
            }
            if (status.isPresent() && ClusterStatus.FAILED.equals(status.get().state())) {
                System.err.println("kronika: the cluster failed to start: " + status.get().message());
                printTail(log.toPath(), 30);
                process.destroy();
                return 1;
            }
            Thread.sleep(100);
        }
        System.err.println("kronika: not ready after " + readyTimeout + "; it keeps starting in the background (pid "
                + process.pid() + "). Follow " + log + ", or stop it with ./kronika down --data-dir " + dataDir);
        return 1;
    }

    private static void printTail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> System.err.println("  " + l));
    }
}
