package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Label and field selectors, lists across namespaces, and paging over one snapshot while writes go on. */
@ExtendWith(SharedClusterExtension.class)
class ListSelectorsAndPagingTest {
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static RawHttp http;
    private static String ns;
    private static String other;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("select");
        other = cluster.newNamespace("select-other");
        label("a", Map.of("app", "web", "tier", "front"));
        label("b", Map.of("app", "web", "tier", "back"));
        label("c", Map.of("app", "db"));
        label("d", Map.of());
        pod(ns, "p1", "node-1", "Running");
        pod(ns, "p2", "node-2", "Pending");
        pod(other, "p3", "node-1", "Running");
        pod(other, "p4", null, null);
    }

    private static void label(String name, Map<String, String> labels) {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata().build()).create();
    }

    private static void pod(String namespace, String name, String node, String phase) {
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels("sel", "pods")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
        if (node != null) {
            client.pods().inNamespace(namespace).withName(name).edit(p -> new PodBuilder(p).editSpec().withNodeName(node).endSpec().build());
        }
        if (phase != null) {
            Pod current = client.pods().inNamespace(namespace).withName(name).get();
            current.getStatus().setPhase(phase);
            client.resource(current).updateStatus();
        }
    }

    private static List<String> names(String labelSelector) {
        ConfigMapList list = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLabelSelector(labelSelector).build());
        return list.getItems().stream().map(c -> c.getMetadata().getName()).toList();
    }

    @Test
    void labelSelectorsOfEveryOperator() {
        assertThat(names("app=web")).containsExactly("a", "b");
        assertThat(names("app==web")).containsExactly("a", "b");
        assertThat(names("app!=web")).containsExactly("c", "d");
        assertThat(names("app in (db, web),tier")).containsExactly("a", "b");
        assertThat(names("tier notin (front)")).containsExactly("b", "c", "d");
        assertThat(names("app")).containsExactly("a", "b", "c");
        assertThat(names("!app")).containsExactly("d");
        assertThat(names("app=web,tier=back")).containsExactly("b");
        assertThat(client.configMaps().inNamespace(ns).withLabel("app", "db").list().getItems()).hasSize(1);
    }

    @Test
    void aBadLabelSelectorIs400() {
        RawHttp.Response bad = http.get("/api/v1/namespaces/" + ns + "/configmaps?labelSelector=" + encode("app in (web"));
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.json().path("reason").asText()).isEqualTo("BadRequest");
    }

    @Test
    void fieldSelectorsOnNameNamespaceNodeAndPhase() {
        assertThat(client.configMaps().inNamespace(ns).withField("metadata.name", "b").list().getItems())
                .extracting(c -> c.getMetadata().getName()).containsExactly("b");
        assertThat(client.configMaps().inNamespace(ns).withoutField("metadata.name", "b").list().getItems()).hasSize(3);
        assertThat(podNames(client.pods().inAnyNamespace().withField("spec.nodeName", "node-1").list().getItems()))
                .containsExactlyInAnyOrder("p1", "p3");
        assertThat(podNames(client.pods().inAnyNamespace().withField("spec.nodeName", "").withLabel("sel", "pods").list().getItems()))
                .containsExactly("p4");
        assertThat(podNames(client.pods().inAnyNamespace().withField("status.phase", "Running").list().getItems()))
                .containsExactlyInAnyOrder("p1", "p3");
        assertThat(podNames(client.pods().inAnyNamespace().withField("metadata.namespace", other).list().getItems()))
                .containsExactlyInAnyOrder("p3", "p4");
        RawHttp.Response unsupported = http.get("/api/v1/namespaces/" + ns + "/configmaps?fieldSelector=" + encode("data.k=v"));
        assertThat(unsupported.code()).isEqualTo(400);
        assertThat(unsupported.json().path("message").asText()).contains("field label not supported: data.k");
    }

    @Test
    void podsAcrossNamespaces() {
        JsonNode all = http.get("/api/v1/pods?labelSelector=sel%3Dpods").json();
        assertThat(all.path("kind").asText()).isEqualTo("PodList");
        assertThat(all.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(all.path("metadata").path("resourceVersion").asText()).isNotEmpty();
        List<String> names = new ArrayList<>();
        all.path("items").forEach(i -> names.add(i.path("metadata").path("namespace").asText() + "/" + i.path("metadata").path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder(ns + "/p1", ns + "/p2", other + "/p3", other + "/p4");
        assertThat(all.path("items").get(0).path("kind").asText()).isEqualTo("Pod");
    }

    /** Names of this test's pods (other tests' pods, e.g. terminating bound ones, may share nodes and phases). */
    private static List<String> podNames(List<Pod> pods) {
        return pods.stream().filter(p -> List.of(ns, other).contains(p.getMetadata().getNamespace()))
                .map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void pagesOfOneListComeFromOneSnapshotWhileWritesGoOn() throws Exception {
        String paged = cluster.newNamespace("paged");
        List<CompletableFuture<ConfigMap>> creates = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(String.format("item-%03d", i)).withNamespace(paged).endMetadata()
                    .addToData("v", "0").build();
            creates.add(CompletableFuture.supplyAsync(() -> client.resource(cm).create()));
        }
        creates.forEach(CompletableFuture::join);

        ConfigMapList first = client.configMaps().inNamespace(paged).list(new ListOptionsBuilder().withLimit(7L).build());
        String snapshot = first.getMetadata().getResourceVersion();
        assertThat(first.getItems()).hasSize(7);
        assertThat(first.getMetadata().getContinue()).isNotEmpty();

        // Writers change, add and delete objects while the pages are read.
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int n = 0;
            while (writing.get() && n < 30) {
                client.configMaps().inNamespace(paged).withName(String.format("item-%03d", n))
                        .edit(c -> new ConfigMapBuilder(c).addToData("v", "changed").build());
                client.resource(new ConfigMapBuilder().withNewMetadata().withName("late-" + n).withNamespace(paged).endMetadata().build()).create();
                client.configMaps().inNamespace(paged).withName(String.format("item-%03d", 49 - n)).delete();
                n++;
            }
        });

        List<ConfigMap> all = new ArrayList<>(first.getItems());
        String next = first.getMetadata().getContinue();
        while (next != null && !next.isEmpty()) {
            ConfigMapList page = client.configMaps().inNamespace(paged).list(new ListOptionsBuilder().withLimit(7L).withContinue(next).build());
            assertThat(page.getMetadata().getResourceVersion()).isEqualTo(snapshot);
            all.addAll(page.getItems());
            next = page.getMetadata().getContinue();
        }
        writing.set(false);
        writer.join();

        assertThat(all).hasSize(50);
        assertThat(all).extracting(c -> c.getMetadata().getName()).doesNotHaveDuplicates().allMatch(n -> n.startsWith("item-"));
        assertThat(all).allSatisfy(c -> {
            assertThat(c.getData()).containsEntry("v", "0");
            assertThat(Long.parseLong(c.getMetadata().getResourceVersion())).isLessThanOrEqualTo(Long.parseLong(snapshot));
        });
        assertThat(all).extracting(c -> c.getMetadata().getName()).isSorted();
    }

    @Test
    void anExactResourceVersionListsThePast() {
        String past = cluster.newNamespace("past");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("one").withNamespace(past).endMetadata().build()).create();
        String before = client.configMaps().inNamespace(past).list().getMetadata().getResourceVersion();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("two").withNamespace(past).endMetadata().build()).create();

        JsonNode then = http.get("/api/v1/namespaces/" + past + "/configmaps?resourceVersion=" + before + "&resourceVersionMatch=Exact").json();
        assertThat(then.path("metadata").path("resourceVersion").asText()).isEqualTo(before);
        assertThat(then.path("items")).hasSize(1);
        JsonNode now = http.get("/api/v1/namespaces/" + past + "/configmaps?resourceVersion=" + before + "&resourceVersionMatch=NotOlderThan").json();
        assertThat(now.path("items")).hasSize(2);
        RawHttp.Response forbidden = http.get("/api/v1/namespaces/" + past + "/configmaps?resourceVersionMatch=Exact");
        assertThat(forbidden.code()).isEqualTo(422);
        RawHttp.Response badToken = http.get("/api/v1/namespaces/" + past + "/configmaps?continue=garbage");
        assertThat(badToken.code()).isEqualTo(400);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
