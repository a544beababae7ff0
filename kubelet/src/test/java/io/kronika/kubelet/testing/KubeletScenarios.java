package io.kronika.kubelet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.kubelet.KubeletConfig;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.util.Json;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** Set-up, steps and checks the kubelet integration tests share across runtimes (sim, process, docker). */
public final class KubeletScenarios {
    /** A registry nothing listens on. */
    public static final String UNREACHABLE_REGISTRY = "127.0.0.1:1";

    private KubeletScenarios() {
    }

    /** The node's kubelet config with test back-off and a quick heartbeat (status every 30 s, resync every 2 s). */
    public static KubeletConfig config(String nodeName, Path rootDir, Duration backoffInitial, Duration backoffMax, Duration heartbeat) {
        return KubeletConfig.defaults(nodeName, rootDir)
                .withBackoff(backoffInitial, backoffMax)
                .withIntervals(heartbeat, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    /** Waits for the pod's container to be in CrashLoopBackOff after at least two restarts. */
    public static ObjectNode awaitCrashLoopBackOff(TestCluster cluster, String ns, String pod, String container) throws Exception {
        return cluster.awaitPod(ns, pod,
                p -> "CrashLoopBackOff".equals(Pods.waitingReason(p, container)) && Pods.restartCount(p, container) >= 2, "CrashLoopBackOff");
    }

    /** A container named greedy whose shell doubles a string until memory runs out; give it a memory limit. */
    public static ObjectNode memoryHog(String image) {
        return container("greedy", image, "sh", "-c", "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
    }

    /** Runs the container (restartPolicy Never) in a pod named after it, and checks the pod fails with it OOMKilled, exit 137. */
    public static void assertOomKilled(TestCluster cluster, String ns, String nodeName, ObjectNode container) throws Exception {
        String name = Json.text(container, "name");
        cluster.createAndBind(ns, Json.write(pod(name, "Never", container)), nodeName);
        ObjectNode failed = cluster.awaitPod(ns, name, p -> "Failed".equals(Pods.phase(p)), "Failed");
        JsonNode terminated = Pods.containerStatus(failed, name).path("state").path("terminated");
        assertThat(terminated.path("reason").asText()).isEqualTo("OOMKilled");
        assertThat(terminated.path("exitCode").asInt()).isEqualTo(137);
    }

    /**
     * Runs pod "private" whose container "main" has an image on {@link #UNREACHABLE_REGISTRY} and an image pull secret for
     * that registry, and checks it shows ErrImagePull (naming the registry), then ImagePullBackOff.
     */
    public static void assertUnreachableRegistryGivesErrImagePullThenImagePullBackOff(TestCluster cluster, String ns, String nodeName,
                                                                                     String... command) throws Exception {
        String dockerConfig = "{\"auths\":{\"" + UNREACHABLE_REGISTRY + "\":{\"username\":\"u\",\"password\":\"p\"}}}";
        cluster.create("", "Secret", ns, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"pull\"},"
                + "\"type\":\"kubernetes.io/dockerconfigjson\",\"data\":{\".dockerconfigjson\":\""
                + Base64.getEncoder().encodeToString(dockerConfig.getBytes()) + "\"}}");
        ObjectNode pod = pod("private", "Always", container("main", UNREACHABLE_REGISTRY + "/team/app:1.0", command));
        ((ObjectNode) pod.get("spec")).putArray("imagePullSecrets").addObject().put("name", "pull");
        cluster.createAndBind(ns, Json.write(pod), nodeName);
        ObjectNode err = cluster.awaitPod(ns, "private", p -> "ErrImagePull".equals(Pods.waitingReason(p, "main")), "ErrImagePull");
        assertThat(Json.text(Pods.containerStatus(err, "main"), "state", "waiting", "message")).contains(UNREACHABLE_REGISTRY);
        cluster.awaitPod(ns, "private", p -> "ImagePullBackOff".equals(Pods.waitingReason(p, "main")), "ImagePullBackOff");
    }

    /** Deletes the pod and waits until it is terminating (has a deletionTimestamp); returns it then. */
    public static ObjectNode deleteAndAwaitTerminating(TestCluster cluster, String ns, String pod) throws Exception {
        cluster.deletePod(ns, pod);
        return cluster.awaitPod(ns, pod, p -> Json.text(p, "metadata", "deletionTimestamp") != null, "terminating");
    }

    /** Whether the runtime has no container of the pod left. */
    public static boolean noContainersOf(ContainerRuntime runtime, String pod) {
        return runtime.listContainers().stream().noneMatch(c -> pod.equals(c.podName()));
    }

    /** Waits until the runtime has no container of the pod left. */
    public static void awaitNoContainersOf(ContainerRuntime runtime, String pod, String what) throws Exception {
        TestCluster.waitUntil(() -> noContainersOf(runtime, pod), TestCluster.TIMEOUT, what);
    }

    /** Waits for the pod to be running again and checks its container "main" is the same one, never restarted. */
    public static ObjectNode assertAdopted(TestCluster cluster, String ns, String pod, String containerId) throws Exception {
        ObjectNode after = cluster.awaitPod(ns, pod, Pods::running, "Running");
        assertThat(Json.text(Pods.containerStatus(after, "main"), "containerID")).isEqualTo(containerId);
        assertThat(Pods.restartCount(after, "main")).isZero();
        return after;
    }
}
