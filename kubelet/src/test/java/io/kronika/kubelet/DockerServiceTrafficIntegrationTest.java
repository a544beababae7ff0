package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.dns.ClusterDns;
import io.kronika.kubelet.proxy.ServiceProxy;
import io.kronika.kubelet.runtime.ExecResult;
import io.kronika.kubelet.runtime.docker.DockerRuntime;
import io.kronika.kubelet.testing.DockerEngine;
import io.kronika.kubelet.testing.KubeletRuntimeTest;
import io.kronika.kubelet.testing.KubeletScenarios;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.Services;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.kronika.kubelet.testing.DockerEngine.BUSYBOX;
import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker-runtime pods on the bridge network reach Services the way Kubernetes pods do: a busybox pod resolves
 * {@code <svc>.<ns>.svc.cluster.local} through the resolv.conf the kubelet wrote (the cluster DNS on port 53 of an
 * address in the loopback ClusterIP range) and fetches from the ClusterIP and the NodePort, served by another docker
 * pod (busybox httpd) through the service proxy on the host.
 */
class DockerServiceTrafficIntegrationTest extends KubeletRuntimeTest<DockerRuntime> {
    private static final int SERVICE_PORT = 9080;
    /** Addresses of this JVM in the default ClusterIP range, apart from what a `kronika up` on this host allocates. */
    private static final String SUBNET = "127.96.252.";
    private static final String POD_NAMESERVER = SUBNET + (1 + Math.floorMod(ProcessHandle.current().pid(), 100));
    private static Path root;
    private static KubeletServices proxyServices;

    DockerServiceTrafficIntegrationTest() {
        super("dsvc", "docker-svc-node");
    }

    @BeforeAll
    static void startProxyAndDns() throws Exception {
        DockerEngine.ensure();
        root = Files.createTempDirectory("kubelet-docker-service-test");
        TestCluster cluster = TestCluster.shared();
        // The node-level networking the launcher runs beside the kubelets: service proxy (NodePorts on every address,
        // pods reach them on the bridge gateway) and cluster DNS with its pod-facing address on port 53.
        proxyServices = KubeletServices.start(SharedKafka.bootstrapServers(), cluster.admission.topics, AdmissionFixture.REGISTRY,
                cluster.admission.client(), cluster.feed, cluster.view, KubeletServices.Settings.defaults().withoutServer()
                        .withServiceProxy(new ServiceProxy.Settings("0.0.0.0", Duration.ofSeconds(1)))
                        .withClusterDns(ClusterDns.Settings.defaults().withPort(0).withPodNameserver(POD_NAMESERVER)));
        assertThat(proxyServices.clusterDns().orElseThrow().podNameserver()).as("the cluster DNS listens on %s:53", POD_NAMESERVER)
                .contains(POD_NAMESERVER);
    }

    @AfterAll
    static void stopProxyAndDns() {
        if (proxyServices != null) {
            proxyServices.close();
        }
        TestFiles.deleteRecursively(root);
    }

    @Override
    protected DockerRuntime newRuntime() {
        return new DockerRuntime(nodeName, DockerRuntime.Settings.defaults());
    }

    @Override
    protected KubeletConfig config() {
        return KubeletScenarios.config(nodeName, root.resolve(nodeName), Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(2))
                .withClusterDns(List.of(POD_NAMESERVER), "cluster.local");
    }

    @Override
    protected void release(DockerRuntime runtime) {
        runtime.removeAll();
        runtime.close();
    }

