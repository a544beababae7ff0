package io.kronika.launcher.bench;

import java.io.IOException;
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

/** A single-member etcd on loopback, on free ports and a temporary data dir; destroyed and deleted on close. */
final class EtcdProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final URI clientUrl;
    private final Thread shutdownHook;

    private EtcdProcess(Process process, Path dir, URI clientUrl) {
        this.process = process;
        this.dir = dir;
        this.clientUrl = clientUrl;
        this.shutdownHook = new Thread(process::destroyForcibly, "etcd-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static EtcdProcess start(Path binary, Progress progress) throws IOException, InterruptedException {
        Path dir = TempDirs.create("kronika-bench-etcd-");
        int clientPort = TempDirs.freePort();
        int peerPort = TempDirs.freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of(binary.toString(),
                "--name", "default",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer);
        progress.line("etcd: starting " + binary + " (" + versionOf(binary) + ") on " + client + ", data in " + dir);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile()).start();
        } catch (IOException e) {
            TempDirs.deleteQuietly(dir);
            throw e;
        }
        EtcdProcess etcd = new EtcdProcess(process, dir, URI.create(client));
        try {
            etcd.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException e) {
            String log = etcd.logTail();
            etcd.close();
            throw new IllegalStateException("etcd did not become healthy: " + e.getMessage() + "\n" + log, e);
        }
        progress.line("etcd: healthy");
        return etcd;
    }

    URI clientUrl() {
        return clientUrl;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(clientUrl.resolve("/health")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with code " + process.exitValue());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no healthy answer within " + READY_TIMEOUT.toSeconds() + "s; last: " + last);
    }

    private static String versionOf(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.startsWith("etcd Version")).findFirst().orElse("version unknown").strip();
        } catch (IOException e) {
            return "version unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "version unknown";
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("etcd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no etcd log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        TempDirs.deleteQuietly(dir);
    }
}
