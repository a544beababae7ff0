package io.kronika.gateway.fieldmanager;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.BuiltinResources;
import io.kronika.gateway.catalog.ResourceType;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** managedFields on updates and server-side apply, as structured-merge-diff does them. */
class FieldManagerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ResourceType DEPLOYMENTS = type("deployments");
    private static final ResourceType CONFIG_MAPS = type("configmaps");

    private static ResourceType type(String plural) {
        return BuiltinResources.all().stream().filter(t -> t.plural().equals(plural)).findFirst().orElseThrow();
    }

    private static ObjectNode deployment(int replicas, String image) {
        return Json.object("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ns","labels":{"app":"web"}},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"main","image":"%s","ports":[{"containerPort":80}]}]}}}}""".formatted(replicas, image));
    }

    @Test
    void applyRecordsTheConfigurationsFieldsWithListKeysAndAtomicStructs() {
        ObjectNode applied = FieldManager.apply(DEPLOYMENTS, null, deployment(2, "nginx"), "kubectl", false, "web", NOW);
        ObjectNode entry = (ObjectNode) applied.path("metadata").path("managedFields").get(0);
        assertThat(entry.path("manager").asText()).isEqualTo("kubectl");
        assertThat(entry.path("operation").asText()).isEqualTo("Apply");
        assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(entry.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(entry.path("fieldsV1").toString()).isEqualTo("""
                {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},\
                "f:spec":{"f:containers":{"k:{\\"name\\":\\"main\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{\
                "k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}}""");
    }

    @Test
    void anotherManagersChangeConflictsUnlessForcedAndSharedValuesDoNot() {
        ObjectNode live = FieldManager.apply(DEPLOYMENTS, null, deployment(2, "nginx"), "kubectl", false, "web", NOW);
        assertThatThrownBy(() -> FieldManager.apply(DEPLOYMENTS, live, deployment(3, "nginx"), "ops", false, "web", NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
                    assertThat(e.causes()).singleElement().satisfies(c -> {
                        assertThat(c.type()).isEqualTo("FieldManagerConflict");
                        assertThat(c.field()).isEqualTo(".spec.replicas");
                    });
                });
        ObjectNode shared = FieldManager.apply(DEPLOYMENTS, live, deployment(2, "nginx"), "ops", false, "web", NOW);
        assertThat(shared.path("metadata").path("managedFields")).hasSize(2);
        ObjectNode forced = FieldManager.apply(DEPLOYMENTS, shared, deployment(3, "nginx"), "ops", true, "web", NOW);
        assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(forced.path("metadata").path("managedFields").get(0).path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
    }

    @Test
    void fieldsNoLongerAppliedAreRemovedUnlessSomeoneElseOwnsThem() {
        ObjectNode live = FieldManager.apply(CONFIG_MAPS, null, Json.object("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"ns"},"data":{"a":"1","b":"2","c":"3"}}"""),
                "one", false, "c", NOW);
        live = FieldManager.apply(CONFIG_MAPS, live, Json.object("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"c":"3"}}"""), "two", false, "c", NOW);
        ObjectNode after = FieldManager.apply(CONFIG_MAPS, live, Json.object("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "one", false, "c", NOW);
        assertThat(after.path("data").toString()).isEqualTo("{\"a\":\"1\",\"c\":\"3\"}");
    }

    @Test
    void updatesTakeTheFieldsTheyChangeFromEveryone() {
        ObjectNode live = FieldManager.apply(DEPLOYMENTS, null, deployment(2, "nginx"), "kubectl", false, "web", NOW);
        ObjectNode updated = live.deepCopy();
        ((ObjectNode) updated.path("spec")).put("replicas", 5);
        FieldManager.recordUpdate(DEPLOYMENTS, "scale", live, updated, "kubectl-scale", NOW);
        assertThat(updated.path("metadata").path("managedFields")).hasSize(2);
        ObjectNode scaler = (ObjectNode) updated.path("metadata").path("managedFields").get(1);
        assertThat(scaler.path("manager").asText()).isEqualTo("kubectl-scale");
        assertThat(scaler.path("operation").asText()).isEqualTo("Update");
        assertThat(scaler.path("subresource").asText()).isEqualTo("scale");
        assertThat(scaler.path("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(updated.path("metadata").path("managedFields").get(0).path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
        assertThatThrownBy(() -> FieldManager.apply(DEPLOYMENTS, updated, deployment(2, "nginx"), "kubectl", false, "web", NOW))
                .hasMessageContaining("conflict with \"kubectl-scale\" using apps/v1: .spec.replicas");
    }

    @Test
    void kubectlMayTakeOverWhatItsLastAppliedConfigurationStillHolds() {
        ObjectNode live = deployment(2, "nginx");
        Json.metadata(live).putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration", Json.write(deployment(2, "nginx")));
        FieldManager.recordUpdate(DEPLOYMENTS, null, null, live, "kubectl-client-side-apply", NOW);
        ObjectNode applied = FieldManager.apply(DEPLOYMENTS, live, deployment(3, "nginx"), "kubectl", false, "web", NOW);
        assertThat(applied.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(applied.path("metadata").path("annotations").path("kubectl.kubernetes.io/last-applied-configuration").asText())
                .contains("\"replicas\":3");
        assertThatThrownBy(() -> FieldManager.apply(DEPLOYMENTS, live, deployment(3, "nginx"), "someone", false, "web", NOW))
                .hasMessageContaining("conflict with \"kubectl-client-side-apply\"");
    }
}
