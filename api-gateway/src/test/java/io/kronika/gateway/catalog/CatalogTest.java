package io.kronika.gateway.catalog;

import io.kronika.gateway.api.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogTest {
    @Test
    void versionPriorityIsKubernetes() {
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "v2beta1", "foo", "v1", "v1beta2", "v2", "v1beta1", "v10"));
        versions.sort(Versions.BY_PRIORITY);
        assertThat(versions).containsExactly("v10", "v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo");
    }

    @Test
    void aCrdServesItsServedVersions() {
        List<ResourceType> served = CustomResourceDefinitions.servedVersions(Json.object("""
                {"spec":{"group":"example.com","scope":"Cluster","names":{"plural":"things","kind":"Thing","shortNames":["th"]},
                 "versions":[{"name":"v1beta1","served":true,"storage":false,"subresources":{"status":{}}},
                             {"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}},
                              "subresources":{"scale":{"specReplicasPath":".spec.n","statusReplicasPath":".status.n"}}},
                             {"name":"v0","served":false,"storage":false}]}}
                """));
        assertThat(served).extracting(ResourceType::version).containsExactly("v1", "v1beta1");
        ResourceType v1 = served.get(0);
        assertThat(v1.namespaced()).isFalse();
        assertThat(v1.singular()).isEqualTo("thing");
        assertThat(v1.listKind()).isEqualTo("ThingList");
        assertThat(v1.shortNames()).containsExactly("th");
        assertThat(v1.scale().specReplicasPath()).isEqualTo(".spec.n");
        assertThat(v1.statusSubresource()).isFalse();
        assertThat(v1.openApiV3Schema()).isNotNull();
        assertThat(v1.allowUnconditionalUpdate()).isFalse();
        assertThat(served.get(1).statusSubresource()).isTrue();
    }

    @Test
    void builtinNamesAreKubernetes() {
        ResourceType deployments = BuiltinResources.all().stream().filter(t -> t.plural().equals("deployments")).findFirst().orElseThrow();
        assertThat(deployments.qualifiedResource()).isEqualTo("deployments.apps");
        assertThat(deployments.apiVersion()).isEqualTo("apps/v1");
        assertThat(deployments.key("ns", "web")).isEqualTo("apps/Deployment/ns/web");
        ResourceType nodes = BuiltinResources.all().stream().filter(t -> t.plural().equals("nodes")).findFirst().orElseThrow();
        assertThat(nodes.key("ignored", "n1")).isEqualTo("core/Node//n1");
        assertThat(BuiltinResources.all()).extracting(t -> t.group() + "/" + t.plural()).doesNotHaveDuplicates().hasSize(39)
                .contains("authorization.k8s.io/selfsubjectrulesreviews", "authorization.k8s.io/localsubjectaccessreviews",
                        "authentication.k8s.io/selfsubjectreviews");
    }
}
