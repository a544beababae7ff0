package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** /version, legacy discovery, health endpoints and Prometheus metrics. */
@ExtendWith(SharedClusterExtension.class)
class DiscoveryAndMetricsTest {
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
    void versionAsClientsReadIt() {
        VersionInfo version = client.getKubernetesVersion();
        assertThat(version.getMajor()).isEqualTo("1");
        assertThat(version.getMinor()).isEqualTo("32");
        assertThat(version.getGitVersion()).isEqualTo(GatewaySettings.DEFAULT_VERSION);
    }

    @Test
    void coreAndNamedGroups() {
        JsonNode api = http.get("/api").json();
        assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
        assertThat(api.path("versions").get(0).asText()).isEqualTo("v1");

        JsonNode groups = http.get("/apis").json();
        assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
        List<String> names = new ArrayList<>();
        groups.path("groups").forEach(g -> names.add(g.path("name").asText()));
        assertThat(names).contains("apps", "batch", "networking.k8s.io", "storage.k8s.io", "rbac.authorization.k8s.io",
                "coordination.k8s.io", "discovery.k8s.io", "scheduling.k8s.io", "apiextensions.k8s.io");

        JsonNode apps = http.get("/apis/apps").json();
        assertThat(apps.path("kind").asText()).isEqualTo("APIGroup");
        assertThat(apps.path("preferredVersion").path("groupVersion").asText()).isEqualTo("apps/v1");

        assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName()).contains("apps", "batch");
        assertThat(client.getApiResources("apps/v1").getResources()).anySatisfy(r -> {
            assertThat(r.getName()).isEqualTo("deployments");
            assertThat(r.getShortNames()).containsExactly("deploy");
            assertThat(r.getCategories()).containsExactly("all");
            assertThat(r.getNamespaced()).isTrue();
            assertThat(r.getVerbs()).contains("create", "deletecollection", "watch");
        });
        assertThat(client.getApiResources("apps/v1").getResources()).anySatisfy(r -> {
            assertThat(r.getName()).isEqualTo("deployments/scale");
            assertThat(r.getGroup()).isEqualTo("autoscaling");
            assertThat(r.getKind()).isEqualTo("Scale");
        });
        JsonNode core = http.get("/api/v1").json();
        assertThat(core.path("groupVersion").asText()).isEqualTo("v1");
        assertThat(core.path("resources").toString()).contains("\"name\":\"pods/eviction\"", "\"name\":\"pods/binding\"",
                "\"name\":\"replicationcontrollers/scale\"", "\"name\":\"namespaces/status\"");
        assertThat(http.get("/apis/nonexistent.example.com").code()).isEqualTo(404);
        assertThat(http.get("/apis/apps/v9").code()).isEqualTo(404);
    }

    @Test
    void healthEndpoints() {
        for (String path : List.of("/healthz", "/readyz", "/livez", "/healthz/ping")) {
            RawHttp.Response response = http.get(path);
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
        assertThat(http.get("/readyz?verbose").body()).contains("readyz check passed");
    }

    @Test
    void metricsCountRequestsByVerbAndResourceAndReportTheProjectionLag() {
        String ns = cluster.newNamespace("metrics");
        client.configMaps().inNamespace(ns).list();
        client.configMaps().inNamespace(ns).withName("missing").get();
        RawHttp.Response metrics = http.get("/metrics");
        assertThat(metrics.code()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("apiserver_request_total\\{[^}]*code=\"200\"[^}]*resource=\"configmaps\"[^}]*verb=\"LIST\"[^}]*} [1-9]")
                .containsPattern("apiserver_request_total\\{[^}]*code=\"404\"[^}]*resource=\"configmaps\"[^}]*verb=\"GET\"[^}]*} [1-9]")
                .containsPattern("apiserver_request_total\\{[^}]*code=\"201\"[^}]*resource=\"namespaces\"[^}]*verb=\"POST\"[^}]*} [1-9]")
                .contains("apiserver_request_duration_seconds_bucket{")
                .containsPattern("kronika_projection_lag_revisions(\\{[^}]*})? [0-9]")
                .contains("apiserver_longrunning_requests");
    }
}
