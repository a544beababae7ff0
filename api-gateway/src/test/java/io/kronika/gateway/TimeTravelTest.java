package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import io.kronika.gateway.testing.WatchStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kronika.gateway.api.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kronika.gateway.testing.WatchStream.name;
import static io.kronika.gateway.testing.WatchStream.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Time travel through the real gateway, projections and broker: objects are created, changed and deleted while the
 * test records what fabric8 read live at three revisions; afterwards /history/revision/R (and /history/time/T) must
 * answer exactly that, for gets, lists with selectors and paging, tables, events of an object, discovery of a CRD
 * that did not exist yet, and watches that start in the past. Writes there are refused with 405.
 */
@ExtendWith(SharedClusterExtension.class)
class TimeTravelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static RawHttp http;
    private static String ns;
    private static final List<KubernetesClient> pastClients = new ArrayList<>();

    /** What fabric8 read live at one revision. */
    record Moment(long revision, Instant after, List<ConfigMap> configMaps, List<Pod> pods, List<String> eventsOfWeb) {
    }

    private static Moment first;
    private static Moment second;
    private static Moment third;
    private static String crdGroup;

    @BeforeAll
    static void scenario() {
        cluster = TestCluster.shared();
        client = cluster.client();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("past");

        configMap("a", "1", "front");
        long r1 = revision(client.resource(new PodBuilder().withNewMetadata().withName("web").withNamespace(ns).addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec().build()).create());
        first = capture(r1);

        configMap("a", "2", "back");
        configMap("b", "1", "front");
        client.resource(new EventBuilder().withNewMetadata().withName("web.1").withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("web").withNamespace(ns).withApiVersion("v1").endInvolvedObject()
                .withReason("Pulled").withMessage("pulled nginx:1").withType("Normal").build()).create();
        crdGroup = "past" + System.nanoTime() + ".example.com";
        client.resource(new CustomResourceDefinitionBuilder().withNewMetadata().withName("gadgets." + crdGroup).endMetadata()
                .withNewSpec().withGroup(crdGroup).withScope("Namespaced")
                .withNewNames().withPlural("gadgets").withSingular("gadget").withKind("Gadget").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema().withNewOpenAPIV3Schema()
                .withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
        long r2 = revision(client.pods().inNamespace(ns).withName("web")
                .edit(p -> new PodBuilder(p).editSpec().editFirstContainer().withImage("nginx:2").endContainer().endSpec().build()));
        second = capture(r2);

        client.configMaps().inNamespace(ns).withName("a").delete();
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(ns).withName("a").get() == null);
        long r3 = revision(client.pods().inNamespace(ns).withName("web")
                .edit(p -> new PodBuilder(p).editMetadata().addToLabels("tier", "edge").endMetadata().build()));
        third = capture(r3);
    }

    @AfterAll
    static void closeClients() {
        pastClients.forEach(KubernetesClient::close);
    }

    private static void configMap(String name, String value, String tier) {
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("tier", tier).endMetadata()
                .withData(Map.of("v", value)).build();
        if (client.configMaps().inNamespace(ns).withName(name).get() == null) {
            client.resource(map).create();
        } else {
            client.resource(map).update();
        }
    }

    private static long revision(HasMetadata object) {
        return Long.parseLong(object.getMetadata().getResourceVersion());
    }

    /**
     * The live state of the namespace right after {@code revision}; the next write happens after {@code after}, a
     * moment strictly later (by the millisecond) than this one's event.
     */
    private static Moment capture(long revision) {
        Moment moment = new Moment(revision, Instant.now(), client.configMaps().inNamespace(ns).list().getItems(),
                client.pods().inNamespace(ns).list().getItems(), eventsOf(client, "web"));
        await().atMost(WAIT).until(() -> Instant.now().toEpochMilli() > moment.after().toEpochMilli());
        return moment;
    }

    private static List<String> eventsOf(KubernetesClient at, String pod) {
        return at.v1().events().inNamespace(ns).withField("involvedObject.name", pod).list().getItems().stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static KubernetesClient at(String path) {
        KubernetesClient past = TestCluster.client(cluster.gateway.url() + path);
        pastClients.add(past);
        return past;
    }

    private static KubernetesClient atRevision(long revision) {
        return at("/history/revision/" + revision);
    }

    @Test
    void listsAndGetsAtEachRevisionAreWhatWasLive() {
        for (Moment moment : List.of(first, second, third)) {
            KubernetesClient past = atRevision(moment.revision());
            ConfigMapList maps = past.configMaps().inNamespace(ns).list();
            assertThat(maps.getItems()).as("config maps at %d", moment.revision()).isEqualTo(moment.configMaps());
            assertThat(maps.getMetadata().getResourceVersion()).isEqualTo(String.valueOf(moment.revision()));
            assertThat(past.pods().inNamespace(ns).list().getItems()).as("pods at %d", moment.revision()).isEqualTo(moment.pods());
            assertThat(past.pods().inNamespace(ns).withName("web").get()).isEqualTo(moment.pods().get(0));
            assertThat(eventsOf(past, "web")).as("events of the pod at %d", moment.revision()).isEqualTo(moment.eventsOfWeb());
        }
        assertThat(atRevision(first.revision()).configMaps().inNamespace(ns).withName("a").get().getData()).containsEntry("v", "1");
        assertThat(atRevision(second.revision()).configMaps().inNamespace(ns).withName("a").get().getData()).containsEntry("v", "2");
        assertThat(atRevision(third.revision()).configMaps().inNamespace(ns).withName("a").get()).isNull();
        assertThat(second.eventsOfWeb()).containsExactly("Pulled: pulled nginx:1");
        assertThat(first.eventsOfWeb()).isEmpty();
    }

    @Test
    void selectorsAndPagingWorkInThePast() {
        KubernetesClient past = atRevision(second.revision());
        assertThat(past.configMaps().inNamespace(ns).withLabel("tier", "front").list().getItems())
                .extracting(c -> c.getMetadata().getName()).containsExactly("b");
        // across namespaces (other tests label theirs too: only ours are looked at)
        assertThat(past.configMaps().inAnyNamespace().withLabel("tier", "back").list().getItems().stream()
                .filter(c -> c.getMetadata().getNamespace().equals(ns)).map(c -> c.getMetadata().getName())).containsExactly("a");
        ConfigMapList page = past.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L).build());
        assertThat(page.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("a");
        ConfigMapList rest = past.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L)
                .withContinue(page.getMetadata().getContinue()).build());
        assertThat(rest.getItems()).isEqualTo(second.configMaps().subList(1, 2));
        assertThat(rest.getMetadata().getContinue()).isNull();
    }

    @Test
    void tablesAreRenderedFromThePast() throws Exception {
        HttpResponse<String> table = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.gateway.url()
                        + "/history/revision/" + first.revision() + "/api/v1/namespaces/" + ns + "/pods"))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(table.statusCode()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(table.body());
        assertThat(json.path("kind").asText()).isEqualTo("Table");
        JsonNode rows = json.path("rows");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("cells").get(0).asText()).isEqualTo("web");
        assertThat(json.path("metadata").path("resourceVersion").asText()).isEqualTo(String.valueOf(first.revision()));
    }

    @Test
    void aTimeMeansTheLastRevisionAtOrBeforeIt() {
        for (Moment moment : List.of(first, second)) {
            KubernetesClient past = at("/history/time/" + moment.after());
            ConfigMapList maps = past.configMaps().inNamespace(ns).list();
            assertThat(maps.getItems()).as("config maps at %s", moment.after()).isEqualTo(moment.configMaps());
            long served = Long.parseLong(maps.getMetadata().getResourceVersion());
            // other tests write to the shared cluster too: the revision is ours or one of theirs before our next write
            assertThat(served).isGreaterThanOrEqualTo(moment.revision());
        }
        assertThat(Long.parseLong(at("/history/time/" + first.after()).configMaps().inNamespace(ns).list().getMetadata()
                .getResourceVersion())).isLessThan(second.revision());
    }

    @Test
    void customResourcesAreServedAsTheyWere() {
        assertThat(http.get("/history/revision/" + first.revision() + "/apis/" + crdGroup + "/v1").code()).isEqualTo(404);
        assertThat(http.get("/history/revision/" + first.revision() + "/apis").body()).doesNotContain(crdGroup);
        assertThat(http.get("/history/revision/" + second.revision() + "/apis").body()).contains(crdGroup);
        RawHttp.Response resources = http.get("/history/revision/" + second.revision() + "/apis/" + crdGroup + "/v1");
        assertThat(resources.code()).isEqualTo(200);
        assertThat(resources.body()).contains("\"gadgets\"");
        assertThat(http.get("/history/revision/" + second.revision() + "/apis/" + crdGroup + "/v1/namespaces/" + ns + "/gadgets").code())
                .isEqualTo(200);
        assertThat(http.get("/history/revision/" + first.revision() + "/apis/" + crdGroup + "/v1/namespaces/" + ns + "/gadgets").code())
                .isEqualTo(404);
        assertThat(http.get("/history/revision/" + first.revision() + "/api").code()).isEqualTo(200);
        assertThat(http.get("/history/revision/" + first.revision() + "/openapi/v3").body()).doesNotContain(crdGroup);
        assertThat(http.get("/history/revision/" + second.revision() + "/openapi/v3").body()).contains(crdGroup);
        assertThat(http.get("/history/revision/" + first.revision() + "/openapi/v2").code()).isEqualTo(200);
    }

    @Test
    void writesInThePastAreRefusedWith405() {
        KubernetesClient past = atRevision(first.revision());
        ConfigMap extra = new ConfigMapBuilder().withNewMetadata().withName("extra").withNamespace(ns).endMetadata().build();
        assertThatThrownBy(() -> past.resource(extra).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(405));
        assertThatThrownBy(() -> past.configMaps().inNamespace(ns).withName("a").delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(405));
        String path = "/history/revision/" + first.revision() + "/api/v1/namespaces/" + ns + "/configmaps/a";
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            RawHttp.Response refused = http.send(method, path, "application/merge-patch+json", "{}");
            assertThat(refused.code()).as(method).isEqualTo(405);
            assertThat(refused.json().path("kind").asText()).isEqualTo("Status");
            assertThat(refused.json().path("reason").asText()).isEqualTo("MethodNotAllowed");
        }
        assertThat(http.get("/history/revision/" + first.revision() + "/api/v1/namespaces/" + ns + "/pods/web/log").code()).isEqualTo(405);
        assertThat(http.get("/history/revision/" + first.revision() + "/apis/metrics.k8s.io/v1beta1/pods").code()).isEqualTo(405);
        assertThat(client.configMaps().inNamespace(ns).withName("extra").get()).isNull();
    }

    @Test
    void momentsOutsideTheLogAreNamedInTheError() {
        long beyond = cluster.view.appliedRevision() + 1_000_000;
        RawHttp.Response future = http.get("/history/revision/" + beyond + "/api/v1/namespaces");
        assertThat(future.code()).isEqualTo(404);
        assertThat(future.json().path("message").asText()).contains("revision " + beyond + " is not in the log yet");
        RawHttp.Response notANumber = http.get("/history/revision/yesterday/api/v1/namespaces");
        assertThat(notANumber.code()).isEqualTo(400);
        assertThat(notANumber.json().path("message").asText()).contains("\"yesterday\" is not a revision");
        RawHttp.Response tomorrow = http.get("/history/time/" + Instant.now().plus(Duration.ofDays(1)) + "/api/v1/namespaces");
        assertThat(tomorrow.code()).isEqualTo(400);
        assertThat(tomorrow.json().path("message").asText()).contains("is in the future");
    }

    @Test
    void aWatchStartsAtThePastRevisionAndReplaysWhatFollowed() {
        String base = cluster.gateway.url() + "/history/revision/" + first.revision() + "/api/v1/namespaces/" + ns + "/configmaps?watch=true";
        try (WatchStream fromRevision = new WatchStream(base + "&resourceVersion=" + first.revision())) {
            List<JsonNode> events = fromRevision.until(e -> type(e).equals("DELETED"), WAIT);
            assertThat(events).extracting(e -> type(e) + " " + name(e)).containsExactly("MODIFIED a", "ADDED b", "DELETED a");
        }
        try (WatchStream withState = new WatchStream(base)) {
            JsonNode added = withState.next(WAIT);
            assertThat(type(added) + " " + name(added)).isEqualTo("ADDED a");
            assertThat(added.path("object").path("data").path("v").asText()).isEqualTo("1");
            assertThat(withState.until(e -> type(e).equals("DELETED"), WAIT)).extracting(e -> type(e) + " " + name(e))
                    .containsExactly("MODIFIED a", "ADDED b", "DELETED a");
        }
    }
}
