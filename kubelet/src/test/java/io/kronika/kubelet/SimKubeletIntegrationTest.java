package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.sim.SimRuntime;
import io.kronika.kubelet.testing.KubeletRuntimeTest;
import io.kronika.kubelet.testing.KubeletScenarios;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import io.kronika.schemas.NodeHeartbeat;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.serde.KronikaSerdes;
import io.kronika.eventstore.testing.AdmissionFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kronika.kubelet.testing.Pods.annotate;
import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The kubelet core on the sim runtime against the real broker, admission processor, view and feed. */
class SimKubeletIntegrationTest extends KubeletRuntimeTest<SimRuntime> {
    SimKubeletIntegrationTest() {
        super("sim", "sim-node");
    }

    @Override
    protected SimRuntime newRuntime() {
        return new SimRuntime(nodeName, SimRuntime.Settings.defaults().withDelays(Duration.ofMillis(100), Duration.ofMillis(500)),
                cluster.services.timers());
    }

    @Override
    protected KubeletConfig config() {
        return config(nodeName);
    }

    static KubeletConfig config(String node) {
        return KubeletScenarios.config(node, null, Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    @Override
    protected void release(SimRuntime runtime) {
        runtime.close();
    }

    @Test
    void registersTheNodeWithCapacityLabelsAddressesInfoAndReadyThenRenewsItsLeaseAndHeartbeats() throws Exception {
        ObjectNode node = cluster.await(ObjectKeys.of("", "Node", "", nodeName), n -> true, TestCluster.TIMEOUT, "the Node");
        JsonNode status = node.get("status");
        assertThat(Json.text(status, "capacity", "cpu")).isEqualTo("32");
        assertThat(Json.text(status, "capacity", "memory")).isEqualTo(Long.toString(256L << 30));
        assertThat(Json.text(status, "capacity", "pods")).isEqualTo("110");
        assertThat(Json.text(status, "allocatable", "pods")).isEqualTo("110");
        assertThat(Json.stringMap(node, "metadata", "labels")).containsEntry("kubernetes.io/hostname", nodeName)
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64");
        assertThat(Json.list(status, "addresses")).extracting(a -> Json.text(a, "type")).contains("InternalIP", "Hostname");
        assertThat(Json.text(status, "nodeInfo", "kubeletVersion")).isEqualTo(KubeletConfig.VERSION);
        assertThat(Json.text(status, "nodeInfo", "containerRuntimeVersion")).isEqualTo("sim://0.1.0");
        assertThat(Pods.condition(node, "Ready")).isEqualTo("True");
        assertThat(Json.text(node, "metadata", "annotations", "kronika.io/kubelet-endpoint")).startsWith("http://127.0.0.1:");

        String leaseKey = ObjectKeys.of("coordination.k8s.io", "Lease", "kube-node-lease", nodeName);
        ObjectNode lease = cluster.await(leaseKey, l -> true, TestCluster.TIMEOUT, "the lease");
        String firstRenew = Json.text(lease, "spec", "renewTime");
        assertThat(Json.text(lease, "spec", "holderIdentity")).isEqualTo(nodeName);
        cluster.await(leaseKey, l -> !firstRenew.equals(Json.text(l, "spec", "renewTime")), TestCluster.TIMEOUT, "a renewal");

        try (KafkaConsumer<String, NodeHeartbeat> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringDeserializer(), KronikaSerdes.avro(NodeHeartbeat.class, AdmissionFixture.REGISTRY).deserializer())) {
            TopicPartition partition = new TopicPartition(cluster.admission.topics.heartbeats(), 0);
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(partition.topic()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<NodeHeartbeat> mine = new ArrayList<>();
            TestCluster.waitUntil(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (nodeName.equals(r.key())) {
                        mine.add(r.value());
                    }
                });
                return mine.size() >= 2;
            }, TestCluster.TIMEOUT, "two heartbeats of " + nodeName);
            assertThat(mine.get(0).getReady()).isTrue();
            assertThat(mine.get(0).getKubeletVersion()).isEqualTo(KubeletConfig.VERSION);
        }
    }

    @Test
    void aBoundPodRunsAndReportsKubernetesStatus() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("web", "Always", container("app", "nginx:1.27"))), nodeName);
        ObjectNode running = cluster.awaitPod(ns, "web", Pods::running, "Running and Ready");
        JsonNode status = running.get("status");
        assertThat(Json.text(status, "podIP")).startsWith("127.");
        assertThat(Json.text(status, "hostIP")).isEqualTo("127.0.0.1");
        assertThat(Json.text(status, "startTime")).isNotNull();
        assertThat(Json.text(status, "qosClass")).isEqualTo("BestEffort");
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            assertThat(Pods.condition(running, type)).as(type).isEqualTo("True");
        }
        JsonNode cs = Pods.containerStatus(running, "app");
        assertThat(Json.text(cs, "state", "running", "startedAt")).isNotNull();
        assertThat(cs.path("ready").asBoolean()).isTrue();
        assertThat(cs.path("restartCount").asInt()).isZero();
        assertThat(Json.text(cs, "containerID")).startsWith("sim://");
    }

    @Test
    void restartPolicyNeverSucceedsOrFailsWithTheAnnotatedExitCode() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("job-ok", "Never", container("main", "busybox:1"))), nodeName);
        cluster.createAndBind(ns, Json.write(annotate(pod("job-bad", "Never", container("main", "busybox:1")),
                SimRuntime.EXIT_CODE, "3")), nodeName);
        cluster.createAndBind(ns, Json.write(pod("on-failure-ok", "OnFailure", container("main", "busybox:1"))), nodeName);

        ObjectNode ok = cluster.awaitPod(ns, "job-ok", p -> "Succeeded".equals(Pods.phase(p)), "Succeeded");
        assertThat(Json.text(Pods.containerStatus(ok, "main"), "state", "terminated", "reason")).isEqualTo("Completed");
        assertThat(Pods.condition(ok, "Ready")).isEqualTo("False");

        ObjectNode bad = cluster.awaitPod(ns, "job-bad", p -> "Failed".equals(Pods.phase(p)), "Failed");
        JsonNode terminated = Pods.containerStatus(bad, "main").path("state").path("terminated");
        assertThat(terminated.path("exitCode").asInt()).isEqualTo(3);
        assertThat(terminated.path("reason").asText()).isEqualTo("Error");
        assertThat(Pods.restartCount(bad, "main")).isZero();

        cluster.awaitPod(ns, "on-failure-ok", p -> "Succeeded".equals(Pods.phase(p)), "Succeeded");
    }

    @Test
    void aCrashingContainerIsRestartedWithBackoffAndShowsCrashLoopBackOff() throws Exception {
        ObjectNode pod = annotate(pod("crasher", "Always", container("main", "busybox:1")), SimRuntime.EXIT_CODE, "1");
        annotate(pod, SimRuntime.RUN_DURATION, "100ms");
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode looping = KubeletScenarios.awaitCrashLoopBackOff(cluster, ns, "crasher", "main");
        JsonNode cs = Pods.containerStatus(looping, "main");
        assertThat(Json.text(cs, "state", "waiting", "message")).contains("back-off").contains("restarting failed container=main");
        assertThat(cs.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
        assertThat(Pods.phase(looping)).isEqualTo("Running");

        // The waits double: restarts 2 → 4 take at least 0.6 s + 1.2 s.
        Instant before = Instant.now();
        cluster.awaitPod(ns, "crasher", p -> Pods.restartCount(p, "main") >= 4, "four restarts");
        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void initContainersRunInOrderBeforeTheContainers() throws Exception {
        ObjectNode pod = pod("with-init", "Always", container("app", "nginx:1"));
        ((ObjectNode) pod.get("spec")).putArray("initContainers").add(container("init-1", "busybox:1")).add(container("init-2", "busybox:1"));
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode running = cluster.awaitPod(ns, "with-init", Pods::running, "Running");
        assertThat(Pods.condition(running, "Initialized")).isEqualTo("True");
        List<JsonNode> inits = Json.list(running, "status", "initContainerStatuses");
        assertThat(inits).extracting(i -> Json.text(i, "state", "terminated", "reason")).containsExactly("Completed", "Completed");
        Instant first = Instant.parse(Json.text(inits.get(0), "state", "terminated", "finishedAt"));
        Instant second = Instant.parse(Json.text(inits.get(1), "state", "terminated", "startedAt"));
        assertThat(second).isAfterOrEqualTo(first);
    }

    @Test
    void anUnpullableImageShowsErrImagePullThenImagePullBackOff() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("no-image", "Always", container("main", "registry.example.invalid/app:1"))), nodeName);
        cluster.awaitPod(ns, "no-image", p -> "ErrImagePull".equals(Pods.waitingReason(p, "main")), "ErrImagePull");
        ObjectNode backoff = cluster.awaitPod(ns, "no-image", p -> "ImagePullBackOff".equals(Pods.waitingReason(p, "main")), "ImagePullBackOff");
        assertThat(Pods.phase(backoff)).isEqualTo("Pending");
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        ObjectNode c = container("main", "nginx:1");
        c.putObject("livenessProbe").put("periodSeconds", 1).put("failureThreshold", 1).putObject("exec").putArray("command").add("true");
        ObjectNode pod = annotate(pod("unhealthy", "Always", c), SimRuntime.PROBE_FAIL, "true");
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode restarted = cluster.awaitPod(ns, "unhealthy", p -> Pods.restartCount(p, "main") >= 1, "a restart");
        assertThat(Pods.containerStatus(restarted, "main").path("lastState").path("terminated").path("exitCode").asInt())
                .as(Json.write(restarted.get("status"))).isEqualTo(143);
    }

    @Test
    void deletingAPodStopsItsContainersWithinTheGracePeriod() throws Exception {
        ObjectNode pod = annotate(pod("slow-stop", "Always", container("main", "nginx:1")), SimRuntime.IGNORE_SIGTERM, "true");
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 1);
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        cluster.awaitPod(ns, "slow-stop", Pods::running, "Running");
        assertThat(runtime.listContainers()).filteredOn(ContainerStatus::running).hasSize(1);
        Instant deleted = Instant.now();
        ObjectNode terminating = KubeletScenarios.deleteAndAwaitTerminating(cluster, ns, "slow-stop");
        assertThat(Json.longAt(terminating, -1, "metadata", "deletionGracePeriodSeconds")).isEqualTo(1);
        KubeletScenarios.awaitNoContainersOf(runtime, "slow-stop", "the containers of the deleted pod to be stopped and removed");
        Duration took = Duration.between(deleted, Instant.now());
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
        assertThat(runtime.listSandboxes()).noneMatch(s -> "slow-stop".equals(s.podName()));
        // The kubelet confirmed: the pod is gone from the cluster.
        cluster.awaitPodGone(ns, "slow-stop");
    }

    @Test
    void aRestartedKubeletAdoptsItsContainersAndStopsThoseOfPodsDeletedMeanwhile() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("keeper", "Always", container("main", "nginx:1"))), nodeName);
        cluster.createAndBind(ns, Json.write(pod("goner", "Always", container("main", "nginx:1"))), nodeName);
        ObjectNode before = cluster.awaitPod(ns, "keeper", Pods::running, "Running");
        cluster.awaitPod(ns, "goner", Pods::running, "Running");
        String containerId = Json.text(Pods.containerStatus(before, "main"), "containerID");

        closeKubelet();
        // Deleted while no kubelet watches: it waits, terminating, for its kubelet to stop it and confirm.
        KubeletScenarios.deleteAndAwaitTerminating(cluster, ns, "goner");
        assertThat(runtime.listContainers()).filteredOn(cs -> "goner".equals(cs.podName())).isNotEmpty();

        kubelet = Kubelet.start(cluster.services, config(nodeName), runtime);
        cluster.awaitPodGone(ns, "goner");
        KubeletScenarios.awaitNoContainersOf(runtime, "goner", "the deleted pod's container to be removed");
        KubeletScenarios.assertAdopted(cluster, ns, "keeper", containerId);
        assertThat(kubelet.podCount()).isEqualTo(1);
    }

    @Test
    void startupAndReadinessProbesGateReadinessAndUsageIsServedForTop() throws Exception {
        ObjectNode probed = container("app", "nginx:1");
        probed.putObject("startupProbe").put("periodSeconds", 1).putObject("exec").putArray("command").add("true");
        probed.putObject("readinessProbe").put("periodSeconds", 1).putObject("httpGet").put("port", 80);
        probed.putObject("resources").putObject("requests").put("cpu", "200m").put("memory", "64Mi");
        cluster.createAndBind(ns, Json.write(pod("probed", "Always", probed)), nodeName);
        ObjectNode ready = cluster.awaitPod(ns, "probed", Pods::running, "Ready after its probes");
        assertThat(Pods.containerStatus(ready, "app").path("started").asBoolean()).isTrue();
        assertThat(Json.text(ready, "status", "qosClass")).isEqualTo("Burstable");

        ObjectNode failing = container("app", "nginx:1");
        failing.putObject("readinessProbe").put("periodSeconds", 1).putObject("exec").putArray("command").add("true");
        cluster.createAndBind(ns, Json.write(annotate(pod("never-ready", "Always", failing), SimRuntime.PROBE_FAIL, "true")), nodeName);
        ObjectNode notReady = cluster.awaitPod(ns, "never-ready",
                p -> "Running".equals(Pods.phase(p)) && Pods.containerStatus(p, "app").path("state").has("running"), "Running");
        assertThat(Pods.condition(notReady, "Ready")).isEqualTo("False");
        assertThat(Pods.condition(notReady, "ContainersReady")).isEqualTo("False");

        JsonNode summary = Json.parse(io.kronika.kubelet.testing.NodeEndpoint.get(cluster.services.endpoint() + "/stats/summary?node=" + nodeName));
        assertThat(Json.text(summary, "node", "nodeName")).isEqualTo(nodeName);
        JsonNode pod = Json.list(summary, "pods").stream().filter(p -> "probed".equals(Json.text(p, "podRef", "name"))).findFirst().orElseThrow();
        long nanoCores = pod.path("cpu").path("usageNanoCores").asLong();
        assertThat(nanoCores).isPositive().isLessThanOrEqualTo(200_000_000L);
        assertThat(pod.path("memory").path("workingSetBytes").asLong()).isPositive().isLessThanOrEqualTo(64L << 20);
        assertThat(Json.list(pod, "containers")).extracting(c -> Json.text(c, "name")).containsExactly("app");
    }
}