    @Test
    void aDockerPodReachesAServiceOfDockerPodsByNameClusterIpAndNodePort() throws Exception {
        ObjectNode httpd = container("httpd", BUSYBOX, "sh", "-c",
                "mkdir -p /www && echo \"hello from $(hostname)\" > /www/index.html && exec httpd -f -p 8080 -h /www");
        httpd.putArray("ports").addObject().put("name", "http").put("containerPort", 8080);
        ObjectNode web = pod("web-0", "Always", httpd);
        ((ObjectNode) web.get("metadata")).putObject("labels").put("app", "web");
        cluster.createAndBind(ns, Json.write(web), nodeName);
        cluster.createAndBind(ns, Json.write(pod("client", "Always", container("main", BUSYBOX, "sleep", "600"))), nodeName);
        cluster.awaitPod(ns, "web-0", p -> "True".equals(Pods.condition(p, "Ready")), "Ready");
        ObjectNode client = cluster.awaitPod(ns, "client", Pods::running, "Running");
        String clientContainer = Json.text(Pods.containerStatus(client, "main"), "containerID").substring("docker://".length());

        String clusterIp = SUBNET + (101 + Math.floorMod(ns.hashCode(), 150));
        int nodePort = Services.freeNodePort("0.0.0.0", 1000);
        cluster.create("", "Service", ns, Json.write(Services.nodePort(ns, "web", "web", clusterIp, SERVICE_PORT, nodePort)));
        ServiceProxy proxy = proxyServices.serviceProxy().orElseThrow();
        TestCluster.waitUntil(() -> proxy.backendsOf(clusterIp, SERVICE_PORT).size() == 1, TestCluster.TIMEOUT, "the ClusterIP's backend");

        String resolvConf = exec(clientContainer, "cat", "/etc/resolv.conf").output();
        List<String> lines = resolvConf.lines().toList();
        assertThat(lines).contains("search " + ns + ".svc.cluster.local svc.cluster.local cluster.local", "options ndots:5");
        assertThat(lines).filteredOn(l -> l.startsWith("nameserver ")).first().isEqualTo("nameserver " + POD_NAMESERVER);

        String byName = "http://web." + ns + ".svc.cluster.local:" + SERVICE_PORT + "/";
        assertThat(fetch(clientContainer, byName)).isEqualTo("hello from web-0");
        assertThat(fetch(clientContainer, "http://web:" + SERVICE_PORT + "/")).as("the short name through the search path")
                .isEqualTo("hello from web-0");
        assertThat(fetch(clientContainer, "http://" + clusterIp + ":" + SERVICE_PORT + "/")).isEqualTo("hello from web-0");
        String gateway = exec(clientContainer, "sh", "-c", "ip route | awk '/^default/ {print $3}'").output().strip();
        assertThat(gateway).as("the pod's default gateway (the node on the bridge)").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(fetch(clientContainer, "http://" + gateway + ":" + nodePort + "/")).isEqualTo("hello from web-0");

        // The route carries only the ClusterIP range: the pod's own loopback stays its own.
        assertThat(exec(clientContainer, "ip", "route", "get", "127.0.0.1").output()).contains("dev lo");
    }

    @Test
    void dnsPolicyNoneWritesOnlyTheDnsConfig() throws Exception {
        ObjectNode none = pod("custom-dns", "Always", container("main", BUSYBOX, "sleep", "600"));
        ObjectNode spec = (ObjectNode) none.get("spec");
        spec.put("dnsPolicy", "None");
        ObjectNode dnsConfig = spec.putObject("dnsConfig");
        dnsConfig.putArray("nameservers").add("192.0.2.53");
        dnsConfig.putArray("searches").add("ns1.svc.cluster-domain.example");
        dnsConfig.putArray("options").addObject().put("name", "ndots").put("value", "2");
        cluster.createAndBind(ns, Json.write(none), nodeName);
        ObjectNode running = cluster.awaitPod(ns, "custom-dns", Pods::running, "Running");
        String id = Json.text(Pods.containerStatus(running, "main"), "containerID").substring("docker://".length());
        assertThat(exec(id, "cat", "/etc/resolv.conf").output().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList())
                .containsExactly("search ns1.svc.cluster-domain.example", "nameserver 192.0.2.53", "options ndots:2");
    }

    /** The body wget gets inside the pod, once the path through proxy and DNS answers (Awaitility, bounded). */
    private String fetch(String containerId, String url) {
        return Awaitility.await(url).atMost(TestCluster.TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> exec(containerId, "wget", "-qO-", url), r -> r.exitCode() == 0).output().strip();
    }

    private ExecResult exec(String containerId, String... command) {
        return runtime.execSync(containerId, List.of(command), Duration.ofSeconds(20));
    }
}
