package io.kronika.gateway;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Optimistic concurrency, generateName, dry runs, finalizers, delete options and deletecollection. */
@ExtendWith(SharedClusterExtension.class)
class WriteSemanticsTest {
    private static KubernetesClient client;
    private static RawHttp http;
    private static String ns;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("writes");
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().addToData("k", value).build();
    }

    @Test
    void anUpdateWithAStaleResourceVersionGets409() {
        ConfigMap created = client.resource(configMap("stale", "1")).create();
        ConfigMap first = new ConfigMapBuilder(created).addToData("k", "2").build();
        ConfigMap second = new ConfigMapBuilder(created).addToData("k", "3").build();
        client.resource(first).update();

        assertThatThrownBy(() -> client.resource(second).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).contains("configmaps \"stale\"", "the object has been modified");
                    assertThat(e.getStatus().getDetails().getName()).isEqualTo("stale");
                    assertThat(e.getStatus().getDetails().getKind()).isEqualTo("configmaps");
                });
        assertThat(client.configMaps().inNamespace(ns).withName("stale").get().getData()).containsEntry("k", "2");
    }

    @Test
    void creatingAnExistingNameGets409AlreadyExists() {
        client.resource(configMap("twice", "1")).create();
        assertThatThrownBy(() -> client.resource(configMap("twice", "2")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                });
    }

    @Test
    void generateNameGivesEachCreateAFreshName() {
        ConfigMap template = new ConfigMapBuilder().withNewMetadata().withGenerateName("gen-").withNamespace(ns).endMetadata().build();
        ConfigMap a = client.resource(template).create();
        ConfigMap b = client.resource(template).create();
        assertThat(a.getMetadata().getName()).startsWith("gen-").hasSize(9);
        assertThat(b.getMetadata().getName()).startsWith("gen-").isNotEqualTo(a.getMetadata().getName());
        assertThat(a.getMetadata().getGenerateName()).isEqualTo("gen-");
        assertThat(client.configMaps().inNamespace(ns).withName(b.getMetadata().getName()).get()).isNotNull();
    }

    @Test
    void dryRunAnswersWithoutWriting() {
        ConfigMap answer = client.resource(configMap("dry", "1")).dryRun().create();
        assertThat(answer.getMetadata().getUid()).isNotEmpty();
        assertThat(client.configMaps().inNamespace(ns).withName("dry").get()).isNull();

        client.resource(configMap("dry-delete", "1")).create();
        client.configMaps().inNamespace(ns).withName("dry-delete").dryRun().delete();
        assertThat(client.configMaps().inNamespace(ns).withName("dry-delete").get()).isNotNull();
    }

    @Test
    void aFinalizerHoldsTheObjectUntilItIsRemoved() {
        ConfigMap held = new ConfigMapBuilder(configMap("held", "1")).editMetadata().withFinalizers("example.com/hold").endMetadata().build();
        client.resource(held).create();

        client.configMaps().inNamespace(ns).withName("held").delete();
        ConfigMap terminating = client.configMaps().inNamespace(ns).withName("held").get();
        assertThat(terminating).isNotNull();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotEmpty();

        client.configMaps().inNamespace(ns).withName("held").edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers().endMetadata().build());
        assertThat(client.configMaps().inNamespace(ns).withName("held").get()).isNull();
    }

    @Test
    void foregroundAndOrphanDeletionAddTheirFinalizers() {
        client.resource(configMap("fg", "1")).create();
        client.resource(configMap("orphan", "1")).create();
        client.resource(configMap("bg", "1")).create();

        client.configMaps().inNamespace(ns).withName("fg").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        client.configMaps().inNamespace(ns).withName("orphan").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        client.configMaps().inNamespace(ns).withName("bg").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();

        ConfigMap fg = client.configMaps().inNamespace(ns).withName("fg").get();
        assertThat(fg.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        assertThat(fg.getMetadata().getDeletionTimestamp()).isNotEmpty();
        ConfigMap orphan = client.configMaps().inNamespace(ns).withName("orphan").get();
        assertThat(orphan.getMetadata().getFinalizers()).containsExactly("orphan");
        assertThat(orphan.getMetadata().getDeletionTimestamp()).isNotEmpty();
        assertThat(client.configMaps().inNamespace(ns).withName("bg").get()).isNull();
    }

    @Test
    void deletePreconditionsOnUidAndResourceVersion() {
        ConfigMap created = client.resource(configMap("pre", "1")).create();
        RawHttp.Response wrongUid = http.send("DELETE", "/api/v1/namespaces/" + ns + "/configmaps/pre", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"not-the-uid\"}}");
        assertThat(wrongUid.code()).isEqualTo(409);
        assertThat(wrongUid.json().path("message").asText()).contains("Precondition failed: UID in precondition: not-the-uid");

        RawHttp.Response wrongVersion = http.send("DELETE", "/api/v1/namespaces/" + ns + "/configmaps/pre", "application/json",
                "{\"preconditions\":{\"resourceVersion\":\"1\"}}");
        assertThat(wrongVersion.code()).isEqualTo(409);

        RawHttp.Response ok = http.send("DELETE", "/api/v1/namespaces/" + ns + "/configmaps/pre", "application/yaml",
                "kind: DeleteOptions\napiVersion: v1\npreconditions:\n  uid: " + created.getMetadata().getUid()
                        + "\n  resourceVersion: \"" + created.getMetadata().getResourceVersion() + "\"\n");
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.json().path("kind").asText()).isEqualTo("Status");
        assertThat(ok.json().path("status").asText()).isEqualTo("Success");
        assertThat(ok.json().path("details").path("uid").asText()).isEqualTo(created.getMetadata().getUid());
        assertThat(client.configMaps().inNamespace(ns).withName("pre").get()).isNull();
    }

    @Test
    void deleteCollectionDeletesWhatTheSelectorMatches() {
        String own = cluster.newNamespace("delcol");
        for (int i = 0; i < 5; i++) {
            client.resource(new ConfigMapBuilder().withNewMetadata().withName("c" + i).withNamespace(own)
                    .addToLabels("group", i < 3 ? "a" : "b").endMetadata().build()).create();
        }
        List<StatusDetails> deleted = client.configMaps().inNamespace(own).withLabel("group", "a").delete();
        assertThat(deleted).hasSize(3);
        assertThat(client.configMaps().inNamespace(own).list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("c3", "c4");
    }

    @Test
    void gettingAMissingObjectIs404WithDetails() {
        RawHttp.Response missing = http.get("/api/v1/namespaces/" + ns + "/configmaps/nothing-here");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.json().path("reason").asText()).isEqualTo("NotFound");
        assertThat(missing.json().path("message").asText()).isEqualTo("configmaps \"nothing-here\" not found");
        assertThat(missing.json().path("details").path("kind").asText()).isEqualTo("configmaps");
    }
}
