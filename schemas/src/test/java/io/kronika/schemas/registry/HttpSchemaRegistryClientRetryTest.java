package io.kronika.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries, back-off bounds, error mapping and caching of the client, against a scripted HTTP server. */
class HttpSchemaRegistryClientRetryTest {
    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

    private record Answer(int status, String body) {
    }

    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + body);
        contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        Answer answer = script.poll();
        if (answer == null) {
            answer = new Answer(500, "{\"error_code\":50001,\"message\":\"script exhausted\"}");
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", RegistryHttp.CONTENT_TYPE);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private HttpSchemaRegistryClient client(String path) {
        return new HttpSchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort() + path,
                5, Duration.ofMillis(10), Duration.ofSeconds(5));
    }

    @Test
    void retriesServerErrorsAndCachesTheAnswer() {
        script.add(new Answer(503, "{\"error_code\":50003,\"message\":\"not the leader\"}"));
        script.add(new Answer(500, "oops"));
        script.add(new Answer(200, "{\"id\":7}"));
        HttpSchemaRegistryClient client = client("/apis/ccompat/v7/");

        assertThat(client.register("a b/c-value", SCHEMA)).isEqualTo(7);
        assertThat(client.register("a b/c-value", SCHEMA)).as("cached").isEqualTo(7);
        assertThat(client.schemaById(7)).as("cached by id too").isEqualTo(SCHEMA);

        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r)
                .startsWith("POST /apis/ccompat/v7/subjects/a%20b%2Fc-value/versions {\"schema\":"));
        assertThat(contentTypes).containsOnly(RegistryHttp.CONTENT_TYPE);
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheServersErrorCode() {
        HttpSchemaRegistryClient client = client("");

        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("script exhausted")
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(50001);
        assertThat(requests).hasSize(5);
    }

    @Test
    void doesNotRetryRefusals() {
        script.add(new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));
        script.add(new Answer(400, "Not able to deserialize data provided."));
        HttpSchemaRegistryClient client = client("");

        assertThatThrownBy(() -> client.register("s", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("incompatible")
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(409);
        assertThatThrownBy(() -> client.setGlobalCompatibility(CompatibilityLevel.FULL))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("Not able to deserialize")
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).as("no error_code: the HTTP status").isEqualTo(400);
        assertThat(requests).hasSize(2);
    }

    @Test
    void treatsAMissingSubjectConfigAsEmpty() {
        script.add(new Answer(404, "{\"error_code\":40408,\"message\":\"Subject 's' does not have subject-level compatibility configured\"}"));
        script.add(new Answer(200, "{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}"));
        HttpSchemaRegistryClient client = client("");

        assertThat(client.subjectCompatibility("s")).isEmpty();
        assertThat(client.subjectCompatibility("s")).contains(CompatibilityLevel.FORWARD_TRANSITIVE);
    }

    @Test
    void reportsAnUnreachableRegistryAfterBoundedAttempts() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient("http://127.0.0.1:" + closedPort,
                3, Duration.ofMillis(10), Duration.ofSeconds(2));

        long start = System.nanoTime();
        assertThatThrownBy(client::subjects)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("after 3 attempt(s)")
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(HttpSchemaRegistryClient.NO_RESPONSE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
