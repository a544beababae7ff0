package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's routes on a real gateway: /ui/ without the dashboard jar, and an object's versions from history. */
@ExtendWith(SharedClusterExtension.class)
class DashboardRoutesTest {
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        http = new RawHttp(cluster.gateway.url());
    }

    @Test
    void uiAnswersAStatusNamingTheMissingJar() {
        // api-gateway's tests run without kronika-dashboard on the classpath.
        RawHttp.Response redirect = http.get("/ui");
        assertThat(redirect.code()).isEqualTo(301);
        RawHttp.Response ui = http.get("/ui/");
        assertThat(ui.code()).isEqualTo(404);
        assertThat(ui.json().path("kind").asText()).isEqualTo("Status");
        assertThat(ui.json().path("message").asText()).contains("kronika-dashboard");
    }

    @Test
    void versionsOfAnObjectNewestFirstAndAsOfARevision() {
        String ns = cluster.newNamespace("versions");
        String name = "versions-" + UUID.randomUUID().toString().substring(0, 8);
        ConfigMap created = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).endMetadata().withData(Map.of("step", "1")).build()).create();
        client.configMaps().inNamespace(ns).withName(name).edit(c -> new ConfigMapBuilder(c).withData(Map.of("step", "2")).build());
        ConfigMap third = client.configMaps().inNamespace(ns).withName(name)
                .edit(c -> new ConfigMapBuilder(c).withData(Map.of("step", "3")).build());
        String path = "/history/versions/api/v1/namespaces/" + ns + "/configmaps/" + name;

        JsonNode all = http.get(path + "?revision=" + third.getMetadata().getResourceVersion()).json();
        assertThat(all.path("kind").asText()).isEqualTo("ObjectVersionList");
        List<String> steps = new ArrayList<>();
        List<Long> revisions = new ArrayList<>();
        all.path("items").forEach(item -> {
            steps.add(item.path("object").path("data").path("step").asText());
            revisions.add(item.path("revision").asLong());
            assertThat(item.path("object").path("kind").asText()).isEqualTo("ConfigMap");
        });
        assertThat(steps).containsExactly("3", "2", "1");
        assertThat(revisions).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(revisions.get(2)).isEqualTo(Long.parseLong(created.getMetadata().getResourceVersion()));
        assertThat(all.path("more").asBoolean()).isFalse();

        JsonNode first = http.get(path + "?revision=" + created.getMetadata().getResourceVersion()).json();
        assertThat(first.path("items")).hasSize(1);
        assertThat(first.path("items").get(0).path("object").path("data").path("step").asText()).isEqualTo("1");

        JsonNode newest = http.get(path + "?limit=1").json();
        assertThat(newest.path("items").get(0).path("object").path("data").path("step").asText()).isEqualTo("3");
        assertThat(newest.path("more").asBoolean()).isTrue();

        JsonNode before = http.get(path + "?revision=" + (revisions.get(2) - 1)).json();
        assertThat(before.path("items")).isEmpty();
    }

    @Test
    void auditTrailNamesWhoChangedWhatNewestFirst() {
        String ns = cluster.newNamespace("audit");
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("audited").endMetadata().withData(Map.of("step", "1")).build()).create();
        ConfigMap updated = client.configMaps().inNamespace(ns).withName("audited")
                .edit(c -> new ConfigMapBuilder(c).withData(Map.of("step", "2")).build());

        JsonNode audit = http.get("/history/audit?namespace=" + ns + "&kind=ConfigMap").json();
        assertThat(audit.path("kind").asText()).isEqualTo("AuditEntryList");
        List<String> verbs = new ArrayList<>();
        audit.path("items").forEach(e -> {
            verbs.add(e.path("verb").asText());
            assertThat(e.path("name").asText()).isEqualTo("audited");
            assertThat(e.path("namespace").asText()).isEqualTo(ns);
            assertThat(e.path("user").asText()).isNotEmpty();
        });
        assertThat(verbs).containsExactly("update", "create");
        JsonNode newest = audit.path("items").get(0);
        assertThat(newest.path("revision").asText()).isEqualTo(updated.getMetadata().getResourceVersion());

        String user = newest.path("user").asText();
        assertThat(http.get("/history/audit?namespace=" + ns + "&user=" + user + "&limit=1").json().path("items")).hasSize(1);
        assertThat(http.get("/history/audit?namespace=" + ns + "&user=nobody-" + ns).json().path("items")).isEmpty();
        assertThat(http.get("/history/audit?limit=0").code()).isEqualTo(400);
    }

    @Test
    void badRequestsAnswerStatuses() {
        assertThat(http.get("/history/versions/api/v1/namespaces/default/configmaps").code()).isEqualTo(400);
        assertThat(http.get("/history/versions/api/v1/namespaces/default/nothings/x").code()).isEqualTo(404);
        RawHttp.Response badRevision = http.get("/history/versions/api/v1/namespaces/default/configmaps/x?revision=abc");
        assertThat(badRevision.code()).isEqualTo(400);
        assertThat(badRevision.json().path("message").asText()).contains("revision must be a number");
    }
}
