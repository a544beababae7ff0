package io.kronika.controllers;

import io.kronika.controllers.framework.Json;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Deleting a Deployment removes its ReplicaSets and pods (background, foreground), or leaves them (orphan); deleting a namespace empties it. */
class GarbageCollectionEndToEndTest {
    private static String podPrefix(String ns) {
        return ObjectKeys.namespacePrefix("", "Pod", ns);
    }

    private static String rsPrefix(String ns) {
        return ObjectKeys.namespacePrefix("apps", "ReplicaSet", ns);
    }

    private static String startDeployment(ControllerCluster cluster, String ns) throws Exception {
        String key = ObjectKeys.of("apps", "Deployment", ns, "app");
        cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("app", 3, "app:v1", null));
        cluster.await(key, d -> DeploymentEndToEndTest.complete(d, 3), "3 available replicas");
        return key;
    }

    @Test
    void backgroundDeletionRemovesReplicaSetsAndPods() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("gc-bg");
        startDeployment(cluster, ns);
        cluster.delete(ObjectKeys.ref("apps", "Deployment", ns, "app"));
        ControllerCluster.waitUntil(() -> cluster.list(rsPrefix(ns)).isEmpty() && cluster.list(podPrefix(ns)).isEmpty(),
                "the ReplicaSet and pods to be collected");
    }

    @Test
    void foregroundDeletionKeepsTheOwnerUntilItsDependentsAreGone() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("gc-fg");
        String key = startDeployment(cluster, ns);
        cluster.modify(key, d -> Json.metadata(d).withArray("finalizers").add("foregroundDeletion"));
        cluster.delete(ObjectKeys.ref("apps", "Deployment", ns, "app"));
        ControllerCluster.waitUntil(() -> cluster.get(key).isEmpty(), "the deployment to go");
        assertThat(cluster.list(rsPrefix(ns))).isEmpty();
        assertThat(cluster.list(podPrefix(ns))).isEmpty();
        // from the log: the deployment waited, terminating, and was deleted after its ReplicaSet and every pod
        long terminatingAt = -1;
        long deploymentGone = -1;
        long lastDependentGone = -1;
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (!ns.equals(e.getRef().getNamespace())) {
                continue;
            }
            String kind = e.getRef().getKind();
            if ("Deployment".equals(kind)) {
                if (e.getType() == EventType.DELETED) {
                    deploymentGone = e.getRevision();
                } else if (terminatingAt < 0 && Json.isTerminating(Json.parse(e.getObject()))) {
                    terminatingAt = e.getRevision();
                }
            } else if (("ReplicaSet".equals(kind) || "Pod".equals(kind)) && e.getType() == EventType.DELETED) {
                lastDependentGone = Math.max(lastDependentGone, e.getRevision());
            }
        }
        assertThat(terminatingAt).isPositive().isLessThan(lastDependentGone);
        assertThat(deploymentGone).isGreaterThan(lastDependentGone);
    }

    @Test
    void orphanDeletionLeavesTheReplicaSetWithoutOwner() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("gc-orphan");
        String key = startDeployment(cluster, ns);
        cluster.modify(key, d -> Json.metadata(d).withArray("finalizers").add("orphan"));
        cluster.delete(ObjectKeys.ref("apps", "Deployment", ns, "app"));
        ControllerCluster.waitUntil(() -> cluster.get(key).isEmpty(), "the deployment to go");
        assertThat(cluster.list(rsPrefix(ns))).hasSize(1).allSatisfy(rs -> assertThat(rs.path("metadata").has("ownerReferences")).isFalse());
        assertThat(DeploymentEndToEndTest.activePods(cluster, ns)).hasSize(3);
    }

    @Test
    void deletingANamespaceEmptiesIt() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("ns-delete");
        startDeployment(cluster, ns);
        cluster.create("", "ConfigMap", ns, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"a\":\"b\"}}");
        cluster.delete(ObjectKeys.ref("", "Namespace", "", ns));
        ControllerCluster.waitUntil(() -> cluster.list(podPrefix(ns)).isEmpty() && cluster.list(rsPrefix(ns)).isEmpty()
                        && cluster.get(ObjectKeys.of("", "ConfigMap", ns, "cfg")).isEmpty()
                        && cluster.get(ObjectKeys.of("apps", "Deployment", ns, "app")).isEmpty()
                        && cluster.get(ObjectKeys.of("", "Namespace", "", ns)).isEmpty(),
                "namespace " + ns + " to be emptied and gone");
    }
}
