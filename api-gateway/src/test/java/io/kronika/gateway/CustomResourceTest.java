package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.kronika.gateway.testing.Poll;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A CRD is served as soon as it is created: its custom resources are created, listed, watched, validated. */
@ExtendWith(SharedClusterExtension.class)
class CustomResourceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static RawHttp http;
    private static String ns;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("crs");
    }

    private static CustomResourceDefinition widgets(String group) {
        JSONSchemaProps spec = new JSONSchemaPropsBuilder().withType("object")
                .addToProperties("size", new JSONSchemaPropsBuilder().withType("integer").withMinimum(1.0).withMaximum(10.0).build())
                .addToProperties("color", new JSONSchemaPropsBuilder().withType("string").build())
                .addToProperties("replicas", new JSONSchemaPropsBuilder().withType("integer").build())
                .withRequired("size").build();
        JSONSchemaProps status = new JSONSchemaPropsBuilder().withType("object")
                .addToProperties("ready", new JSONSchemaPropsBuilder().withType("boolean").build())
                .addToProperties("replicas", new JSONSchemaPropsBuilder().withType("integer").build())
                .addToProperties("selector", new JSONSchemaPropsBuilder().withType("string").build()).build();
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withPlural("widgets").withSingular("widget").withKind("Widget").withShortNames("wg")
                .withCategories("all").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").addToProperties("spec", spec)
                .addToProperties("status", status).endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().withNewScale().withSpecReplicasPath(".spec.replicas")
                .withStatusReplicasPath(".status.replicas").withLabelSelectorPath(".status.selector").endScale().endSubresources()
                .endVersion()
                .addNewVersion().withName("v1beta1").withServed(true).withStorage(false)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
    }

    private static GenericKubernetesResource widget(String group, String name, Object size) {
        return new GenericKubernetesResourceBuilder().withApiVersion(group + "/v1").withKind("Widget")
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("size", size, "color", "blue"))).build();
    }

    @Test
    void customResourcesAreServedFromTheMomentTheirDefinitionExists() throws Exception {
        String group = "widgets.example.com";
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().resource(widgets(group)).create();
        assertThat(crd.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Established");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(crd.getStatus().getAcceptedNames().getPlural()).isEqualTo("widgets");

        // discovery
        JsonNode resources = http.get("/apis/" + group + "/v1").json();
        assertThat(resources.path("resources").toString()).contains("\"name\":\"widgets\"", "\"name\":\"widgets/status\"",
                "\"name\":\"widgets/scale\"", "\"kind\":\"Widget\"");
        assertThat(http.get("/apis").body()).contains("\"name\":\"" + group + "\"");

        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> widgets =
                client.genericKubernetesResources(group + "/v1", "Widget");
        List<String> watched = new CopyOnWriteArrayList<>();
        try (Watch watch = widgets.inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                watched.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            GenericKubernetesResource created = widgets.inNamespace(ns).resource(widget(group, "w1", 3)).create();
            assertThat(created.getMetadata().getUid()).isNotEmpty();
            assertThat(created.getApiVersion()).isEqualTo(group + "/v1");
            widgets.inNamespace(ns).resource(widget(group, "w2", 5)).create();

            assertThat(widgets.inNamespace(ns).list().getItems()).extracting(w -> w.getMetadata().getName()).containsExactly("w1", "w2");
            JsonNode list = http.get("/apis/" + group + "/v1/namespaces/" + ns + "/widgets").json();
            assertThat(list.path("kind").asText()).isEqualTo("WidgetList");
            assertThat(list.path("items").get(0).path("kind").asText()).isEqualTo("Widget");
            // the other served version answers with its own apiVersion
            assertThat(http.get("/apis/" + group + "/v1beta1/namespaces/" + ns + "/widgets/w1").json().path("apiVersion").asText())
                    .isEqualTo(group + "/v1beta1");

            widgets.inNamespace(ns).withName("w1").delete();
            Poll.until("watch events", WAIT, () -> watched.size() >= 3);
            assertThat(watched).containsExactly("ADDED w1", "ADDED w2", "DELETED w1");
        }

        // schema violations are refused with 422 naming the field, and never reach the log
        int events = cluster.admission.readAllEvents().size();
        assertThatThrownBy(() -> widgets.inNamespace(ns).resource(widget(group, "too-big", 11)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> assertThat(c.getField()).isEqualTo("spec.size"));
                });
        assertThatThrownBy(() -> widgets.inNamespace(ns).resource(widget(group, "not-a-number", "three")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        GenericKubernetesResource noSize = widget(group, "no-size", 1);
        noSize.setAdditionalProperty("spec", Map.of("color", "red"));
        assertThatThrownBy(() -> widgets.inNamespace(ns).resource(noSize).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(cluster.admission.readAllEvents()).hasSize(events);

        // status and scale subresources
        GenericKubernetesResource w2 = widgets.inNamespace(ns).withName("w2").get();
        w2.setAdditionalProperty("status", Map.of("ready", true, "replicas", 2, "selector", "app=w2"));
        GenericKubernetesResource withStatus = widgets.inNamespace(ns).resource(w2).updateStatus();
        assertThat(withStatus.get("status", "ready").toString()).isEqualTo("true");
        JsonNode scale = http.get("/apis/" + group + "/v1/namespaces/" + ns + "/widgets/w2/scale").json();
        assertThat(scale.path("status").path("replicas").asInt()).isEqualTo(2);
        assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=w2");
        RawHttp.Response scaled = http.send("PATCH", "/apis/" + group + "/v1/namespaces/" + ns + "/widgets/w2/scale",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":4}}");
        assertThat(scaled.code()).isEqualTo(200);
        assertThat(widgets.inNamespace(ns).withName("w2").get().get("spec", "replicas").toString()).isEqualTo("4");

        // an update without resourceVersion is refused for custom resources
        RawHttp.Response unconditional = http.send("PUT", "/apis/" + group + "/v1/namespaces/" + ns + "/widgets/w2", "application/json",
                "{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w2\"},\"spec\":{\"size\":2}}");
        assertThat(unconditional.code()).isEqualTo(422);

        // deleting the CRD stops serving its resources
        client.apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
        assertThat(http.get("/apis/" + group + "/v1/namespaces/" + ns + "/widgets").code()).isEqualTo(404);
        assertThat(http.get("/apis").body()).doesNotContain("\"name\":\"" + group + "\"");
    }

    @Test
    void clusterScopedCustomResourcesWithExplicitContext() {
        String group = "gadgets.example.com";
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata().withName("gadgets." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Cluster")
                .withNewNames().withPlural("gadgets").withKind("Gadget").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion("v1alpha1")
                .withPlural("gadgets").withKind("Gadget").withNamespaced(false).build();
        GenericKubernetesResource gadget = new GenericKubernetesResourceBuilder().withApiVersion(group + "/v1alpha1").withKind("Gadget")
                .withNewMetadata().withName("g1").endMetadata().withAdditionalProperties(Map.of("anything", Map.of("goes", 1))).build();
        client.genericKubernetesResources(context).resource(gadget).create();
        assertThat(client.genericKubernetesResources(context).withName("g1").get().get("anything", "goes").toString()).isEqualTo("1");
        RawHttp.Response misnamed = http.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json",
                "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"wrong\"},"
                        + "\"spec\":{\"group\":\"x.example.com\",\"scope\":\"Cluster\",\"names\":{\"plural\":\"xs\",\"kind\":\"X\"},"
                        + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}}]}}");
        assertThat(misnamed.code()).isEqualTo(422);
    }
}
