package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import io.kronika.schemas.ObjectEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad requests over raw HTTP: each error class gets its code and a metav1.Status, and nothing reaches the events
 * topic.
 */
@ExtendWith(SharedClusterExtension.class)
class BadInputTest {
    private static TestCluster cluster;
    private static RawHttp http;
    private static String ns;
    private static String configMaps;
    /** The events topic as it was before the current test (read once per test, after it, to stay fast). */
    private static List<ObjectEvent> eventsBefore;
    private int expectedNewEvents;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        http = new RawHttp(cluster.gateway.url());
        ns = cluster.newNamespace("bad");
        configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        RawHttp.Response created = http.send("POST", configMaps, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\"},\"data\":{\"a\":\"1\"}}");
        assertThat(created.code()).isEqualTo(201);
        eventsBefore = cluster.admission.readAllEvents();
    }

    @AfterEach
    void theEventsTopicIsUnchanged() {
        List<ObjectEvent> after = cluster.admission.readAllEvents();
        assertThat(after).as("events appended by the test").hasSize(eventsBefore.size() + expectedNewEvents);
        assertThat(after.subList(0, eventsBefore.size())).isEqualTo(eventsBefore);
        eventsBefore = after;
    }

    private void assertStatus(RawHttp.Response response, int code, String reason) {
        assertThat(response.code()).as(response.body()).isEqualTo(code);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode status = response.json();
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo(reason);
        assertThat(status.path("code").asInt()).isEqualTo(code);
        assertThat(status.path("message").asText()).isNotEmpty();
    }

    @Test
    void malformedJsonIs400() {
        assertStatus(http.send("POST", configMaps, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"), 400, "BadRequest");
        assertStatus(http.send("POST", configMaps, "application/json", "[1,2]"), 400, "BadRequest");
        assertStatus(http.send("POST", configMaps, "application/json", ""), 400, "BadRequest");
        assertStatus(http.send("PUT", configMaps + "/existing", "application/json", "{not json}"), 400, "BadRequest");
    }

    @Test
    void malformedYamlIs400() {
        assertStatus(http.send("POST", configMaps, "application/yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n"), 400, "BadRequest");
    }

    @Test
    void wellFormedYamlIsAccepted() {
        RawHttp.Response created = http.send("POST", configMaps, "application/yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n");
        assertThat(created.code()).isEqualTo(201);
        assertThat(created.json().path("data").path("k").asText()).isEqualTo("v");
        expectedNewEvents = 1;
    }

    @Test
    void aBodyOfAnotherKindOrVersionIs400() {
        assertStatus(http.send("POST", configMaps, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}"),
                400, "BadRequest");
        assertStatus(http.send("POST", configMaps, "application/json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"),
                400, "BadRequest");
        assertStatus(http.send("POST", configMaps, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"elsewhere\"}}"), 400, "BadRequest");
    }

    @Test
    void unknownKindsAndPathsAre404() {
        assertStatus(http.send("POST", "/api/v1/namespaces/" + ns + "/widgets", "application/json", "{\"kind\":\"Widget\"}"), 404, "NotFound");
        assertStatus(http.get("/apis/example.com/v1/widgets"), 404, "NotFound");
        assertStatus(http.get("/apis/apps/v2/deployments"), 404, "NotFound");
        assertStatus(http.get("/api/v1/namespaces/" + ns + "/configmaps/existing/nonsense"), 404, "NotFound");
        assertStatus(http.get("/nothing/here"), 404, "NotFound");
    }

    @Test
    void aConflictIs409() {
        assertStatus(http.send("POST", configMaps, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\"}}"), 409, "AlreadyExists");
        assertStatus(http.send("PUT", configMaps + "/existing", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\",\"resourceVersion\":\"1\"},\"data\":{\"a\":\"2\"}}"),
                409, "Conflict");
    }

    @Test
    void aTooLargeBodyIs413() {
        byte[] big = new byte[3 * 1024 * 1024 + 10];
        Arrays.fill(big, (byte) 'a');
        String prefix = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"";
        System.arraycopy(prefix.getBytes(), 0, big, 0, prefix.length());
        big[big.length - 3] = '"';
        big[big.length - 2] = '}';
        big[big.length - 1] = '}';
        assertStatus(http.send("POST", configMaps, "application/json", big), 413, "RequestEntityTooLarge");
        assertStatus(http.send("PUT", configMaps + "/existing", "application/yaml", big), 413, "RequestEntityTooLarge");
    }

    @Test
    void anUnsupportedMediaTypeIs415() {
        assertStatus(http.send("POST", configMaps, "text/plain", "name: x"), 415, "UnsupportedMediaType");
        // Built-in kinds accept protobuf (kubectl sends it), so a body that is not protobuf is a bad request;
        // custom resources have no protobuf form.
        assertStatus(http.send("POST", configMaps, "application/vnd.kubernetes.protobuf", "\u0000"), 400, "BadRequest");
        assertStatus(http.send("PATCH", configMaps + "/existing", "application/json", "{\"data\":{\"a\":\"3\"}}"), 415, "UnsupportedMediaType");
    }

    @Test
    void anInvalidObjectIs422NamingTheField() {
        RawHttp.Response noName = http.send("POST", configMaps, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}");
        assertStatus(noName, 422, "Invalid");
        assertThat(noName.json().path("details").path("causes").get(0).path("field").asText()).isEqualTo("metadata.name");

        RawHttp.Response badPod = http.send("POST", "/api/v1/namespaces/" + ns + "/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bad\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}");
        assertStatus(badPod, 422, "Invalid");
        assertThat(badPod.json().path("details").path("kind").asText()).isEqualTo("Pod");
        assertThat(badPod.json().path("details").path("name").asText()).isEqualTo("bad");
        assertThat(badPod.json().path("details").path("causes").toString()).contains("spec.containers[0].image");

        RawHttp.Response badName = http.send("POST", configMaps, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Not_A_Name\"}}");
        assertStatus(badName, 422, "Invalid");
    }

    @Test
    void badOptionsAre400Or422() {
        assertStatus(http.send("POST", configMaps + "?dryRun=Maybe", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"), 400, "BadRequest");
        assertStatus(http.send("DELETE", configMaps + "/existing", "application/json", "{\"propagationPolicy\":\"Sideways\"}"), 422, "Invalid");
        assertStatus(http.get(configMaps + "?limit=ten"), 400, "BadRequest");
    }

    @Test
    void wrongMethodsAre405() {
        assertStatus(http.send("POST", "/api/v1/pods", "application/json", "{}"), 405, "MethodNotAllowed");
        assertStatus(http.send("PUT", configMaps, "application/json", "{}"), 405, "MethodNotAllowed");
        assertStatus(http.send("DELETE", "/api/v1/namespaces", null, (String) null), 405, "MethodNotAllowed");
    }
}
