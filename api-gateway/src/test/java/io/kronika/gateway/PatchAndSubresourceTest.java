package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three patch formats (with conflict retries), and the status, scale, binding and eviction subresources. */
@ExtendWith(SharedClusterExtension.class)
class PatchAndSubresourceTest {
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static RawHttp http;
    private static String ns;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("patch");
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", "x").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox:1").endContainer()
                .addNewContainer().withName("side").withImage("busybox:1").endContainer().endSpec().build();
    }

    @Test
    void jsonPatch() {
        client.resource(pod("json")).create();
        Pod patched = client.pods().inNamespace(ns).withName("json").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"json\"},"
                        + "{\"op\":\"replace\",\"path\":\"/spec/containers/1/image\",\"value\":\"busybox:2\"}]");
        assertThat(patched.getMetadata().getLabels()).containsEntry("patched", "json").containsEntry("app", "x");
        assertThat(patched.getSpec().getContainers().get(1).getImage()).isEqualTo("busybox:2");
    }

    @Test
    void mergePatch() {
        client.resource(pod("merge")).create();
        Pod patched = client.pods().inNamespace(ns).withName("merge").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"app\":null,\"patched\":\"merge\"}}}");
        assertThat(patched.getMetadata().getLabels()).containsExactly(Map.entry("patched", "merge"));
        assertThat(patched.getSpec().getContainers()).hasSize(2);
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        client.resource(pod("smp")).create();
        Pod patched = client.pods().inNamespace(ns).withName("smp").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox:3\"}]}}");
        assertThat(patched.getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("main=busybox:1", "side=busybox:3");
    }

    @Test
    void concurrentPatchesAreRetriedOnConflictAndAllApply() {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("contended").withNamespace(ns).endMetadata().build()).create();
        List<CompletableFuture<?>> patches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "k" + i;
            patches.add(CompletableFuture.runAsync(() -> client.configMaps().inNamespace(ns).withName("contended")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"" + key + "\":\"v\"}}")));
        }
        patches.forEach(CompletableFuture::join);
        assertThat(client.configMaps().inNamespace(ns).withName("contended").get().getData()).hasSize(12);
    }

    @Test
    void aPatchCarryingAStaleResourceVersionIsAConflict() {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("pinned").withNamespace(ns).endMetadata().build()).create();
        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).withName("pinned").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"a\":\"b\"}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void statusChangesOnlyThroughTheStatusSubresource() {
        Pod created = client.resource(pod("status")).create();
        assertThat(created.getStatus().getPhase()).isEqualTo("Pending");

        Pod withStatus = new PodBuilder(created).editStatus().withPhase("Running").withPodIP("10.1.2.3").endStatus().build();
        Pod afterMain = client.resource(withStatus).update();
        assertThat(afterMain.getStatus().getPhase()).isEqualTo("Pending");

        Pod current = client.pods().inNamespace(ns).withName("status").get();
        current.getStatus().setPhase("Running");
        current.getMetadata().getLabels().put("ignored", "by-status");
        current.getSpec().getContainers().get(0).setImage("ignored:1");
        Pod afterStatus = client.resource(current).updateStatus();
        assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
        assertThat(afterStatus.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1");

        Pod patched = client.pods().inNamespace(ns).withName("status").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Succeeded\"}}");
        assertThat(patched.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(http.get("/api/v1/namespaces/" + ns + "/pods/status/status").json().path("status").path("phase").asText())
                .isEqualTo("Succeeded");
    }

    @Test
    void scaleOfDeploymentsReplicaSetsStatefulSetsAndReplicationControllers() {
        Map<String, String> labels = Map.of("app", "scaled");
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec();
        Deployment deployment = client.resource(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels).addNewMatchExpression().withKey("tier")
                .withOperator("In").withValues("b", "a").endMatchExpression().endSelector()
                .withTemplate(template.editMetadata().addToLabels("tier", "a").endMetadata().build()).endSpec().build()).create();
        client.resource(new ReplicaSetBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector().withTemplate(template.build())
                .endSpec().build()).create();
        client.resource(new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(1).withServiceName("web").withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(template.build()).endSpec().build()).create();
        client.resource(new ReplicationControllerBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(1).withSelector(labels).withTemplate(template.build()).endSpec().build()).create();

        Scale scale = client.apps().deployments().inNamespace(ns).withName("web").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=scaled,tier in (a,b)");
        assertThat(scale.getMetadata().getResourceVersion()).isEqualTo(deployment.getMetadata().getResourceVersion());

        client.apps().deployments().inNamespace(ns).withName("web").scale(5);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(5);
        client.apps().replicaSets().inNamespace(ns).withName("web").scale(3);
        assertThat(client.apps().replicaSets().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(3);
        client.apps().statefulSets().inNamespace(ns).withName("web").scale(4);
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(4);
        client.replicationControllers().inNamespace(ns).withName("web").scale(6);
        assertThat(client.replicationControllers().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(6);
        assertThat(client.replicationControllers().inNamespace(ns).withName("web").scale().getStatus().getSelector()).isEqualTo("app=scaled");

        RawHttp.Response patched = http.send("PATCH", "/apis/apps/v1/namespaces/" + ns + "/deployments/web/scale",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":7}}");
        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.json().path("kind").asText()).isEqualTo("Scale");
        assertThat(patched.json().path("apiVersion").asText()).isEqualTo("autoscaling/v1");
        assertThat(patched.json().path("spec").path("replicas").asInt()).isEqualTo(7);
        RawHttp.Response negative = http.send("PUT", "/apis/apps/v1/namespaces/" + ns + "/deployments/web/scale",
                "application/json", "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":-1}}");
        assertThat(negative.code()).isEqualTo(422);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(7);
        assertThat(http.get("/apis/apps/v1/namespaces/" + ns + "/daemonsets/x/scale").code()).isEqualTo(404);
    }

    @Test
    void bindingAssignsAPodOnceAndEvictionDeletesIt() {
        client.resource(pod("bound")).create();
        client.bindings().inNamespace(ns).resource(new BindingBuilder().withNewMetadata().withName("bound").endMetadata()
                .withNewTarget().withKind("Node").withName("node-1").endTarget().build()).create();
        Pod bound = client.pods().inNamespace(ns).withName("bound").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });

        RawHttp.Response again = http.send("POST", "/api/v1/namespaces/" + ns + "/pods/bound/binding", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bound\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-2\"}}");
        assertThat(again.code()).isEqualTo(409);
        client.resource(pod("bound-2")).create();
        RawHttp.Response sub = http.send("POST", "/api/v1/namespaces/" + ns + "/pods/bound-2/binding", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bound-2\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-2\"}}");
        assertThat(sub.code()).isEqualTo(201);
        JsonNode status = sub.json();
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Success");

        assertThat(client.pods().inNamespace(ns).withName("bound").evict()).isTrue();
        // A bound pod is deleted gracefully: it terminates until its kubelet confirms.
        assertThat(client.pods().inNamespace(ns).withName("bound").get().getMetadata().getDeletionTimestamp()).isNotNull();
    }
}
