package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.process.ProcessRuntime;
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
import java.util.Base64;
import java.util.List;

import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The kubelet with the process runtime: host commands as containers, against the real cluster. */
class ProcessKubeletIntegrationTest extends KubeletRuntimeTest<ProcessRuntime> {
    /** A tiny HTTP server on the pod's own address, port 8080, answering the pod's hostname. */
    static final String PERL_SERVER = "$|=1; use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => $ENV{POD_IP}, "
            + "LocalPort => 8080, Listen => 10, ReuseAddr => 1) or die \"bind: $!\"; print \"listening on $ENV{POD_IP}:8080\\n\"; "
            + "while (my $c = $s->accept) { my $r = <$c>; print $c \"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n$ENV{HOSTNAME}\\n\"; close $c; }";

    private static Path root;

    ProcessKubeletIntegrationTest() {
        super("proc", "proc-node");
    }

    @BeforeAll
    static void dirs() throws Exception {
        root = Files.createTempDirectory("kubelet-process-test");
    }

    @AfterAll
    static void clean() {
        TestFiles.deleteRecursively(root);
    }

    @Override
    protected ProcessRuntime newRuntime() {
        return new ProcessRuntime(nodeName, ProcessRuntime.Settings.defaults(root.resolve(nodeName).resolve("runtime")));
    }

    @Override
    protected KubeletConfig config() {
        return KubeletScenarios.config(nodeName, root.resolve(nodeName), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Override
    protected void release(ProcessRuntime runtime) {
        runtime.removeAll();
    }

    static ObjectNode withEnvPodIp(ObjectNode container) {
        ObjectNode env = container.putArray("env").addObject();
        env.put("name", "POD_IP");
        env.putObject("valueFrom").putObject("fieldRef").put("fieldPath", "status.podIP");
        return container;
    }

    @Test
    void aPodThatEchoesSucceedsAndItsLogIsServedByTheNodeEndpoint() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("hello", "Never", container("main", "host", "sh", "-c", "echo hello from $HOSTNAME; echo oops >&2"))), nodeName);
        ObjectNode done = cluster.awaitPod(ns, "hello", p -> "Succeeded".equals(Pods.phase(p)), "Succeeded");
        JsonNode terminated = Pods.containerStatus(done, "main").path("state").path("terminated");
        assertThat(terminated.path("reason").asText()).isEqualTo("Completed");
        assertThat(Json.text(done, "status", "podIP")).startsWith("127.1.");

