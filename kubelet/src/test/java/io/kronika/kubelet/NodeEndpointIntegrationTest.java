package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.runtime.process.ProcessRuntime;
import io.kronika.kubelet.testing.ChannelClient;
import io.kronika.kubelet.testing.NodeEndpoint;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The node endpoint (logs, exec, attach, port-forward) as the gateway uses it, over processes on this host. */
class NodeEndpointIntegrationTest {
    private static Path root;
    private static TestCluster cluster;
    private static String ns;
    private static String nodeName;
    private static ProcessRuntime runtime;
    private static Kubelet kubelet;
    private static String ws;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("kubelet-endpoint-test");
        cluster = TestCluster.shared();
        ns = cluster.newNamespace("endpoint");
        nodeName = TestCluster.uniqueName("endpoint-node");
        runtime = new ProcessRuntime(nodeName, ProcessRuntime.Settings.defaults(root.resolve("runtime")));
        kubelet = Kubelet.start(cluster.services, KubeletConfig.defaults(nodeName, root)
                .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2)), runtime);
        ws = cluster.services.endpoint().replace("http://", "ws://");

        ObjectNode shell = container("shell", "host", "sh", "-c", "while read line; do echo \"got $line\"; done");
        shell.put("stdin", true);
        cluster.createAndBind(ns, Json.write(pod("shell", "Always", shell)), nodeName);
        cluster.createAndBind(ns, Json.write(pod("web", "Always",
                ProcessKubeletIntegrationTest.withEnvPodIp(container("web", "host", "perl", "-e", ProcessKubeletIntegrationTest.PERL_SERVER)))), nodeName);
        cluster.awaitPod(ns, "shell", Pods::running, "Running");
        cluster.awaitPod(ns, "web", Pods::running, "Running");
    }

    @AfterAll
    static void stop() {
        kubelet.close();
        runtime.removeAll();
        TestFiles.deleteRecursively(root);
    }

    private static String command(String... parts) {
        StringBuilder q = new StringBuilder();
        for (String p : parts) {
            q.append("&command=").append(URLEncoder.encode(p, StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    @Test
    void execStreamsStdoutAndStderrAndReportsTheExitCode() throws Exception {
        try (ChannelClient client = ChannelClient.connect(ws + "/exec/" + ns + "/shell/shell?stdout=1&stderr=1"
                + command("sh", "-c", "echo out; echo err >&2; exit 3"), "v4.channel.k8s.io")) {
            client.awaitClosed(TestCluster.TIMEOUT);
            assertThat(client.text(1)).isEqualTo("out\n");
            assertThat(client.text(2)).isEqualTo("err\n");
            assertThat(client.text(3)).contains("\"status\":\"Failure\"").contains("\"reason\":\"NonZeroExitCode\"")
                    .contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}");
        }
    }

    @Test
    void execWithStdinUntilTheClientClosesIt() throws Exception {
        try (ChannelClient client = ChannelClient.connect(ws + "/exec/" + ns + "/shell/shell?stdin=1&stdout=1&stderr=1" + command("cat"),
                "v5.channel.k8s.io")) {
            client.send(0, "hello\n");
            client.send(255, new byte[]{0});
            client.awaitClosed(TestCluster.TIMEOUT);
            assertThat(client.text(1)).isEqualTo("hello\n");
            assertThat(client.text(3)).contains("\"status\":\"Success\"");
        }
    }

    @Test
    void attachSendsToTheMainProcessAndShowsItsOutput() throws Exception {
        try (ChannelClient client = ChannelClient.connect(ws + "/attach/" + ns + "/shell/shell?stdin=1&stdout=1&stderr=1", "v4.channel.k8s.io")) {
            client.send(0, "ping\n");
            TestCluster.waitUntil(() -> client.text(1).contains("got ping\n"), TestCluster.TIMEOUT, "the attached output");
        }
        String logs = NodeEndpoint.logs(cluster.services.endpoint(), ns, "shell", "shell", null).body();
        assertThat(logs).contains("got ping\n");
    }

    @Test
    void portForwardReachesThePodsPort() throws Exception {
        try (ChannelClient client = ChannelClient.connect(ws + "/portForward/" + ns + "/web?ports=8080", "v4.channel.k8s.io")) {
            TestCluster.waitUntil(() -> client.received(0).length >= 2, TestCluster.TIMEOUT, "the port header");
            assertThat(client.received(0)[0] & 0xff | (client.received(0)[1] & 0xff) << 8).isEqualTo(8080);
            client.send(0, "GET / HTTP/1.0\r\n\r\n");
            TestCluster.waitUntil(() -> client.text(0).contains("web\n"), TestCluster.TIMEOUT, "the pod's answer");
            assertThat(client.text(0)).contains("200 OK");
        }
    }

    @Test
    void followedLogsStreamUntilTheContainerEnds() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("ticker", "Never", container("tick", "host", "sh", "-c",
                "for i in 1 2 3 4 5; do echo tick $i; sleep 0.2; done"))), nodeName);
        cluster.awaitPod(ns, "ticker", p -> Pods.containerStatus(p, "tick").path("state").has("running")
                || "Succeeded".equals(Pods.phase(p)), "started");
        HttpClient http = HttpClient.newHttpClient();
        Instant t0 = Instant.now();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(java.net.URI.create(cluster.services.endpoint()
                + "/containerLogs/" + ns + "/ticker/tick?follow=true")).build(), HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new ArrayList<>();
        response.body().forEach(lines::add);
        assertThat(lines).containsExactly("tick 1", "tick 2", "tick 3", "tick 4", "tick 5");
        assertThat(Duration.between(t0, Instant.now())).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void unknownPodsAndContainersAreKubernetesStatuses() throws Exception {
        HttpResponse<String> missing = NodeEndpoint.logs(cluster.services.endpoint(), ns, "nope", "c", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"kind\":\"Status\"").contains("NotFound");
        HttpResponse<String> previous = NodeEndpoint.logs(cluster.services.endpoint(), ns, "shell", "shell", "previous=true");
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(NodeEndpoint.get(cluster.services.endpoint() + "/healthz")).isEqualTo("ok");
    }
}
