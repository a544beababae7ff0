package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A node removed with a pod still bound to it: PodGC marks the pod Failed (DisruptionTarget) and force-deletes it. */
class PodGarbageCollectionEndToEndTest {
    @Test
    void aPodOfARemovedNodeIsMarkedFailedAndDeleted() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        KubeletFleet fleet = KubeletFleet.start(cluster.services, cluster.simNodes(List.of("podgc-1")));
        String nodeKey = ObjectKeys.of("", "Node", "", "podgc-1");
        try {
            cluster.await(nodeKey, n -> Json.conditionTrue(n, "Ready"), "the node to be Ready");
            String ns = cluster.newNamespace("podgc");
            long start = cluster.admission.client().latestRevision();
            cluster.create("", "Pod", ns, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bound\"},"
                    + "\"spec\":{\"nodeName\":\"podgc-1\",\"containers\":[{\"name\":\"c\",\"image\":\"app:v1\"}]}}");
            String podKey = ObjectKeys.of("", "Pod", ns, "bound");
            cluster.await(podKey, p -> "Running".equals(Json.text(p, "status", "phase")), "the pod running on podgc-1");

            fleet.close();
            cluster.delete(ObjectKeys.ref("", "Node", "", "podgc-1"));
            ControllerCluster.waitUntil(() -> cluster.get(podKey).isEmpty(), "the pod of the removed node gone",
                    () -> cluster.get(podKey).map(Json::write).orElse("(absent)"));

            // from the log: the pod was marked Failed with DisruptionTarget before it was deleted, by the podgc controller
            List<ObjectEvent> history = new ArrayList<>();
            for (ObjectEvent e : cluster.admission.readAllEvents()) {
                if (e.getRevision() > start && ObjectKeys.of(e.getRef()).equals(podKey)) {
                    history.add(e);
                }
            }
            ObjectEvent last = history.get(history.size() - 1);
            assertThat(last.getType()).isEqualTo(EventType.DELETED);
            ObjectNode failed = Json.parse(history.get(history.size() - 2).getObject());
            assertThat(Json.text(failed, "status", "phase")).isEqualTo("Failed");
            assertThat(Json.text(Json.condition(failed, "DisruptionTarget"), "reason")).isEqualTo("DeletionByPodGC");
        } finally {
            fleet.close();
        }
    }
}
