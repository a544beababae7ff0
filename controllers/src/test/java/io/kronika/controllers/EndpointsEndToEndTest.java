package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.EndpointSliceController;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A Service selecting the sim pods of a Deployment: its Endpoints and EndpointSlice follow the pods, named targetPort resolved. */
class EndpointsEndToEndTest {
    @Test
    void endpointsAndSlicesFollowTheSelectedPods() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("endpoints");
        cluster.create("", "Service", ns, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"},\"spec\":{"
                + "\"selector\":{\"app\":\"web\"},\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\"}]}}");
        cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("web", 3, "web:v1", null)
                .replace("\"image\":\"web:v1\"", "\"image\":\"web:v1\",\"ports\":[{\"name\":\"http\",\"containerPort\":8080}]"));
        String epKey = ObjectKeys.of("", "Endpoints", ns, "web");
        ObjectNode ep = cluster.await(epKey, e -> e.at("/subsets/0/addresses").size() == 3, "3 ready addresses");
        assertThat(ep.at("/subsets/0/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(ep.at("/subsets/0/addresses").findValuesAsText("name")).allMatch(n -> n.startsWith("web-"));
        ControllerCluster.waitUntil(() -> {
            List<ObjectNode> slices = slices(cluster, ns);
            return slices.size() == 1 && slices.get(0).path("endpoints").size() == 3
                    && slices.get(0).path("endpoints").findValues("ready").stream().allMatch(r -> r.asBoolean());
        }, "one EndpointSlice with 3 ready endpoints");
        assertThat(slices(cluster, ns).get(0).at("/ports/0/port").asInt()).isEqualTo(8080);

        cluster.modify(ObjectKeys.of("apps", "Deployment", ns, "web"), d -> d.with("spec").put("replicas", 1));
        cluster.await(epKey, e -> e.at("/subsets/0/addresses").size() == 1 && !e.at("/subsets/0").has("notReadyAddresses"), "1 address");
        ControllerCluster.waitUntil(() -> slices(cluster, ns).size() == 1 && slices(cluster, ns).get(0).path("endpoints").size() == 1,
                "the slice down to 1 endpoint");

        cluster.delete(ObjectKeys.ref("", "Service", ns, "web"));
        ControllerCluster.waitUntil(() -> cluster.get(epKey).isEmpty(), "the Endpoints gone with its Service");
    }

    private static List<ObjectNode> slices(ControllerCluster cluster, String ns) {
        return cluster.list(ObjectKeys.namespacePrefix("discovery.k8s.io", "EndpointSlice", ns)).stream()
                .filter(s -> "web".equals(Json.labels(s).get(EndpointSliceController.SERVICE_NAME_LABEL))).toList();
    }
}
