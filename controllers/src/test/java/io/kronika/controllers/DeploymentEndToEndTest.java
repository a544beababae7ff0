package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.apps.DeploymentController;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Deployment of 10 sim pods: available, rolled out to a new image within its bounds (checked on every revision of the log), undone. */
class DeploymentEndToEndTest {
    @Test
    void rollsOutWithinSurgeAndUnavailabilityAtEveryRevisionAndRollsBack() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("deploy");
        String key = ObjectKeys.of("apps", "Deployment", ns, "web");
        cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("web", 10, "web:v1",
                "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":3,\"maxUnavailable\":2}}"));
        cluster.await(key, d -> complete(d, 10) && Json.conditionTrue(d, "Available"), "10 available replicas");
        long rolloutStart = cluster.admission.client().latestRevision();

        cluster.modify(key, d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "web:v2"));
        ObjectNode rolled = cluster.await(key, d -> complete(d, 10) && "2".equals(Json.annotations(d).get(DeploymentController.REVISION)),
                "the rollout to web:v2");
        assertThat(Json.text(Json.condition(rolled, "Progressing"), "reason")).isEqualTo("NewReplicaSetAvailable");
        List<ObjectNode> pods = activePods(cluster, ns);
        assertThat(pods).hasSize(10).allSatisfy(p -> assertThat(p.at("/spec/containers/0/image").asText()).isEqualTo("web:v2"));
        List<ObjectNode> replicaSets = cluster.list(ObjectKeys.namespacePrefix("apps", "ReplicaSet", ns));
        assertThat(replicaSets).hasSize(2);
        assertThat(replicaSets).extracting(rs -> Json.annotations(rs).get(DeploymentController.REVISION)).containsExactlyInAnyOrder("1", "2");

        checkBoundsFromTheLog(cluster, ns, rolloutStart, 10, 3, 2);

        // rollout undo: back to the previous template, which becomes revision 3
        cluster.modify(key, d -> Json.metadata(d).with("annotations").put(DeploymentController.ROLLBACK_TO, "0"));
        ObjectNode undone = cluster.await(key, d -> complete(d, 10) && "3".equals(Json.annotations(d).get(DeploymentController.REVISION)),
                "the rollback to revision 1's template");
        assertThat(undone.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("web:v1");
        assertThat(Json.annotations(undone)).doesNotContainKey(DeploymentController.ROLLBACK_TO);
        ControllerCluster.waitUntil(() -> activePods(cluster, ns).size() == 10 && activePods(cluster, ns).stream()
                .allMatch(p -> p.at("/spec/containers/0/image").asText().equals("web:v1")), "10 web:v1 pods");
        assertThat(cluster.list(ObjectKeys.namespacePrefix("apps", "ReplicaSet", ns))).hasSize(2);
    }

    @Test
    void recreateScalesTheOldPodsAwayBeforeTheNewOnesStart() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("recreate");
        String key = ObjectKeys.of("apps", "Deployment", ns, "db");
        cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("db", 3, "db:v1", "\"strategy\":{\"type\":\"Recreate\"}"));
        cluster.await(key, d -> complete(d, 3), "3 available replicas");
        long start = cluster.admission.client().latestRevision();
        cluster.modify(key, d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "db:v2"));
        cluster.await(key, d -> complete(d, 3) && "2".equals(Json.annotations(d).get(DeploymentController.REVISION)), "the recreate");
        // at no revision do pods of both templates exist
        Map<String, ObjectNode> pods = new HashMap<>();
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (e.getRevision() <= start || !isPodIn(e, ns)) {
                continue;
            }
            apply(pods, e);
            long v1 = pods.values().stream().filter(p -> p.at("/spec/containers/0/image").asText().equals("db:v1")).count();
            long v2 = pods.values().stream().filter(p -> p.at("/spec/containers/0/image").asText().equals("db:v2")).count();
            assertThat(v1 == 0 || v2 == 0).as("old and new pods together at revision %d", e.getRevision()).isTrue();
        }
    }

    @Test
    void scalingAStuckRolloutSpreadsTheChangeOverBothReplicaSetsInProportion() throws Exception {
        // Kubernetes' documented example: 10 replicas (maxSurge 3, maxUnavailable 2) stuck rolling out an image that
        // never pulls, at 8 old and 5 new; scaled to 15, the 5 more go 3 to the old and 2 to the new ReplicaSet
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("proportional");
        String key = ObjectKeys.of("apps", "Deployment", ns, "web");
        cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("web", 10, "web:v1",
                "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":3,\"maxUnavailable\":2}}"));
        cluster.await(key, d -> complete(d, 10), "10 available replicas");
        cluster.modify(key, d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "registry.invalid/web:v2"));
        ControllerCluster.waitUntil(() -> replicaSetSizes(cluster, ns).equals(Map.of("web:v1", 8, "registry.invalid/web:v2", 5)),
                "the rollout stuck at 8 old and 5 new", () -> replicaSetSizes(cluster, ns).toString());
        long scaled = cluster.modify(key, d -> d.with("spec").put("replicas", 15)).getRevision();
        ControllerCluster.waitUntil(() -> replicaSetSizes(cluster, ns).equals(Map.of("web:v1", 11, "registry.invalid/web:v2", 7)),
                "11 old and 7 new", () -> replicaSetSizes(cluster, ns).toString());
        // from the log: each ReplicaSet went straight to its share, no rollout step in between
        Map<String, List<Integer>> sizesSeen = new HashMap<>();
        sizesSeen.put("web:v1", new ArrayList<>(List.of(8)));
        sizesSeen.put("registry.invalid/web:v2", new ArrayList<>(List.of(5)));
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (e.getRevision() > scaled && "ReplicaSet".equals(e.getRef().getKind()) && ns.equals(e.getRef().getNamespace())) {
                ObjectNode rs = Json.parse(e.getObject());
                List<Integer> seen = sizesSeen.get(rs.at("/spec/template/spec/containers/0/image").asText());
                int size = rs.at("/spec/replicas").asInt();
                if (seen.isEmpty() || seen.get(seen.size() - 1) != size) {
                    seen.add(size);
                }
            }
        }
        assertThat(sizesSeen).containsEntry("web:v1", List.of(8, 11)).containsEntry("registry.invalid/web:v2", List.of(5, 7));
        assertThat(cluster.list(ObjectKeys.namespacePrefix("apps", "ReplicaSet", ns)))
                .allSatisfy(rs -> assertThat(Json.annotations(rs)).containsEntry(DeploymentController.DESIRED_REPLICAS, "15")
                        .containsEntry(DeploymentController.MAX_REPLICAS, "18"));
    }

    private static Map<String, Integer> replicaSetSizes(ControllerCluster cluster, String ns) {
        Map<String, Integer> sizes = new HashMap<>();
        for (ObjectNode rs : cluster.list(ObjectKeys.namespacePrefix("apps", "ReplicaSet", ns))) {
            sizes.put(rs.at("/spec/template/spec/containers/0/image").asText(), rs.at("/spec/replicas").asInt());
        }
        return sizes;
    }

    static boolean complete(ObjectNode d, int replicas) {
        return d.path("status").path("observedGeneration").asLong() >= d.path("metadata").path("generation").asLong()
                && d.path("status").path("updatedReplicas").asInt() == replicas
                && d.path("status").path("replicas").asInt() == replicas
                && d.path("status").path("availableReplicas").asInt() == replicas;
    }

    static List<ObjectNode> activePods(ControllerCluster cluster, String ns) {
        return cluster.list(ObjectKeys.namespacePrefix("", "Pod", ns)).stream().filter(Pods::isActive).toList();
    }

    private static boolean isPodIn(ObjectEvent e, String ns) {
        return "Pod".equals(e.getRef().getKind()) && e.getRef().getGroup().isEmpty() && ns.equals(e.getRef().getNamespace());
    }

    private static void apply(Map<String, ObjectNode> pods, ObjectEvent e) {
        if (e.getType() == EventType.DELETED) {
            pods.remove(ObjectKeys.of(e.getRef()));
        } else {
            pods.put(ObjectKeys.of(e.getRef()), Json.parse(e.getObject()));
        }
    }

    /** Folds every event of the log and checks the rollout bounds after each revision from {@code from} on. */
    static void checkBoundsFromTheLog(ControllerCluster cluster, String ns, long from, int replicas, int maxSurge, int maxUnavailable) {
        Map<String, ObjectNode> pods = new HashMap<>();
        int checked = 0;
        int minAvailable = Integer.MAX_VALUE;
        int maxPresent = 0;
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (!isPodIn(e, ns)) {
                continue;
            }
            apply(pods, e);
            if (e.getRevision() <= from) {
                continue;
            }
            int present = 0;
            int available = 0;
            for (ObjectNode p : pods.values()) {
                if (Pods.isActive(p) && Owners.controllerOf(p) != null) {
                    present++;
                    if (Pods.isReady(p)) {
                        available++;
                    }
                }
            }
            minAvailable = Math.min(minAvailable, available);
            maxPresent = Math.max(maxPresent, present);
            assertThat(available).as("available pods at revision %d", e.getRevision()).isGreaterThanOrEqualTo(replicas - maxUnavailable);
            assertThat(present).as("pods present at revision %d", e.getRevision()).isLessThanOrEqualTo(replicas + maxSurge);
            checked++;
        }
        assertThat(checked).as("pod events during the rollout").isGreaterThan(20);
        assertThat(AdmissionFixture.REGISTRY).isNotNull();
        System.out.printf("rollout bounds: %d revisions checked, min available %d, max present %d%n", checked, minAvailable, maxPresent);
    }
}
