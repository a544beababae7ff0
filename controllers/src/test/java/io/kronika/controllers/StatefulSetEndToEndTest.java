package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A StatefulSet of sim pods scales up in order (each created once the one before is ready), rolls an update, scales down in reverse. */
class StatefulSetEndToEndTest {
    @Test
    void scalesUpInOrderRollsAndScalesDownInReverse() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("sts");
        String key = ObjectKeys.of("apps", "StatefulSet", ns, "db");
        long start = cluster.admission.client().latestRevision();
        cluster.create("apps", "StatefulSet", ns, "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"db\"},"
                + "\"spec\":{\"replicas\":3,\"serviceName\":\"db\",\"selector\":{\"matchLabels\":{\"app\":\"db\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"db\"}},\"spec\":{\"terminationGracePeriodSeconds\":0,"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"db:v1\"}]}}}}");
        cluster.await(key, s -> s.at("/status/readyReplicas").asInt() == 3, "3 ready replicas");
        List<ObjectEvent> events = podEvents(cluster, ns, start);
        List<String> createdOrder = events.stream().filter(e -> e.getType() == EventType.ADDED).map(e -> e.getRef().getName()).toList();
        assertThat(createdOrder).containsExactly("db-0", "db-1", "db-2");
        // each pod was created only once the one before was ready
        Map<String, ObjectNode> pods = new HashMap<>();
        for (ObjectEvent e : events) {
            if (e.getType() == EventType.ADDED && !e.getRef().getName().equals("db-0")) {
                int ordinal = Integer.parseInt(e.getRef().getName().substring(3));
                ObjectNode previous = pods.get("db-" + (ordinal - 1));
                assertThat(previous != null && Pods.isReady(previous)).as("db-%d ready when db-%d was created", ordinal - 1, ordinal).isTrue();
            }
            pods.put(e.getRef().getName(), Json.parse(e.getObject()));
        }
        assertThat(cluster.list(ObjectKeys.namespacePrefix("apps", "ControllerRevision", ns))).hasSize(1);

        String firstRevision = cluster.get(key).orElseThrow().at("/status/updateRevision").asText();
        cluster.modify(key, s -> ((ObjectNode) s.at("/spec/template/spec/containers/0")).put("image", "db:v2"));
        ObjectNode rolled = cluster.await(key, s -> s.at("/status/observedGeneration").asLong() >= s.at("/metadata/generation").asLong()
                && !s.at("/status/updateRevision").asText().equals(firstRevision) && s.at("/status/updatedReplicas").asInt() == 3 && s.at("/status/readyReplicas").asInt() == 3
                && s.at("/status/currentRevision").asText().equals(s.at("/status/updateRevision").asText()), "the rolling update");
        assertThat(cluster.list(ObjectKeys.namespacePrefix("apps", "ControllerRevision", ns))).hasSize(2);
        assertThat(rolled.at("/status/currentRevision").asText()).startsWith("db-").isNotEqualTo(firstRevision);
        assertThat(cluster.list(ObjectKeys.namespacePrefix("", "Pod", ns))).allSatisfy(p ->
                assertThat(p.at("/spec/containers/0/image").asText()).isEqualTo("db:v2"));

        long scaleDown = cluster.admission.client().latestRevision();
        cluster.modify(key, s -> s.with("spec").put("replicas", 0));
        cluster.await(key, s -> s.at("/status/replicas").asInt() == 0, "0 replicas");
        ControllerCluster.waitUntil(() -> cluster.list(ObjectKeys.namespacePrefix("", "Pod", ns)).isEmpty(), "every pod gone");
        List<String> terminated = new ArrayList<>();
        for (ObjectEvent e : podEvents(cluster, ns, scaleDown)) {
            if (e.getType() != EventType.ADDED && Json.isTerminating(Json.parse(e.getObject())) && !terminated.contains(e.getRef().getName())
                    || e.getType() == EventType.DELETED && !terminated.contains(e.getRef().getName())) {
                terminated.add(e.getRef().getName());
            }
        }
        assertThat(terminated).containsExactly("db-2", "db-1", "db-0");
    }

    private static List<ObjectEvent> podEvents(ControllerCluster cluster, String ns, long after) {
        return cluster.admission.readAllEvents().stream().filter(e -> e.getRevision() > after && "Pod".equals(e.getRef().getKind())
                && ns.equals(e.getRef().getNamespace())).toList();
    }
}
