package io.kronika.schemas.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Apicurio Registry 2.6 (in-memory storage) as a child process, unpacked by the maven-dependency-plugin into
 * {@code target/apicurio}. It serves the Confluent API at {@code /apis/ccompat/v7}.
 */
final class ApicurioRegistryProcess implements AutoCloseable {
    static final String RUNNER_JAR = "apicurio-registry-app-2.6.13.Final-runner.jar";
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final int port;
    private final Thread shutdownHook;

    private ApicurioRegistryProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.shutdownHook = new Thread(process::destroyForcibly, "apicurio-registry-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Apicurio on a free port and returns once its Confluent API answers; throws if it cannot. */
    static ApicurioRegistryProcess start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("basedir", "."), "target", "apicurio").toAbsolutePath();
        Path jar = home.resolve(RUNNER_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + jar
                    + "; run `mvn process-test-resources -pl schemas` (the maven-dependency-plugin unpacks it)");
        }
        int port = freePort();
        Path log = home.resolve("apicurio-" + port + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(),
                "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-jar", jar.toString()))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process, log, port);
        try {
            registry.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The base URL of its Confluent-compatible API. */
    String confluentApiUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        java.util.concurrent.atomic.AtomicReference<String> lastFailure = new java.util.concurrent.atomic.AtomicReference<>("no attempt");
        try {
            org.awaitility.Awaitility.await("Apicurio Registry to answer").atMost(STARTUP_DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + ":\n" + logTail());
                        }
                        try {
                            int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                            lastFailure.set("HTTP " + status);
                            return status == 200;
                        } catch (IOException e) {
                            lastFailure.set(e.toString());
                            return false;
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("Apicurio Registry did not answer within " + STARTUP_DEADLINE
                    + " (last: " + lastFailure.get() + "):\n" + logTail());
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook runs anyway
        }
    }
}
