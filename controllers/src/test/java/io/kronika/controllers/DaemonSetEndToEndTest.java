package io.kronika.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.apps.DaemonSetController;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A DaemonSet puts one sim pod on every node, follows a node that joins and leaves, and rolls a new image out. */
class DaemonSetEndToEndTest {
    @Test
    void followsNodesAsTheyJoinAndLeaveAndRollsOut() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("ds");
        String key = ObjectKeys.of("apps", "DaemonSet", ns, "agent");
        cluster.create("apps", "DaemonSet", ns, "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"agent\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"agent\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"agent\"}},"
                + "\"spec\":{\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"c\",\"image\":\"agent:v1\"}]}}}}");
        ControllerCluster.waitUntil(() -> onePodPerNode(cluster, ns) && readyOn(cluster, ns, List.of("cn-1", "cn-2", "cn-3")),
                "one pod on every node, ready on cn-1..3",
                () -> state(cluster, ns));

        KubeletFleet extra = KubeletFleet.start(cluster.services, cluster.simNodes(List.of("ds-extra-1")));
        try {
            ControllerCluster.waitUntil(() -> readyOn(cluster, ns, List.of("ds-extra-1")), "a ready pod on the joining node", () -> state(cluster, ns));
        } finally {
            extra.close();
        }
        cluster.delete(ObjectKeys.ref("", "Node", "", "ds-extra-1"));
        ControllerCluster.waitUntil(() -> pods(cluster, ns).stream().noneMatch(p -> "ds-extra-1".equals(Pods.nodeName(p)))
                && onePodPerNode(cluster, ns), "the pod of the node that left gone", () -> state(cluster, ns));

        cluster.modify(key, d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "agent:v2"));
        ControllerCluster.waitUntil(() -> onePodPerNode(cluster, ns) && readyOn(cluster, ns, List.of("cn-1", "cn-2", "cn-3"))
                && pods(cluster, ns).stream().allMatch(p -> "agent:v2".equals(p.at("/spec/containers/0/image").asText())), "agent:v2 everywhere", () -> state(cluster, ns));
        ObjectNode ds = cluster.await(key, d -> d.at("/status/updatedNumberScheduled").asInt() == d.at("/status/desiredNumberScheduled").asInt()
                && d.at("/status/observedGeneration").asLong() >= d.at("/metadata/generation").asLong(), "the status of the rollout");
        assertThat(ds.at("/status/desiredNumberScheduled").asInt()).isEqualTo(nodes(cluster).size());
    }

    private static String state(ControllerCluster cluster, String ns) {
        return "nodes " + nodes(cluster) + ", pods " + cluster.list(ObjectKeys.namespacePrefix("", "Pod", ns)).stream()
                .map(p -> Json.name(p) + "@" + Pods.nodeName(p) + ":" + Pods.phase(p) + (Pods.isReady(p) ? "/ready" : "")
                        + (Json.isTerminating(p) ? "/terminating" : "")).toList() + ", daemon set " + cluster.get(
                ObjectKeys.of("apps", "DaemonSet", ns, "agent")).map(d -> Json.write(d.path("status"))).orElse("(absent)");
    }

    /** The nodes a daemon pod belongs on (an unreachable node left by another test is tainted NoSchedule: not one of them). */
    private static Set<String> nodes(ControllerCluster cluster) {
        JsonNode template = Json.parse("{\"spec\":{}}");
        return cluster.list(ObjectKeys.kindPrefix("", "Node")).stream().filter(n -> DaemonSetController.eligible(template, n))
                .map(Json::name).collect(Collectors.toSet());
    }

    private static List<ObjectNode> pods(ControllerCluster cluster, String ns) {
        return DeploymentEndToEndTest.activePods(cluster, ns);
    }

    private static boolean onePodPerNode(ControllerCluster cluster, String ns) {
        List<String> onNodes = pods(cluster, ns).stream().map(Pods::nodeName).sorted().toList();
        return onNodes.size() == Set.copyOf(onNodes).size() && Set.copyOf(onNodes).equals(nodes(cluster));
    }

    private static boolean readyOn(ControllerCluster cluster, String ns, List<String> nodes) {
        Set<String> ready = pods(cluster, ns).stream().filter(Pods::isReady).map(Pods::nodeName).collect(Collectors.toSet());
        return ready.containsAll(nodes);
    }
}
