package io.kronika.gateway.limits;

import io.kronika.gateway.ApiGateway;
import io.kronika.gateway.GatewayLimits;
import io.kronika.gateway.GatewaySettings;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.watch.WatchTimeouts;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Body size, requests in flight, per-user rate, watch timeouts and abandoned watches, over real HTTP. */
@ExtendWith(SharedClusterExtension.class)
class RequestLimitsTest {
    private static TestCluster cluster;
    private static String ns;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        ns = cluster.newNamespace("limits");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private ApiGateway gateway(GatewaySettings settings) {
        ApiGateway gateway = ApiGateway.start(settings, cluster.admission.client(), cluster.view, cluster.feed);
        opened.add(0, gateway);
        return gateway;
    }

    @Test
    void aBodyOverTheLimitIs413AndWritesNothing() {
        ApiGateway gateway = gateway(GatewaySettings.defaults().withLimits(GatewayLimits.defaults().withMaxBodyBytes(16 * 1024)));
        int eventsBefore = cluster.admission.readAllEvents().size();
        String big = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + "x".repeat(20_000) + "\"}}";
        RawHttp.Response response = new RawHttp(gateway.url()).send("POST", "/api/v1/namespaces/" + ns + "/configmaps", "application/json", big);
        assertThat(response.code()).isEqualTo(413);
        assertThat(response.json().path("reason").asText()).isEqualTo("RequestEntityTooLarge");
        RawHttp.Response small = new RawHttp(gateway.url()).send("POST", "/api/v1/namespaces/" + ns + "/configmaps", "application/json",
                big.replace("x".repeat(20_000), "x").replace("\"big\"", "\"small\""));
        assertThat(small.code()).as(small.body()).isEqualTo(201);
        assertThat(cluster.admission.readAllEvents()).hasSize(eventsBefore + 1);
    }

    @Test
    void requestsOverTheInFlightLimitGet429WithRetryAfterWhileWatchesAreNotCounted() throws Exception {
        ApiGateway gateway = gateway(GatewaySettings.defaults().withLimits(GatewayLimits.defaults().withMaxRequestsInFlight(2)));
        // Two requests whose bodies never finish hold both slots.
        for (int i = 0; i < 2; i++) {
            Socket slow = socket(gateway);
            write(slow, "POST /api/v1/namespaces/" + ns + "/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"apiVersion\":");
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest list = HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/namespaces/" + ns + "/configmaps")).build();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> http.send(list, HttpResponse.BodyHandlers.ofString()).statusCode() == 429);
        HttpResponse<String> refused = http.send(list, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("\"kind\":\"Status\"").contains("\"reason\":\"TooManyRequests\"");

        // A watch is long-running: it is served although every slot is taken.
        Socket watch = socket(gateway);
        write(watch, "GET /api/v1/namespaces/" + ns + "/configmaps?watch=true HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readHead(watch)).startsWith("HTTP/1.1 200");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // The stalled clients go away: their slots are free again.
        closeSockets();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> http.send(list, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @Test
    void aClientOverItsRateGets429UntilItsBucketRefills() throws Exception {
        ApiGateway gateway = gateway(GatewaySettings.defaults().withLimits(GatewayLimits.defaults().withUserRate(0.5, 3)));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/namespaces/" + ns)).build();
        for (int i = 0; i < 3; i++) {
            assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).as("request " + i + " of the burst").isEqualTo(200);
        }
        HttpResponse<String> refused = http.send(get, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("TooManyRequests").contains("client 127.0.0.1");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @Test
    void theBucketIsTheAuthenticatedUsersNotTheAddress() throws Exception {
        java.nio.file.Path tokens = java.nio.file.Files.createTempFile("kronika-tokens", ".csv");
        java.nio.file.Files.writeString(tokens, "alice-token,alice,1,\"system:masters\"\nbob-token,bob,2,\"system:masters\"\n");
        opened.add(() -> java.nio.file.Files.deleteIfExists(tokens));
        ApiGateway gateway = ApiGateway.start(GatewaySettings.defaults().withLimits(GatewayLimits.defaults().withUserRate(0.2, 2)),
                io.kronika.gateway.auth.GatewaySecurity.plainHttp(tokens), cluster.admission.client(), cluster.view, cluster.feed);
        opened.add(0, gateway);
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.Function<String, HttpRequest> as = token -> HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/namespaces/" + ns))
                .header("Authorization", "Bearer " + token).build();
        for (int i = 0; i < 2; i++) {
            assertThat(http.send(as.apply("alice-token"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = http.send(as.apply("alice-token"), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("user alice");
        // Same address, another user: a bucket of its own.
        assertThat(http.send(as.apply("bob-token"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aWatchWithoutTimeoutEndsWithinTwiceTheMinimumAndLongerRequestsAreCapped() throws Exception {
        for (int i = 0; i < 200; i++) {
            assertThat(WatchTimeouts.seconds(null, Duration.ofSeconds(1800))).isBetween(1800L, 3600L);
        }
        assertThat(WatchTimeouts.seconds(60L, Duration.ofSeconds(1800))).isEqualTo(60L);
        assertThat(WatchTimeouts.seconds(100_000L, Duration.ofSeconds(1800))).isEqualTo(3600L);

        ApiGateway gateway = gateway(GatewaySettings.defaults().withWatchTimeout(Duration.ofSeconds(1)));
        Socket watch = socket(gateway);
        write(watch, "GET /api/v1/namespaces/" + ns + "/configmaps?watch=true HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readHead(watch)).startsWith("HTTP/1.1 200");
        watch.setSoTimeout(30_000);
        // The server ends the chunked stream: its last chunk arrives and the gateway counts no open watch.
        String rest = readUntil(watch.getInputStream(), "0\r\n\r\n");
        assertThat(rest).endsWith("0\r\n\r\n");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.openWatches() == 0);
    }

    @Test
    void watchesOfClientsThatVanishAreClosed() throws Exception {
        ApiGateway gateway = gateway(GatewaySettings.defaults());
        int watches = 20;
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < watches; i++) {
            Socket socket = socket(gateway);
            write(socket, "GET /api/v1/namespaces/" + ns + "/configmaps?watch=true&timeoutSeconds=3000 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readHead(socket)).startsWith("HTTP/1.1 200");
            sockets.add(socket);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.openWatches() == watches);
        assertThat(openWatchMetric(gateway)).isEqualTo(watches);
        for (Socket socket : sockets) {
            socket.setSoLinger(true, 0); // reset, as a killed process's sockets are
            socket.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.openWatches() == 0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> openWatchMetric(gateway) == 0);
    }

    private static double openWatchMetric(ApiGateway gateway) throws Exception {
        String scrape = new RawHttp(gateway.url()).get("/metrics").body();
        return scrape.lines().filter(l -> l.startsWith("apiserver_longrunning_requests"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private Socket socket(ApiGateway gateway) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(30_000);
        opened.add(socket);
        return socket;
    }

    private void closeSockets() throws IOException {
        for (AutoCloseable c : opened) {
            if (c instanceof Socket s) {
                s.close();
            }
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readHead(Socket socket) throws IOException {
        return readUntil(socket.getInputStream(), "\r\n\r\n");
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
