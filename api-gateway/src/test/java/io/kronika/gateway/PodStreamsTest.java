package io.kronika.gateway;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocketHandshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * logs, exec and upgraded streams through the gateway to a stand-in kubelet (the node side lands with the kubelet):
 * the real kubectl reads logs and runs a command over WebSocket (v5.channel.k8s.io); any GET upgrade is joined
 * byte for byte, and SPDY's POST upgrade is refused with a Status saying why.
 */
@ExtendWith(SharedClusterExtension.class)
class PodStreamsTest {
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static Vertx vertx;
    private static HttpServer kubelet;
    private static String ns;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        client = cluster.client();
        vertx = Vertx.vertx();
        kubelet = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setWebSocketSubProtocols(List.of("v5.channel.k8s.io", "v4.channel.k8s.io")))
                .webSocketHandshakeHandler(PodStreamsTest::execHandshake)
                .webSocketHandler(socket -> {
                    if (socket.path().startsWith("/portForward/")) {
                        echoPort(socket);
                        return;
                    }
                    if (socket.query().contains("stdin=true")) {
                        receiveStdin(socket);
                        return;
                    }
                    List<String> command = new ArrayList<>();
                    for (String part : socket.query().split("&")) {
                        if (part.startsWith("command=")) {
                            command.add(java.net.URLDecoder.decode(part.substring("command=".length()), StandardCharsets.UTF_8));
                        }
                    }
                    socket.writeBinaryMessage(channel(1, "ran " + String.join(" ", command) + " in " + socket.path() + "\n"));
                    socket.writeBinaryMessage(channel(3, "{\"metadata\":{},\"status\":\"Success\"}")).onComplete(v -> socket.close());
                })
                .requestHandler(PodStreamsTest::kubeletRequest)
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ns = cluster.newNamespace("streams");
        String node = "stream-node-" + ns;
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        client.nodes().withName(node).editStatus(n -> new NodeBuilder(n).editOrNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubelet.actualPort()).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus().build());
        client.pods().inNamespace(ns).resource(pod("runs", node)).create();
        // What the kubelet would report; kubectl port-forward wants a running pod.
        client.pods().inNamespace(ns).withName("runs").editStatus(p -> new PodBuilder(p).editStatus().withPhase("Running").endStatus().build());
        client.pods().inNamespace(ns).resource(pod("pending", null)).create();
        kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: t, cluster: {server: "%s"}}]
                contexts: [{name: t, context: {cluster: t, user: u, namespace: %s}}]
                current-context: t
                users: [{name: u, user: {}}]
                """.formatted(cluster.gateway.url(), ns));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Files.deleteIfExists(kubeconfig);
    }

    private static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node)
                .addNewContainer().withName("main").withImage("busybox:1.36").endContainer().endSpec().build();
    }

    private static void execHandshake(ServerWebSocketHandshake handshake) {
        if (handshake.path().startsWith("/exec/") || handshake.path().startsWith("/portForward/")) {
            handshake.accept();
        } else {
            handshake.reject(404);
        }
    }

    /**
     * The kubelet's WebSocket port-forward (v4.channel.k8s.io) to a pod port that echoes: both channels first announce
     * the port (two bytes, little endian), then what arrives on channel 0 goes back on channel 0.
     */
    private static void echoPort(io.vertx.core.http.ServerWebSocket socket) {
        int port = Integer.parseInt(socket.query().replaceAll(".*ports=(\\d+).*", "$1"));
        for (int channel = 0; channel < 2; channel++) {
            socket.writeBinaryMessage(Buffer.buffer().appendByte((byte) channel).appendByte((byte) (port & 0xff)).appendByte((byte) (port >> 8)));
        }
        socket.binaryMessageHandler(message -> {
            if (message.getByte(0) == 0) {
                socket.writeBinaryMessage(message);
            }
        });
    }

    /** Reads stdin (channel 0) until the client closes it (channel 255, v5.channel.k8s.io), then reports its size. */
    private static void receiveStdin(io.vertx.core.http.ServerWebSocket socket) {
        int[] received = {0};
        socket.binaryMessageHandler(message -> {
            if (message.getByte(0) == 0) {
                received[0] += message.length() - 1;
                STDIN_BYTES.set(received[0]);
            } else if ((message.getByte(0) & 0xff) == 255) {
                socket.writeBinaryMessage(channel(3, "{\"metadata\":{},\"status\":\"Success\"}")).onComplete(v -> socket.close());
            }
        });
    }

    private static final java.util.concurrent.atomic.AtomicInteger STDIN_BYTES = new java.util.concurrent.atomic.AtomicInteger();

    private static Buffer channel(int channel, String text) {
        return Buffer.buffer().appendByte((byte) channel).appendString(text);
    }

    private static void kubeletRequest(HttpServerRequest request) {
        if (request.path().equals("/stats/summary")) {
            request.response().putHeader("Content-Type", "application/json").end("""
                    {"node":{"nodeName":"%s","cpu":{"usageNanoCores":250000000},"memory":{"workingSetBytes":536870912}},
                     "pods":[{"podRef":{"name":"runs","namespace":"%s"},"containers":[{"name":"main",
                       "cpu":{"usageNanoCores":5000000},"memory":{"workingSetBytes":10485760}}]}]}""".formatted(request.getParam("node"), ns));
        } else if (request.path().startsWith("/containerLogs/")) {
            request.response().putHeader("Content-Type", "text/plain").end("log of " + request.path() + " tailLines=" + request.getParam("tailLines") + "\n");
        } else if (request.path().startsWith("/portForward/") && "SPDY/3.1".equals(request.getHeader("Upgrade"))) {
            request.response().putHeader("Upgrade", "SPDY/3.1").putHeader("Connection", "Upgrade")
                    .putHeader("X-Stream-Protocol-Version", request.getHeader("X-Stream-Protocol-Version"));
            request.toNetSocket().onSuccess(socket -> socket.handler(socket::write));
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private record Run(int code, String output) {
    }

    private static Run kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("KUBECTL", "/usr/bin/kubectl"),
                "--kubeconfig", kubeconfig.toString(), "--request-timeout=30s"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void logsComeFromTheKubeletOfThePodsNode() throws Exception {
        Run logs = kubectl("logs", "runs", "--tail=3");
        assertThat(logs.code()).as(logs.output()).isZero();
        assertThat(logs.output()).isEqualTo("log of /containerLogs/" + ns + "/runs/main tailLines=3\n");
    }

    @Test
    void topReadsUsageFromTheKubelet() throws Exception {
        Run pods = kubectl("top", "pod", "--no-headers");
        assertThat(pods.code()).as(pods.output()).isZero();
        assertThat(pods.output().trim().split("\\s+")).containsExactly("runs", "5m", "10Mi");
        Run node = kubectl("top", "node", "stream-node-" + ns, "--no-headers");
        assertThat(node.code()).as(node.output()).isZero();
        assertThat(node.output().trim().split("\\s+")[1]).isEqualTo("250m");
    }

    @Test
    void logsOfAnUnscheduledPodAreABadRequest() throws Exception {
        Run logs = kubectl("logs", "pending");
        assertThat(logs.code()).isNotZero();
        assertThat(logs.output()).contains("does not have a host assigned");
    }

    @Test
    void execRunsOverTheWebSocketProtocol() throws Exception {
        Run exec = kubectl("exec", "runs", "--", "echo", "hi there");
        assertThat(exec.code()).as(exec.output()).isZero();
        assertThat(exec.output()).isEqualTo("ran echo hi there in /exec/" + ns + "/runs/main\n");
    }

    @Test
    void cpStreamsAnArchiveToTheContainersStdin() throws Exception {
        Path file = Files.createTempFile("cp", ".txt");
        Files.writeString(file, "copied through the gateway\n");
        Run cp = kubectl("cp", file.toString(), "runs:/tmp/copied.txt");
        Files.delete(file);
        assertThat(cp.code()).as(cp.output()).isZero();
        assertThat(STDIN_BYTES.get()).as("tar bytes the stand-in kubelet read from stdin").isGreaterThan(512);
    }

    @Test
    void portForwardCarriesBytesBothWays() throws Exception {
        List<String> command = List.of(System.getenv().getOrDefault("KUBECTL", "/usr/bin/kubectl"), "--kubeconfig", kubeconfig.toString(),
                "port-forward", "pod/runs", ":8080");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            io.kronika.gateway.testing.Poll.until("kubectl port-forward listening", java.time.Duration.ofSeconds(30),
                    () -> !lines.isEmpty() || !process.isAlive());
            assertThat(lines.get(0)).as("kubectl port-forward: " + lines).startsWith("Forwarding from 127.0.0.1:");
            int local = Integer.parseInt(lines.get(0).replaceAll("Forwarding from 127.0.0.1:(\\d+) -> 8080", "$1"));
            for (String message : List.of("ping", "second connection")) {
                try (Socket socket = new Socket("127.0.0.1", local)) {
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    assertThat(new String(socket.getInputStream().readNBytes(message.length()), StandardCharsets.UTF_8))
                            .as("kubectl port-forward: " + lines).isEqualTo(message);
                } catch (java.io.IOException e) {
                    throw new AssertionError("kubectl port-forward: " + lines, e);
                }
            }
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void getUpgradesAreProxiedByteForByte() throws Exception {
        URI api = URI.create(cluster.gateway.url());
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/namespaces/" + ns + "/pods/runs/portforward HTTP/1.1\r\nHost: " + api.getAuthority()
                    + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: SPDY/3.1")
                    .containsIgnoringCase("x-stream-protocol-version: portforward.k8s.io");
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
    }

    @Test
    void spdyPostUpgradesAreRefusedWithAReason() throws Exception {
        URI api = URI.create(cluster.gateway.url());
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/v1/namespaces/" + ns + "/pods/runs/exec?command=ls&stdout=true HTTP/1.1\r\nHost: "
                    + api.getAuthority() + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void execWithoutAnUpgradeIsABadRequest() throws Exception {
        var response = new io.kronika.gateway.testing.RawHttp(cluster.gateway.url())
                .send("POST", "/api/v1/namespaces/" + ns + "/pods/runs/exec?command=ls", null, (byte[]) null);
        assertThat(response.code()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).isEqualTo("Upgrade request required");
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
