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
}
