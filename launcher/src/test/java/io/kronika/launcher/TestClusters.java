package io.kronika.launcher;

import io.kronika.eventstore.topics.TopicNames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Cluster options for tests: a given data dir, every port free. */
final class TestClusters {
    private TestClusters() {
    }

    /** Defaults without kubelets, scheduler or controllers: only what the test writes reaches the log. */
    static ClusterOptions storeOnly(Path dataDir) {
        ClusterOptions options = ClusterOptions.defaults(dataDir);
        options.nodes = 0;
        options.scheduler = false;
        options.controllers = false;
        return options;
    }

    static List<String> arguments(Path dataDir) {
        return new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--api-port", "0", "--topic-prefix", TopicNames.DEFAULT_PREFIX,
                "--nodes", "1", "--runtime", "sim"));
    }

    static Process javaProcess(Class<?> main, String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-Xmx512m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.kronika",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
