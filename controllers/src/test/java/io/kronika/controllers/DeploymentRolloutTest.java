package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.apps.DeploymentController;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.kronika.controllers.testing.Objects.cached;
import static io.kronika.controllers.testing.Objects.ownerRef;
import static org.assertj.core.api.Assertions.assertThat;

/** The Deployment reconcile on rollback through a Go client and on scaling in the middle of a rollout. */
class DeploymentRolloutTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final String LABELS = "{\"app\":\"web\"}";

    private static <T> List<T> of(Reconciled r, Class<T> type) {
        return r.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static CachedObject deployment(int replicas, String templateJson, String annotations, String rollingUpdate) {
        return cached("apps", "Deployment", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"ns\",\"uid\":\"d-uid\",\"generation\":3,\"annotations\":" + annotations + "},"
                + "\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":" + LABELS + "},"
                + "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":" + rollingUpdate + "},"
                + "\"template\":" + templateJson + "}}");
    }

    private static String template(String image) {
        return "{\"metadata\":{\"labels\":" + LABELS + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}";
    }

    private static CachedObject replicaSet(String image, int replicas, int revision, String extraAnnotations) {
        ObjectNode template = Json.parse(template(image));
        String hash = DeploymentController.templateHash(template, 0);
        template.with("metadata").with("labels").put(DeploymentController.HASH_LABEL, hash);
        return cached("apps", "ReplicaSet", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"web-" + hash
                + "\",\"namespace\":\"ns\",\"uid\":\"rs-" + image + "\",\"creationTimestamp\":\"2026-01-01T00:0" + revision + ":00Z\","
                + "\"annotations\":{\"deployment.kubernetes.io/revision\":\"" + revision + "\"" + extraAnnotations + "},"
                + "\"ownerReferences\":[" + ownerRef("apps/v1", "Deployment", "web", "d-uid") + "]},"
                + "\"spec\":{\"replicas\":" + replicas + ",\"template\":" + Json.write(template) + "}}");
    }

    @Test
    void rollbackThroughKubectlReusesTheOldReplicaSetDespiteGoZeroValues() {
        // kubectl rollout undo writes the revision-1 ReplicaSet's template back as Go marshals it: a null
        // creationTimestamp and empty resources the stored ReplicaSet does not have
        String fromKubectl = "{\"metadata\":{\"creationTimestamp\":null,\"labels\":" + LABELS + "},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"v1\",\"resources\":{}}]}}";
        CachedObject d = deployment(2, fromKubectl, "{\"deployment.kubernetes.io/revision\":\"2\"}", "{\"maxSurge\":1,\"maxUnavailable\":0}");
        CachedObject v1 = replicaSet("v1", 0, 1, "");
        CachedObject v2 = replicaSet("v2", 2, 2, "");
        Reconciled r = DeploymentController.sync(d, List.of(v1, v2), Map.of(), NOW);
        assertThat(of(r, Action.Create.class)).isEmpty();
        assertThat(of(r, Action.Update.class)).filteredOn(u -> u.target().getKind().equals("ReplicaSet")).singleElement()
                .satisfies(u -> {
                    assertThat(u.target().getName()).isEqualTo(v1.name());
                    assertThat(Json.annotations(u.object())).containsEntry(DeploymentController.REVISION, "3")
                            .containsEntry(DeploymentController.REVISION_HISTORY, "1");
                });
        assertThat(DeploymentController.templateHash(Json.parse(fromKubectl), 0))
                .isEqualTo(DeploymentController.templateHash(Json.parse(template("v1")), 0));
    }

    /** The sizes the reconcile gives ReplicaSets, by the image of their template. */
    private static Map<String, Integer> sizes(Reconciled r) {
        Map<String, Integer> sizes = new TreeMap<>();
        for (Action.Update u : of(r, Action.Update.class)) {
            if (u.target().getKind().equals("ReplicaSet")) {
                sizes.put(u.object().at("/spec/template/spec/containers/0/image").asText(), u.object().at("/spec/replicas").asInt());
            }
        }
        return sizes;
    }

    @Test
    void scalingInTheMiddleOfARolloutSpreadsTheChangeInProportionToEachReplicaSet() {
        // Kubernetes' documented example: 10 replicas, maxSurge 3, a rollout stuck with 8 old and 5 new; scaled to 15
        String sizedFor10 = ",\"deployment.kubernetes.io/desired-replicas\":\"10\",\"deployment.kubernetes.io/max-replicas\":\"13\"";
        String surge = "{\"maxSurge\":3,\"maxUnavailable\":2}";
        CachedObject old = replicaSet("v1", 8, 1, sizedFor10);
        CachedObject fresh = replicaSet("v2", 5, 2, sizedFor10);
        CachedObject d15 = deployment(15, template("v2"), "{\"deployment.kubernetes.io/revision\":\"2\"}", surge);
        Reconciled up = DeploymentController.sync(d15, List.of(old, fresh), Map.of(), NOW);
        assertThat(sizes(up)).containsExactlyInAnyOrderEntriesOf(Map.of("v1", 11, "v2", 7));
        assertThat(of(up, Action.Update.class)).filteredOn(u -> u.target().getKind().equals("ReplicaSet"))
                .allSatisfy(u -> assertThat(Json.annotations(u.object())).containsEntry(DeploymentController.DESIRED_REPLICAS, "15")
                        .containsEntry(DeploymentController.MAX_REPLICAS, "18"));
        assertThat(of(up, Action.Create.class)).isEmpty();

        // and back down to 5: 18 → 8 in all, the larger old ReplicaSet giving up the most
        String sizedFor15 = ",\"deployment.kubernetes.io/desired-replicas\":\"15\",\"deployment.kubernetes.io/max-replicas\":\"18\"";
        CachedObject d5 = deployment(5, template("v2"), "{\"deployment.kubernetes.io/revision\":\"2\"}", surge);
        Reconciled down = DeploymentController.sync(d5, List.of(replicaSet("v1", 11, 1, sizedFor15), replicaSet("v2", 7, 2, sizedFor15)),
                Map.of(), NOW);
        assertThat(sizes(down)).containsExactlyInAnyOrderEntriesOf(Map.of("v1", 5, "v2", 3));

        // rounding leftovers go to the largest: 3 + 3 + 1 sized for 10 (max 13), scaled to 20 (max 23): +16
        CachedObject a = replicaSet("a", 3, 1, sizedFor10);
        CachedObject b = replicaSet("b", 3, 2, sizedFor10);
        CachedObject c = replicaSet("c", 1, 3, sizedFor10);
        Reconciled odd = DeploymentController.sync(deployment(20, template("c"), "{\"deployment.kubernetes.io/revision\":\"3\"}", surge),
                List.of(a, b, c), Map.of(), NOW);
        Map<String, Integer> oddSizes = sizes(odd);
        assertThat(oddSizes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(23);
        // 3 × 23/13 = 5.3 → 5 each; 1 × 23/13 = 1.8 → 2; the 11 left over go to the newer of the two largest
        assertThat(oddSizes).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5, "b", 16, "c", 2));
    }

    @Test
    void aSingleActiveReplicaSetTakesTheNewCountAndASaturatedNewOneZeroesTheOld() {
        String sizedFor2 = ",\"deployment.kubernetes.io/desired-replicas\":\"2\",\"deployment.kubernetes.io/max-replicas\":\"3\"";
        String surge = "{\"maxSurge\":1,\"maxUnavailable\":0}";
        CachedObject d = deployment(6, template("v2"), "{\"deployment.kubernetes.io/revision\":\"2\"}", surge);
        Reconciled single = DeploymentController.sync(d, List.of(replicaSet("v1", 0, 1, sizedFor2), replicaSet("v2", 2, 2, sizedFor2)),
                Map.of(), NOW);
        assertThat(sizes(single)).containsExactlyEntriesOf(Map.of("v2", 6));
        // not a scaling event (the active ReplicaSets were sized for these replicas): the rollout goes on as usual
        String sizedFor6 = ",\"deployment.kubernetes.io/desired-replicas\":\"6\",\"deployment.kubernetes.io/max-replicas\":\"7\"";
        Reconciled rollout = DeploymentController.sync(d, List.of(replicaSet("v1", 6, 1, sizedFor6), replicaSet("v2", 0, 2, sizedFor6)),
                Map.of(), NOW);
        assertThat(sizes(rollout)).containsExactlyEntriesOf(Map.of("v2", 1));
    }
}
