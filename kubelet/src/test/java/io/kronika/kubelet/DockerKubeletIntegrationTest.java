package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.docker.DockerRuntime;
import io.kronika.kubelet.testing.DockerEngine;
import io.kronika.kubelet.testing.KubeletRuntimeTest;
import io.kronika.kubelet.testing.KubeletScenarios;
import io.kronika.kubelet.testing.NodeEndpoint;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.kronika.kubelet.testing.DockerEngine.BUSYBOX;
import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The kubelet with the docker runtime against a real Docker engine (started by scripts/docker-engine.sh if needed). */
class DockerKubeletIntegrationTest extends KubeletRuntimeTest<DockerRuntime> {
    private static Path root;

    DockerKubeletIntegrationTest() {
        super("dock", "docker-node");
    }

    @BeforeAll
    static void engine() throws Exception {
        DockerEngine.ensure();
        root = Files.createTempDirectory("kubelet-docker-test");
    }

    @AfterAll
    static void clean() {
        TestFiles.deleteRecursively(root);
    }

    @Override
    protected DockerRuntime newRuntime() {
        return new DockerRuntime(nodeName, DockerRuntime.Settings.defaults());
    }

    @Override
    protected KubeletConfig config() {
        return KubeletScenarios.config(nodeName, root.resolve(nodeName), Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(2));
    }

    @Override
    protected void release(DockerRuntime runtime) {
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
        ObjectNode looping = KubeletScenarios.awaitCrashLoopBackOff(cluster, ns, "crash", "main");
        JsonNode last = Pods.containerStatus(looping, "main").path("lastState").path("terminated");
        assertThat(last.path("exitCode").asInt()).isEqualTo(3);
        assertThat(last.path("reason").asText()).isEqualTo("Error");
    }

    @Test
    void aGreedyContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        ObjectNode c = KubeletScenarios.memoryHog(BUSYBOX);
        c.putObject("resources").putObject("limits").put("memory", "32Mi").put("cpu", "500m");
        KubeletScenarios.assertOomKilled(cluster, ns, nodeName, c);
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
        KubeletScenarios.awaitNoContainersOf(runtime, "stubborn", "the container to be stopped and removed");
        Duration took = Duration.between(t0, Instant.now());
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(10));
        TestCluster.waitUntil(() -> runtime.listSandboxes().stream().noneMatch(s -> "stubborn".equals(s.podName())),
                TestCluster.TIMEOUT, "the sandbox to be removed");
    }

    @Test
    void anImagePullSecretForAnUnreachableRegistryGivesErrImagePullThenImagePullBackOff() throws Exception {
        KubeletScenarios.assertUnreachableRegistryGivesErrImagePullThenImagePullBackOff(cluster, ns, nodeName);
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

        closeKubelet();
        runtime.close();
        KubeletScenarios.deleteAndAwaitTerminating(cluster, ns, "goner");

        runtime = newRuntime();
        assertThat(runtime.listContainers()).filteredOn(c -> "goner".equals(c.podName())).allMatch(ContainerStatus::running).isNotEmpty();
        kubelet = Kubelet.start(cluster.services, config(), runtime);
        cluster.awaitPodGone(ns, "goner");
        KubeletScenarios.awaitNoContainersOf(runtime, "goner", "the container of the deleted pod to be stopped");
        ObjectNode after = KubeletScenarios.assertAdopted(cluster, ns, "keeper", containerId);
        assertThat(Json.text(after, "status", "podIP")).isEqualTo(podIp);
        assertThat(NodeEndpoint.logs(cluster.services.endpoint(), ns, "keeper", "main", null).body()).isEqualTo("up\n");
        assertThat(List.of(runtime.version())).allMatch(v -> v.startsWith("docker://"));
    }
}
