package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kronika.gateway.auth.GatewaySecurity;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /history/audit?includeRefused=true} on a real gateway with authentication and RBAC: a request the gateway
 * refused (403, recorded in commands) and one admission rejected (409, its result) appear with their reasons, next
 * to the accepted change, newest first; without the flag only the accepted change; a user without the
 * non-resource rule may not read the trail.
 */
@ExtendWith(SharedClusterExtension.class)
class AuditRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static ApiGateway gateway;
    private static Path tokens;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        tokens = Files.createTempFile("kronika-audit-tokens", ".csv");
        Files.writeString(tokens, "admin-token,admin,1,\"system:masters\"\neve-token,eve,2,\n");
        gateway = ApiGateway.start(GatewaySettings.defaults(), GatewaySecurity.plainHttp(tokens),
                cluster.admission.client(), cluster.view, cluster.feed);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        Files.deleteIfExists(tokens);
    }

    private HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusedRequestsAppearWithTheirReasons() throws Exception {
        String ns = cluster.newNamespace("audit-refused");
        String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"guarded\"},\"data\":{\"a\":\"1\"}}";
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        assertThat(send("eve-token", "POST", configMaps, configMap).statusCode()).isEqualTo(403);
        assertThat(send("admin-token", "POST", configMaps, configMap).statusCode()).isEqualTo(201);
        HttpResponse<String> again = send("admin-token", "POST", configMaps, configMap);
        assertThat(again.statusCode()).isEqualTo(409);

        String audit = "/history/audit?namespace=" + ns;
        List<JsonNode> entries = new ArrayList<>();
        // The 403 is recorded without waiting for the broker, so it may take a moment to be readable.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            entries.clear();
            JsonNode list = JSON.readTree(send("admin-token", "GET", audit + "&includeRefused=true", null).body());
            list.path("items").forEach(entries::add);
            assertThat(entries).hasSize(3);
        });
        assertThat(entries).extracting(e -> e.path("outcome").asText()).containsExactly("REJECTED", "ACCEPTED", "REJECTED");
        JsonNode conflict = entries.get(0);
        assertThat(conflict.path("user").asText()).isEqualTo("admin");
        assertThat(conflict.path("code").asInt()).isEqualTo(409);
        assertThat(conflict.path("reason").asText()).isEqualTo("AlreadyExists");
        assertThat(conflict.path("refusedBy").asText()).isEqualTo("admission");
        assertThat(conflict.path("name").asText()).isEqualTo("guarded");
        assertThat(conflict.has("revision")).isFalse();
        JsonNode created = entries.get(1);
        assertThat(created.path("verb").asText()).isEqualTo("create");
        assertThat(created.path("revision").asLong()).isPositive();
        JsonNode forbidden = entries.get(2);
        assertThat(forbidden.path("user").asText()).isEqualTo("eve");
        assertThat(forbidden.path("verb").asText()).isEqualTo("create");
        assertThat(forbidden.path("code").asInt()).isEqualTo(403);
        assertThat(forbidden.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(forbidden.path("message").asText()).contains("eve").contains("configmaps");
        assertThat(forbidden.path("refusedBy").asText()).isEqualTo("gateway");

        JsonNode eveOnly = JSON.readTree(send("admin-token", "GET", audit + "&includeRefused=true&user=eve", null).body());
        assertThat(eveOnly.path("items")).hasSize(1);
        JsonNode accepted = JSON.readTree(send("admin-token", "GET", audit, null).body());
        assertThat(accepted.path("items")).hasSize(1);
        assertThat(accepted.path("items").get(0).path("outcome").asText()).isEqualTo("ACCEPTED");

        assertThat(send("eve-token", "GET", audit + "&includeRefused=true", null).statusCode()).isEqualTo(403);
    }
}
