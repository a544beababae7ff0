package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.docker.DockerRuntime;
import io.kronika.kubelet.testing.DockerEngine;
import io.kronika.kubelet.testing.NodeEndpoint;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static io.kronika.kubelet.testing.DockerEngine.BUSYBOX;
import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The kubelet with the docker runtime against a real Docker engine (started by scripts/docker-engine.sh if needed). */
class DockerKubeletIntegrationTest {
    private static Path root;
    private TestCluster cluster;
    private String ns;
    private String nodeName;
    private DockerRuntime runtime;
    private Kubelet kubelet;

    @BeforeAll
    static void engine() throws Exception {
        DockerEngine.ensure();
        root = Files.createTempDirectory("kubelet-docker-test");
    }

    @AfterAll
    static void clean() {
        TestFiles.deleteRecursively(root);
    }

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.shared();
        ns = cluster.newNamespace("dock");
        nodeName = TestCluster.uniqueName("docker-node");
        runtime = new DockerRuntime(nodeName, DockerRuntime.Settings.defaults());
        kubelet = Kubelet.start(cluster.services, config(), runtime);
    }

    private KubeletConfig config() {
        return KubeletConfig.defaults(nodeName, root.resolve(nodeName))
                .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(3))
                .withIntervals(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        if (kubelet != null) {
            kubelet.close();
        }
        runtime.removeAll();
        runtime.close();
    }

    @Test
    void aPodThatRunsEchoSucceedsWithItsBridgeAddressAndItsLogIsReadable() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("echo", "Never", container("main", BUSYBOX, "sh", "-c", "echo hello from $(hostname)"))), nodeName);
        ObjectNode done = cluster.awaitPod(ns, "echo", p -> "Succeeded".equals(Pods.phase(p)), "Succeeded");
        JsonNode cs = Pods.containerStatus(done, "main");
        assertThat(Json.text(cs, "state", "terminated", "reason")).isEqualTo("Completed");
        assertThat(Json.text(cs, "containerID")).startsWith("docker://");
        assertThat(Json.text(done, "status", "podIP")).matches("\\d+\\.\\d+\\.\\d+\\.\\d+").doesNotStartWith("127.");
        HttpResponse<String> logs = NodeEndpoint.logs(cluster.services.endpoint(), ns, "echo", "main", null);
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).isEqualTo("hello from echo\n");
    }

    @Test
    void aCrashingContainerIsRestartedWithBackOffAndShowsCrashLoopBackOff() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("crash", "Always", container("main", BUSYBOX, "sh", "-c", "echo try; exit 3"))), nodeName);
        ObjectNode looping = cluster.awaitPod(ns, "crash",
                p -> "CrashLoopBackOff".equals(Pods.waitingReason(p, "main")) && Pods.restartCount(p, "main") >= 2, "CrashLoopBackOff");
        JsonNode last = Pods.containerStatus(looping, "main").path("lastState").path("terminated");
        assertThat(last.path("exitCode").asInt()).isEqualTo(3);
        assertThat(last.path("reason").asText()).isEqualTo("Error");
    }

    @Test
    void aGreedyContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        ObjectNode c = container("greedy", BUSYBOX, "sh", "-c", "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
        c.putObject("resources").putObject("limits").put("memory", "32Mi").put("cpu", "500m");
        cluster.createAndBind(ns, Json.write(pod("greedy", "Never", c)), nodeName);
        ObjectNode failed = cluster.awaitPod(ns, "greedy", p -> "Failed".equals(Pods.phase(p)), "Failed");
        JsonNode terminated = Pods.containerStatus(failed, "greedy").path("state").path("terminated");
        assertThat(terminated.path("reason").asText()).isEqualTo("OOMKilled");
        assertThat(terminated.path("exitCode").asInt()).isEqualTo(137);
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        ObjectNode c = container("main", BUSYBOX, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
        c.putObject("livenessProbe").put("periodSeconds", 1).put("failureThreshold", 2).putObject("exec").putArray("command")
                .add("test").add("-f").add("/healthy");
        ObjectNode pod = pod("unhealthy", "Always", c);
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 2);
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        cluster.awaitPod(ns, "unhealthy", p -> Pods.restartCount(p, "main") >= 1, "a restart after the liveness probe failed");
    }

    @Test
    void deletingAPodStopsItsContainerWithinItsGracePeriod() throws Exception {
        // sh as PID 1 ignores SIGTERM: the engine kills it when the grace period ends.
        ObjectNode pod = pod("stubborn", "Always", container("main", BUSYBOX, "sh", "-c", "while true; do sleep 1; done"));
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 2);
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        cluster.awaitPod(ns, "stubborn", Pods::running, "Running");
        Instant t0 = Instant.now();
        cluster.deletePod(ns, "stubborn");
        TestCluster.waitUntil(() -> runtime.listContainers().stream().noneMatch(c -> "stubborn".equals(c.podName())),
                TestCluster.TIMEOUT, "the container to be stopped and removed");
        Duration took = Duration.between(t0, Instant.now());
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(10));
        TestCluster.waitUntil(() -> runtime.listSandboxes().stream().noneMatch(s -> "stubborn".equals(s.podName())),
                TestCluster.TIMEOUT, "the sandbox to be removed");
    }

    @Test
    void anImagePullSecretForAnUnreachableRegistryGivesErrImagePullThenImagePullBackOff() throws Exception {
        String dockerConfig = "{\"auths\":{\"127.0.0.1:1\":{\"username\":\"u\",\"password\":\"p\"}}}";
        cluster.create("", "Secret", ns, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"pull\"},"
                + "\"type\":\"kubernetes.io/dockerconfigjson\",\"data\":{\".dockerconfigjson\":\""
                + Base64.getEncoder().encodeToString(dockerConfig.getBytes()) + "\"}}");
        ObjectNode pod = pod("private", "Always", container("main", "127.0.0.1:1/team/app:1.0"));
        ((ObjectNode) pod.get("spec")).putArray("imagePullSecrets").addObject().put("name", "pull");
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode err = cluster.awaitPod(ns, "private", p -> "ErrImagePull".equals(Pods.waitingReason(p, "main")), "ErrImagePull");
        assertThat(Json.text(Pods.containerStatus(err, "main"), "state", "waiting", "message")).contains("127.0.0.1:1");
        cluster.awaitPod(ns, "private", p -> "ImagePullBackOff".equals(Pods.waitingReason(p, "main")), "ImagePullBackOff");
    }

    @Test
    void aKubeletRestartedMidFlightAdoptsItsContainers() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("keeper", "Always", container("main", BUSYBOX, "sh", "-c", "echo up; exec sleep 600"))), nodeName);
        ObjectNode goner = pod("goner", "Always", container("main", BUSYBOX, "sleep", "600"));
        ((ObjectNode) goner.get("spec")).put("terminationGracePeriodSeconds", 1);
        cluster.createAndBind(ns, Json.write(goner), nodeName);
        ObjectNode before = cluster.awaitPod(ns, "keeper", Pods::running, "Running");
        cluster.awaitPod(ns, "goner", Pods::running, "Running");
        String containerId = Json.text(Pods.containerStatus(before, "main"), "containerID");
        String podIp = Json.text(before, "status", "podIP");

        kubelet.close();
        kubelet = null;
        runtime.close();
        cluster.deletePod(ns, "goner");
        cluster.awaitPod(ns, "goner", p -> Json.text(p, "metadata", "deletionTimestamp") != null, "terminating");

        runtime = new DockerRuntime(nodeName, DockerRuntime.Settings.defaults());
        assertThat(runtime.listContainers()).filteredOn(c -> "goner".equals(c.podName())).allMatch(ContainerStatus::running).isNotEmpty();
        kubelet = Kubelet.start(cluster.services, config(), runtime);
        cluster.awaitPodGone(ns, "goner");
        TestCluster.waitUntil(() -> runtime.listContainers().stream().noneMatch(c -> "goner".equals(c.podName())),
                TestCluster.TIMEOUT, "the container of the deleted pod to be stopped");
        ObjectNode after = cluster.awaitPod(ns, "keeper", Pods::running, "Running");
        assertThat(Json.text(Pods.containerStatus(after, "main"), "containerID")).isEqualTo(containerId);
        assertThat(Json.text(after, "status", "podIP")).isEqualTo(podIp);
        assertThat(Pods.restartCount(after, "main")).isZero();
        assertThat(NodeEndpoint.logs(cluster.services.endpoint(), ns, "keeper", "main", null).body()).isEqualTo("up\n");
        assertThat(List.of(runtime.version())).allMatch(v -> v.startsWith("docker://"));
    }
}
