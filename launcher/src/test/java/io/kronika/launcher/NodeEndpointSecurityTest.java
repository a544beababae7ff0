package io.kronika.launcher;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.gateway.stream.KubeletClientCredentials;
import io.kronika.launcher.security.ClusterCredentials;
import io.kronika.launcher.security.ClusterPki;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The kubelets' node endpoint on a secured all-in-one cluster: HTTPS with a serving certificate from the cluster CA,
 * usable only with the API server's kubelet client certificate. Direct callers without it get 401 (no certificate),
 * 403 (another user's certificate) or no TLS session at all (a certificate from another CA; a client that trusts
 * another CA refuses the kubelet), while {@code kubectl logs} and {@code kubectl exec} through the gateway work.
 */
class NodeEndpointSecurityTest {
    private static final String POD = "secure-logs";
    private static Path dataDir;
    private static Path otherPkiDir;
    private static AllInOneCluster cluster;
    private static KubernetesClient admin;
    private static ClusterPki pki;
    private static Vertx vertx;
    private static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("kronika-node-endpoint");
        otherPkiDir = Files.createTempDirectory("kronika-other-ca");
        ClusterOptions options = TestClusters.storeOnly(dataDir);
        options.scheduler = true;
        options.nodes = 1;
        options.runtime = "process";
        cluster = AllInOneCluster.start(options, line -> { });
        pki = ClusterPki.open(dataDir);
        vertx = Vertx.vertx();
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(dataDir.resolve(Kubeconfig.FILE)))).build();
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(POD).endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false).addNewContainer().withName("c").withImage("busybox")
                .withCommand("sh", "-c", "echo hello-from-the-node; exec sleep 3600").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            var pod = admin.pods().inNamespace("default").withName(POD).get();
            return pod != null && "Running".equals(pod.getStatus().getPhase());
        });
        String nodeName = admin.pods().inNamespace("default").withName(POD).get().getSpec().getNodeName();
        endpoint = admin.nodes().withName(nodeName).get().getMetadata().getAnnotations().get("kronika.io/kubelet-endpoint");
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.pods().inNamespace("default").withName(POD).withGracePeriod(0).delete();
            admin.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        TestFiles.deleteRecursively(dataDir);
        TestFiles.deleteRecursively(otherPkiDir);
    }

    @Test
    void kubectlReachesTheNodeThroughTheGateway() throws Exception {
        assertThat(endpoint).startsWith("https://");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl("logs", POD)).contains("hello-from-the-node"));
        assertThat(kubectl("exec", POD, "--", "echo", "exec-through-the-gateway")).contains("exec-through-the-gateway");
    }

    @Test
    void withoutAClientCertificateTheNodeAnswers401() throws Exception {
        HttpClient trustingOnly = ClusterCredentials.httpClient(pki.caPem());
        HttpResponse<String> logs = get(trustingOnly, "/containerLogs/default/" + POD + "/c");
        assertThat(logs.statusCode()).isEqualTo(401);
        assertThat(logs.body()).contains("\"reason\":\"Unauthorized\"").doesNotContain("hello-from-the-node");
        assertThat(get(trustingOnly, "/stats/summary").statusCode()).isEqualTo(401);
        assertThat(get(trustingOnly, "/pods").statusCode()).isEqualTo(401);

        assertThatThrownBy(() -> trustingOnly.newWebSocketBuilder().subprotocols("v5.channel.k8s.io")
                .buildAsync(URI.create(endpoint.replace("https://", "wss://") + "/exec/default/" + POD + "/c?command=id&stdout=1"),
                        new WebSocket.Listener() { }).join())
                .isInstanceOf(CompletionException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void anotherUsersCertificateIsForbidden() throws Exception {
        String[] jane = pki.clientCertificate("jane", List.of("developers"));
        HttpResponse<String> logs = get(client(jane, pki.caPem()), "/containerLogs/default/" + POD + "/c");
        assertThat(logs.statusCode()).isEqualTo(403);
        assertThat(logs.body()).contains("user=jane").doesNotContain("hello-from-the-node");
    }

    @Test
    void theKubeletClientCertificateIsLetThrough() throws Exception {
        String[] kubeletClient = pki.clientCertificate("kube-apiserver-kubelet-client", List.of());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> logs = get(client(kubeletClient, pki.caPem()), "/containerLogs/default/" + POD + "/c");
            assertThat(logs.statusCode()).isEqualTo(200);
            assertThat(logs.body()).contains("hello-from-the-node");
        });
    }

    @Test
    void certificatesOfAnotherCaAreRefusedBothWays() throws Exception {
        ClusterPki other = ClusterPki.open(otherPkiDir);
        String[] forged = other.clientCertificate("kube-apiserver-kubelet-client", List.of("system:masters"));
        // a client certificate the cluster CA did not sign: no TLS session
        assertThatThrownBy(() -> get(client(forged, pki.caPem()), "/containerLogs/default/" + POD + "/c"))
                .isInstanceOf(IOException.class);
        // a caller that trusts another CA does not accept the kubelet's serving certificate
        String[] genuine = pki.clientCertificate("kube-apiserver-kubelet-client", List.of());
        assertThatThrownBy(() -> get(client(genuine, other.caPem()), "/containerLogs/default/" + POD + "/c"))
                .isInstanceOf(SSLException.class);
        // and plain HTTP gets no answer from the TLS port
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), endpoint.replace("https://", "http://"), "/healthz"))
                .isInstanceOf(IOException.class);
    }

    private static HttpClient client(String[] certificateAndKey, String caPem) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(new KubeletClientCredentials(certificateAndKey[0], certificateAndKey[1], caPem).sslContext(vertx)).build();
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return get(http, endpoint, path);
    }

    private static HttpResponse<String> get(HttpClient http, String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String kubectl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", dataDir.resolve(Kubeconfig.FILE).toString(),
                "--request-timeout=30s", "-n", "default"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " ends").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