        HttpResponse<String> logs = NodeEndpoint.logs(cluster.services.endpoint(), ns, "hello", "main", null);
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).contains("hello from hello\n").contains("oops\n");
        HttpResponse<String> stamped = NodeEndpoint.logs(cluster.services.endpoint(), ns, "hello", "main", "timestamps=true&tailLines=1");
        assertThat(stamped.body().lines().toList()).hasSize(1);
        assertThat(stamped.body()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z (hello from hello|oops)\\n");

        // Shipped to the logs topic for cluster-level logging, too.
        List<io.kronika.schemas.LogLine> shipped = new java.util.ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, io.kronika.schemas.LogLine>(java.util.Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, io.kronika.eventstore.testing.SharedKafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                io.kronika.schemas.serde.KronikaSerdes.avro(io.kronika.schemas.LogLine.class, io.kronika.eventstore.testing.AdmissionFixture.REGISTRY).deserializer())) {
            var partitions = consumer.partitionsFor(cluster.admission.topics.logs()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            TestCluster.waitUntil(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if ("hello".equals(r.value().getPod()) && ns.equals(r.value().getNamespace())) {
                        shipped.add(r.value());
                    }
                });
                return shipped.size() >= 2;
            }, TestCluster.TIMEOUT, "the pod's lines on the logs topic");
        }
        assertThat(shipped).extracting(l -> l.getStream() + " " + l.getLine())
                .containsExactlyInAnyOrder("STDOUT hello from hello", "STDERR oops");
        assertThat(shipped.get(0).getContainer()).isEqualTo("main");
    }

    @Test
    void preStopHooksRunBeforeTheContainerIsStopped() throws Exception {
        Path marker = Files.createDirectories(root.resolve("prestop-" + ns)).resolve("hook-ran");
        ObjectNode c = container("main", "host", "sleep", "600");
        c.putObject("lifecycle").putObject("preStop").putObject("exec").putArray("command")
                .add("sh").add("-c").add("echo stopping > " + marker);
        cluster.createAndBind(ns, Json.write(pod("hooked", "Always", c)), nodeName);
        cluster.awaitPod(ns, "hooked", Pods::running, "Running");
        cluster.deletePod(ns, "hooked");
        cluster.awaitPodGone(ns, "hooked");
        assertThat(Files.readString(marker)).isEqualTo("stopping\n");
    }

    @Test
    void aCrashingContainerIsRestartedWithBackOffAndItsPreviousLogIsKept() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("crash", "Always", container("main", "host", "sh", "-c", "echo attempt; exit 2"))), nodeName);
        ObjectNode looping = KubeletScenarios.awaitCrashLoopBackOff(cluster, ns, "crash", "main");
        assertThat(Pods.containerStatus(looping, "main").path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(2);
        HttpResponse<String> previous = NodeEndpoint.logs(cluster.services.endpoint(), ns, "crash", "main", "previous=true");
        assertThat(previous.statusCode()).isEqualTo(200);
        assertThat(previous.body()).isEqualTo("attempt\n");
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(runtime.limitsSupport().enforced(), "this host gives no writable cgroup v1");
        ObjectNode c = KubeletScenarios.memoryHog("host");
        c.putObject("resources").putObject("limits").put("memory", "32Mi");
        KubeletScenarios.assertOomKilled(cluster, ns, nodeName, c);
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        ObjectNode c = container("main", "host", "sleep", "600");
        c.putObject("livenessProbe").put("periodSeconds", 1).put("failureThreshold", 2).putObject("exec").putArray("command")
                .add("sh").add("-c").add("test -f /nonexistent-kronika-health");
        ObjectNode pod = pod("unhealthy", "Always", c);
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 1);
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode restarted = cluster.awaitPod(ns, "unhealthy", p -> Pods.restartCount(p, "main") >= 1, "a restart");
        assertThat(Pods.containerStatus(restarted, "main").path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(143);
    }

    @Test
    void twoPodsListenOnTheSamePortAtTheirOwnAddressesAndBecomeReadyByHttpProbe() throws Exception {
        for (String name : List.of("web-a", "web-b")) {
            ObjectNode c = withEnvPodIp(container("web", "host", "perl", "-e", PERL_SERVER));
            c.putObject("readinessProbe").put("periodSeconds", 1).putObject("httpGet").put("path", "/").put("port", 8080);
            c.putObject("livenessProbe").put("periodSeconds", 1).putObject("tcpSocket").put("port", 8080);
            cluster.createAndBind(ns, Json.write(pod(name, "Always", c)), nodeName);
        }
        ObjectNode a = cluster.awaitPod(ns, "web-a", Pods::running, "Ready");
        ObjectNode b = cluster.awaitPod(ns, "web-b", Pods::running, "Ready");
        String ipA = Json.text(a, "status", "podIP");
        String ipB = Json.text(b, "status", "podIP");
        assertThat(ipA).isNotEqualTo(ipB);
        assertThat(NodeEndpoint.get("http://" + ipA + ":8080/")).isEqualTo("web-a\n");
        assertThat(NodeEndpoint.get("http://" + ipB + ":8080/")).isEqualTo("web-b\n");
    }

    @Test
    void serversListeningOnTheWildcardAddressGetTheirPodsOwnAddress() throws Exception {
        String wildcard = PERL_SERVER.replace("LocalAddr => $ENV{POD_IP}, ", "");
        for (String name : List.of("any-a", "any-b")) {
            ObjectNode c = withEnvPodIp(container("web", "host", "perl", "-e", wildcard));
            c.putObject("readinessProbe").put("periodSeconds", 1).putObject("tcpSocket").put("port", 8080);
            cluster.createAndBind(ns, Json.write(pod(name, "Always", c)), nodeName);
        }
        ObjectNode a = cluster.awaitPod(ns, "any-a", Pods::running, "Ready");
        ObjectNode b = cluster.awaitPod(ns, "any-b", Pods::running, "Ready");
        assertThat(NodeEndpoint.get("http://" + Json.text(a, "status", "podIP") + ":8080/")).isEqualTo("any-a\n");
        assertThat(NodeEndpoint.get("http://" + Json.text(b, "status", "podIP") + ":8080/")).isEqualTo("any-b\n");
    }

    @Test
    void environmentConfigMapsSecretsDownwardApiAndVolumesReachTheContainer() throws Exception {
        cluster.create("", "ConfigMap", ns, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\"},"
                + "\"data\":{\"color\":\"blue\",\"app.conf\":\"size=3\"}}");
        cluster.create("", "Secret", ns, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"creds\"},\"type\":\"Opaque\","
                + "\"data\":{\"password\":\"" + Base64.getEncoder().encodeToString("hunter2".getBytes()) + "\"}}");
        Path hostDir = Files.createDirectories(root.resolve("host-path-" + ns));
        Files.writeString(hostDir.resolve("from-host"), "host file");
        String script = "echo COLOR=$COLOR; echo PASS=$PASS; echo NS=$MY_NS; echo HOST=$HOSTNAME; "
                + "cat /etc/kronika-test/config/app.conf; echo; cat /etc/kronika-test/secret/password; echo; "
                + "cat /etc/kronika-test/podinfo/labels; echo; cat /etc/kronika-test/host/from-host; echo; "
                + "echo scratch > /etc/kronika-test/scratch/file && cat /etc/kronika-test/scratch/file";
        ObjectNode c = container("main", "host", "sh", "-c", script);
        c.putArray("env")
                .add(Json.parse("{\"name\":\"COLOR\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"settings\",\"key\":\"color\"}}}"))
                .add(Json.parse("{\"name\":\"PASS\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"creds\",\"key\":\"password\"}}}"))
                .add(Json.parse("{\"name\":\"MY_NS\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.namespace\"}}}"));
        c.putArray("volumeMounts")
                .add(Json.parse("{\"name\":\"config\",\"mountPath\":\"/etc/kronika-test/config\"}"))
                .add(Json.parse("{\"name\":\"secret\",\"mountPath\":\"/etc/kronika-test/secret\",\"readOnly\":true}"))
                .add(Json.parse("{\"name\":\"podinfo\",\"mountPath\":\"/etc/kronika-test/podinfo\"}"))
                .add(Json.parse("{\"name\":\"host\",\"mountPath\":\"/etc/kronika-test/host\"}"))
                .add(Json.parse("{\"name\":\"scratch\",\"mountPath\":\"/etc/kronika-test/scratch\"}"));
        ObjectNode pod = pod("configured", "Never", c);
        ((ObjectNode) pod.get("metadata")).putObject("labels").put("tier", "test");
        ((ObjectNode) pod.get("spec")).putArray("volumes")
                .add(Json.parse("{\"name\":\"config\",\"configMap\":{\"name\":\"settings\"}}"))
                .add(Json.parse("{\"name\":\"secret\",\"secret\":{\"secretName\":\"creds\"}}"))
                .add(Json.parse("{\"name\":\"podinfo\",\"downwardAPI\":{\"items\":[{\"path\":\"labels\",\"fieldRef\":{\"fieldPath\":\"metadata.labels\"}}]}}"))
                .add(Json.parse("{\"name\":\"host\",\"hostPath\":{\"path\":\"" + hostDir + "\"}}"))
                .add(Json.parse("{\"name\":\"scratch\",\"emptyDir\":{}}"));
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode done = cluster.awaitPod(ns, "configured", p -> "Succeeded".equals(Pods.phase(p)) || "Failed".equals(Pods.phase(p)), "completion");
        String logs = NodeEndpoint.logs(cluster.services.endpoint(), ns, "configured", "main", null).body();
        assertThat(Pods.phase(done)).as(logs).isEqualTo("Succeeded");
        assertThat(logs).contains("COLOR=blue\n", "PASS=hunter2\n", "NS=" + ns + "\n", "HOST=configured\n", "size=3\n", "hunter2\n",
                "tier=\"test\"\n", "host file\n", "scratch\n");
    }

    @Test
    void anUnreachableRegistryGivesErrImagePullThenImagePullBackOff() throws Exception {
        KubeletScenarios.assertUnreachableRegistryGivesErrImagePullThenImagePullBackOff(cluster, ns, nodeName, "sleep", "60");
    }

    @Test
    void deletionStopsContainersWithinTheGracePeriodEvenWhenTheyIgnoreSigterm() throws Exception {
        ObjectNode polite = pod("polite", "Always", container("main", "host", "sh", "-c", "trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done"));
        ObjectNode stubborn = pod("stubborn", "Always", container("main", "host", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done"));
        ((ObjectNode) stubborn.get("spec")).put("terminationGracePeriodSeconds", 2);
        cluster.createAndBind(ns, Json.write(polite), nodeName);
        cluster.createAndBind(ns, Json.write(stubborn), nodeName);
        cluster.awaitPod(ns, "polite", Pods::running, "Running");
        cluster.awaitPod(ns, "stubborn", Pods::running, "Running");

        Instant t0 = Instant.now();
        cluster.deletePod(ns, "polite");
        cluster.deletePod(ns, "stubborn");
        TestCluster.waitUntil(() -> gone("polite"), TestCluster.TIMEOUT, "polite's process to end");
        Duration politeTook = Duration.between(t0, Instant.now());
        TestCluster.waitUntil(() -> gone("stubborn"), TestCluster.TIMEOUT, "stubborn's process to be killed");
        Duration stubbornTook = Duration.between(t0, Instant.now());
        assertThat(politeTook).isLessThan(Duration.ofSeconds(2));
        assertThat(stubbornTook).isGreaterThanOrEqualTo(Duration.ofMillis(1900)).isLessThan(Duration.ofSeconds(8));
    }

    private boolean gone(String pod) {
        return KubeletScenarios.noContainersOf(runtime, pod);
    }

    @Test
    void aRestartedKubeletAdoptsRunningProcessesAndStopsThoseOfPodsDeletedMeanwhile() throws Exception {
        cluster.createAndBind(ns, Json.write(pod("keeper", "Always", container("main", "host", "sh", "-c", "echo up; exec sleep 600"))), nodeName);
        cluster.createAndBind(ns, Json.write(pod("goner", "Always", container("main", "host", "sleep", "600"))), nodeName);
        ObjectNode before = cluster.awaitPod(ns, "keeper", Pods::running, "Running");
        cluster.awaitPod(ns, "goner", Pods::running, "Running");
        String containerId = Json.text(Pods.containerStatus(before, "main"), "containerID");

        closeKubelet();
        KubeletScenarios.deleteAndAwaitTerminating(cluster, ns, "goner");
        assertThat(runtime.listContainers()).filteredOn(c -> "goner".equals(c.podName())).allMatch(ContainerStatus::running).isNotEmpty();

        runtime = newRuntime(); // as a new kubelet process would: only what is on disk and in the process table
        kubelet = Kubelet.start(cluster.services, config(), runtime);
        cluster.awaitPodGone(ns, "goner");
        TestCluster.waitUntil(() -> gone("goner"), TestCluster.TIMEOUT, "the deleted pod's process to be stopped");
        KubeletScenarios.assertAdopted(cluster, ns, "keeper", containerId);
        // The adopted container's log is found again once the new kubelet has re-attached its log store.
        TestCluster.waitUntil(() -> "up\n".equals(keeperLog()), TestCluster.TIMEOUT, "the adopted container's log to read \"up\"");
    }

    private String keeperLog() {
        try {
            return NodeEndpoint.logs(cluster.services.endpoint(), ns, "keeper", "main", null).body();
        } catch (Exception e) {
            return "";
        }
    }
}
