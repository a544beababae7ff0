package io.kronika.gateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.ApiGateway;
import io.kronika.gateway.GatewaySettings;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.testing.RawHttp;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 hostile requests, mutated deterministically from valid ones, over real HTTP: every answer is a 4xx (a
 * Kubernetes Status, unless the HTTP codec refused a malformed head before any handler ran), none is a 5xx, the
 * gateway stays healthy, and the events topic gains nothing.
 */
@ExtendWith(SharedClusterExtension.class)
class HostileInputFuzzTest {
    private static final long SEED = 20261126L;
    private static final int REQUESTS = 10_000;
    private static final int CLIENTS = 6;

    private static TestCluster cluster;
    private static ApiGateway gateway;
    private static String ns;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        gateway = ApiGateway.start(GatewaySettings.defaults(), cluster.admission.client(), cluster.view, cluster.feed);
        ns = cluster.newNamespace("fuzz");
        RawHttp http = new RawHttp(gateway.url());
        // The targets of updates and patches exist, so those mutations reach decoding, patching and validation.
        for (String[] existing : new String[][]{
                {"/api/v1/namespaces/" + ns + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\"},\"data\":{\"a\":\"b\"}}"},
                {"/api/v1/namespaces/" + ns + "/secrets", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"existing\"},\"data\":{\"a\":\"Yg==\"}}"},
                {"/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"existing\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"},
                {"/api/v1/namespaces/" + ns + "/services", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"existing\"},\"spec\":{\"ports\":[{\"port\":80}]}}"},
                {"/apis/apps/v1/namespaces/" + ns + "/deployments", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"existing\"},"
                        + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"}}) {
            assertThat(http.send("POST", existing[0], "application/json", existing[1]).code()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    record Answer(int code, String contentType, byte[] body) {
    }

    @Test
    void tenThousandHostileRequestsGet4xxStatusesAndWriteNothing() throws Exception {
        long eventsBefore = cluster.admission.readAllEvents().size();
        HostileRequests generator = new HostileRequests(SEED, ns);
        List<FuzzRequest> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(generator.next());
        }

        Map<String, Map<Integer, Integer>> codesByMutation = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong unanswered = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int i = client; i < requests.size(); i += CLIENTS) {
                    FuzzRequest request = requests.get(i);
                    Answer answer;
                    try {
                        answer = send(request);
                    } catch (IOException e) {
                        failures.add("#" + i + " " + request + " → no answer: " + e);
                        continue;
                    }
                    if (answer == null) {
                        if (request.protocolLevel()) {
                            unanswered.incrementAndGet(); // HTTP the codec could not read (a request line of HTTP/9.9)
                        } else {
                            failures.add("#" + i + " " + request + " → connection closed without an answer");
                        }
                        continue;
                    }
                    String kind = request.mutation().replaceAll(" \\(.*|[0-9]+ deep.*", "").replaceAll(" at .*", "");
                    codesByMutation.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).merge(answer.code(), 1, Integer::sum);
                    String problem = problem(request, answer);
                    if (problem != null) {
                        failures.add("#" + i + " " + request + " → " + problem);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();

        failures.forEach(f -> System.out.println("fuzz failure: " + f.replace("\r\n", "\\r\\n").substring(0, Math.min(f.length(), 700))));
        Map<String, Map<Integer, Integer>> summary = new TreeMap<>(codesByMutation);
        summary.forEach((kind, codes) -> System.out.println("fuzz: " + kind + " → " + new TreeMap<>(codes)));
        assertThat(failures.stream().limit(40).toList()).as("requests not answered with a 4xx Status (the first 40 of "
                + failures.size() + ")").isEmpty();
        System.out.println("fuzz: " + unanswered.get() + " malformed heads closed without an answer");
        assertThat(summary.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum() + unanswered.get())
                .isEqualTo(REQUESTS);

        RawHttp http = new RawHttp(gateway.url());
        assertThat(http.get("/healthz").code()).isEqualTo(200);
        assertThat(http.get("/api/v1/namespaces/" + ns + "/configmaps/existing").code()).isEqualTo(200);
        assertThat(cluster.admission.readAllEvents()).as("events appended by hostile requests").hasSize((int) eventsBefore);
    }

    private static String problem(FuzzRequest request, Answer answer) {
        if (answer.code() < 400 || answer.code() >= 500) {
            return "HTTP " + answer.code() + " " + new String(answer.body(), 0, Math.min(answer.body().length, 300), StandardCharsets.UTF_8);
        }
        if (request.protocolLevel() && answer.body().length == 0) {
            return null; // refused by the HTTP codec before the gateway saw a request, as Go's net/http does
        }
        try {
            JsonNode status = Json.MAPPER.readTree(answer.body());
            if (!"Status".equals(status.path("kind").asText()) || status.path("code").asInt() != answer.code()
                    || !answer.contentType().startsWith("application/json")) {
                return "not a Status for " + answer.code() + ": " + new String(answer.body(), 0, Math.min(answer.body().length, 300), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "HTTP " + answer.code() + " with a body that is not JSON: "
                    + new String(answer.body(), 0, Math.min(answer.body().length, 300), StandardCharsets.UTF_8);
        }
        return null;
    }

    /**
     * Writes the request (slowly when asked) and reads the answer until the server closes (every request says
     * Connection: close; the output is not shut down, as a half-closed connection is a vanished client).
     */
    private static Answer send(FuzzRequest request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(60_000);
            byte[] wire = request.wire("127.0.0.1:" + gateway.port());
            OutputStream out = socket.getOutputStream();
            try {
                if (request.pauses() > 0) {
                    int piece = Math.max(1, wire.length / (request.pauses() + 1));
                    for (int at = 0; at < wire.length; at += piece) {
                        out.write(wire, at, Math.min(piece, wire.length - at));
                        out.flush();
                        LockSupport.parkNanos(20_000_000L); // a slow client: the body trickles in
                    }
                } else {
                    out.write(wire);
                    out.flush();
                }
            } catch (IOException e) {
                // The server may answer and close before it read everything (413, 431): read what it said.
            }
            byte[] all = readAll(socket.getInputStream());
            return parse(all);
        }
    }

    /** Reads until the answer is complete (by Content-Length or the last chunk) or the server closes. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
                if (complete(bytes.toByteArray())) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // reset after the answer was sent
        }
        return bytes.toByteArray();
    }

    private static boolean complete(byte[] all) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
        int length = head.indexOf("content-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length);
            long declared = Long.parseLong(head.substring(length + 15, end < 0 ? head.length() : end).trim());
            return all.length - headEnd - 4 >= declared;
        }
        return head.contains("chunked") && text.endsWith("0\r\n\r\n");
    }

    private static Answer parse(byte[] all) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0) {
            return null;
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int code = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = "";
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).trim();
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        byte[] body = java.util.Arrays.copyOfRange(all, headEnd + 4, all.length);
        if (chunked) {
            body = dechunk(body);
        }
        return new Answer(code, contentType, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = new String(body, at, body.length - at, StandardCharsets.ISO_8859_1).indexOf("\r\n");
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(body, at, lineEnd, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, at + lineEnd + 2, size);
            at += lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
