package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What kubectl negotiates, checked at the HTTP level: aggregated discovery, Tables, OpenAPI, reviews, warnings. */
@ExtendWith(SharedClusterExtension.class)
class KubectlProtocolsTest {
    private static TestCluster cluster;
    private static RawHttp http;
    private static String ns;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("protocols");
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(cluster.gateway.url() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return io.kronika.gateway.api.Json.MAPPER.readTree(response.body());
    }

    @Test
    void aggregatedDiscoveryListsEveryResourceWithShortNamesAndCategories() throws Exception {
        String accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
        HttpResponse<String> apis = get("/apis", accept);
        assertThat(apis.headers().firstValue("Content-Type")).hasValue("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        JsonNode apps = null;
        for (JsonNode group : json(apis).path("items")) {
            if (group.path("metadata").path("name").asText().equals("apps")) {
                apps = group;
            }
        }
        assertThat(apps).isNotNull();
        JsonNode deployments = null;
        for (JsonNode resource : apps.path("versions").get(0).path("resources")) {
            if (resource.path("resource").asText().equals("deployments")) {
                deployments = resource;
            }
        }
        assertThat(deployments.path("shortNames").toString()).isEqualTo("[\"deploy\"]");
        assertThat(deployments.path("categories").toString()).isEqualTo("[\"all\"]");
        assertThat(deployments.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(deployments.path("subresources").toString()).contains("\"subresource\":\"scale\"", "\"kind\":\"Scale\"");
        JsonNode core = json(get("/api", accept)).path("items").get(0);
        assertThat(core.path("versions").get(0).path("resources").toString()).contains("\"resource\":\"pods\"", "\"subresource\":\"exec\"",
                "\"subresource\":\"log\"");
    }

    @Test
    void listsAndObjectsAsTables() throws Exception {
        http.send("POST", "/api/v1/namespaces/" + ns + "/configmaps", "application/json",
                "{\"metadata\":{\"name\":\"t1\"},\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        HttpResponse<String> list = get("/api/v1/namespaces/" + ns + "/configmaps?includeObject=Object", accept);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json;as=Table;v=v1;g=meta.k8s.io");
        JsonNode table = json(list);
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        List<String> columns = new ArrayList<>();
        table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
        assertThat(columns).containsExactly("Name", "Data", "Age");
        assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("t1");
        assertThat(table.path("rows").get(0).path("cells").get(1).asInt()).isEqualTo(2);
        assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("ConfigMap");
        JsonNode one = json(get("/api/v1/namespaces/" + ns + "/configmaps/t1", accept));
        assertThat(one.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    }

    @Test
    void openApiV3AdvertisesFieldValidationAndV2IsJson() throws Exception {
        JsonNode index = json(get("/openapi/v3", "application/json"));
        String url = index.path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
        assertThat(url).startsWith("/openapi/v3/apis/apps/v1?hash=");
        JsonNode apps = json(get(url, "application/json"));
        JsonNode patch = apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Deployment");
        assertThat(patch.path("parameters").toString()).contains("\"name\":\"fieldValidation\"", "\"name\":\"force\"");
        assertThat(apps.path("components").path("schemas").has("io.k8s.api.apps.v1.Deployment")).isTrue();
        assertThat(get("/openapi/v2", "application/json").body()).startsWith("{\"swagger\":\"2.0\"");
        assertThat(get("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf").statusCode()).isEqualTo(406);
    }

    @Test
    void selfSubjectAccessReviewsAreAllowed() {
        RawHttp.Response review = http.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
                "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":"
                        + "{\"verb\":\"create\",\"resource\":\"pods\",\"namespace\":\"" + ns + "\"}}}");
        assertThat(review.code()).isEqualTo(201);
        assertThat(review.json().path("status").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void unknownFieldsAreRefusedWhenStrictAndWarnedOtherwise() throws Exception {
        String body = "{\"metadata\":{\"name\":\"u1\"},\"data\":{\"a\":\"1\"},\"dta\":1}";
        RawHttp.Response strict = http.send("POST", "/api/v1/namespaces/" + ns + "/configmaps?fieldValidation=Strict", "application/json", body);
        assertThat(strict.code()).isEqualTo(400);
        assertThat(strict.json().path("message").asText()).contains("strict decoding error: unknown field \"dta\"");
        HttpResponse<String> warned = CLIENT.send(HttpRequest.newBuilder(URI.create(cluster.gateway.url() + "/api/v1/namespaces/" + ns + "/configmaps"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"dta\\\"\"");
        assertThat(json(warned).has("dta")).isFalse();
    }
}
