package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.NodeLifecycleController;
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

/** A node whose kubelet stops becomes Ready=Unknown and tainted unreachable; its pods are evicted and recreated elsewhere. */
class NodeLifecycleEndToEndTest {
    @Test
    void deadNodesPodsAreRecreatedElsewhere() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        KubeletFleet doomed = KubeletFleet.start(cluster.services, cluster.simNodes(List.of("doomed-1")));
        String nodeKey = ObjectKeys.of("", "Node", "", "doomed-1");
        try {
            cluster.await(nodeKey, n -> Json.conditionTrue(n, "Ready"), "the node to be Ready");
            String ns = cluster.newNamespace("node-dies");
            String key = ObjectKeys.of("apps", "Deployment", ns, "svc");
            cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("svc", 3, "svc:v1", null)
                    .replace("\"terminationGracePeriodSeconds\":0,", "\"terminationGracePeriodSeconds\":0,\"affinity\":{\"nodeAffinity\":"
                            + "{\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":100,\"preference\":{\"matchExpressions\":"
                            + "[{\"key\":\"kubernetes.io/hostname\",\"operator\":\"In\",\"values\":[\"doomed-1\"]}]}}]}},"));
            cluster.await(key, d -> DeploymentEndToEndTest.complete(d, 3), "3 available replicas");
            Set<String> onDoomed = DeploymentEndToEndTest.activePods(cluster, ns).stream()
                    .filter(p -> "doomed-1".equals(Pods.nodeName(p))).map(Json::name).collect(Collectors.toSet());
            assertThat(onDoomed).as("pods the scheduler put on the preferred node").isNotEmpty();

            doomed.close();
            ObjectNode node = cluster.await(nodeKey, n -> "Unknown".equals(Json.text(Json.condition(n, "Ready"), "status"))
                    && n.path("spec").path("taints").size() == 2, "Ready=Unknown and the unreachable taints");
            assertThat(node.path("spec").path("taints").findValuesAsText("key")).containsOnly(NodeLifecycleController.UNREACHABLE);
            ControllerCluster.waitUntil(() -> {
                List<ObjectNode> active = DeploymentEndToEndTest.activePods(cluster, ns);
                return active.size() == 3 && active.stream().allMatch(p -> Pods.isReady(p) && !"doomed-1".equals(Pods.nodeName(p)));
            }, "3 ready pods on the other nodes");
            cluster.await(key, d -> DeploymentEndToEndTest.complete(d, 3), "the deployment available again");
        } finally {
            doomed.close();
        }
    }
}
