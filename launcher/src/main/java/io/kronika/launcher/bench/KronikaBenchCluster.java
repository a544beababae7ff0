package io.kronika.launcher.bench;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.launcher.AllInOneCluster;
import io.kronika.launcher.ClusterOptions;

import java.nio.file.Path;

/** A whole Kronika cluster in this process on a fresh temporary data dir, deleted again on close. */
final class KronikaBenchCluster implements AutoCloseable {
    private final Path dataDir;
    private final AllInOneCluster cluster;
    private final Thread deleteOnExit;

    private KronikaBenchCluster(Path dataDir, AllInOneCluster cluster) {
        this.dataDir = dataDir;
        this.cluster = cluster;
        this.deleteOnExit = new Thread(() -> TempDirs.deleteQuietly(dataDir), "kronika-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(deleteOnExit);
    }

    /** {@code bootstrapServers} null means an embedded broker in the data dir. */
    static KronikaBenchCluster start(String bootstrapServers, String topicPrefix, Progress progress) throws Exception {
        Path dataDir = TempDirs.create("kronika-bench-");
        ClusterOptions options = ClusterOptions.defaults(dataDir);
        options.topicPrefix = topicPrefix;
        options.bootstrapServers = bootstrapServers;
        options.nodes = 0; // benchmarks measure the store and the API, not containers
        options.insecureHttp = true; // the API figures leave TLS and authentication out, on loopback
        options.scheduler = false;
        options.controllers = false;
        try {
            return new KronikaBenchCluster(dataDir, AllInOneCluster.start(options, message -> progress.line("kronika: " + message)));
        } catch (Exception | Error e) {
            TempDirs.deleteQuietly(dataDir);
            throw e;
        }
    }

    String apiUrl() {
        return cluster.status().apiUrl();
    }

    CommandClient commandClient() {
        return cluster.commandClient();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            TempDirs.deleteQuietly(dataDir);
            try {
                Runtime.getRuntime().removeShutdownHook(deleteOnExit);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
