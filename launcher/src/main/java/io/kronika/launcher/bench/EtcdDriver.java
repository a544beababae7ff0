package io.kronika.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * etcd through its v3 JSON gateway: each write is a transaction "if mod_revision(key) == r then put key";
 * the answer's header.revision is the key's new mod_revision. A failed compare also reads the key, so a writer
 * that lost a race can carry on from the current revision.
 */
final class EtcdDriver implements WorkloadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI txn;
    private final URI put;
    private String[] names = new String[0];
    private String[] keys = new String[0];
    private long[] revisions = new long[0];
    private long[] sequences = new long[0];

    EtcdDriver(URI clientUrl) {
        this.txn = clientUrl.resolve("/v3/kv/txn");
        this.put = clientUrl.resolve("/v3/kv/put");
    }

    @Override
    public String system() {
        return "etcd";
    }

    @Override
    public void prepare(int writers) throws IOException, InterruptedException {
        names = new String[writers];
        keys = new String[writers];
        revisions = new long[writers];
        sequences = new long[writers];
        for (int i = 0; i < writers; i++) {
            names[i] = String.format("bench-%04d", i);
            keys[i] = b64("/registry/configmaps/" + ConfigMapBodies.NAMESPACE + "/" + names[i]);
            String body = "{\"key\":\"" + keys[i] + "\",\"value\":\"" + b64(ConfigMapBodies.json(names[i], 0)) + "\"}";
            HttpResponse<String> response = http.send(post(put, body), HttpResponse.BodyHandlers.ofString());
            revisions[i] = headerRevision(checked(response));
        }
    }

    @Override
    public CompletableFuture<WriteOutcome> write(int writer) {
        long sequence = ++sequences[writer];
        long expected = revisions[writer];
        String key = keys[writer];
        String body = "{\"compare\":[{\"key\":\"" + key + "\",\"result\":\"EQUAL\",\"target\":\"MOD\",\"mod_revision\":\""
                + expected + "\"}],\"success\":[{\"request_put\":{\"key\":\"" + key + "\",\"value\":\""
                + b64(ConfigMapBodies.json(names[writer], sequence)) + "\"}}],\"failure\":[{\"request_range\":{\"key\":\""
                + key + "\"}}]}";
        return http.sendAsync(post(txn, body), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            JsonNode answer = parse(checked(response));
            if (answer.path("succeeded").asBoolean(false)) {
                revisions[writer] = answer.path("header").path("revision").asLong();
                return WriteOutcome.ACCEPTED;
            }
            JsonNode kvs = answer.path("responses").path(0).path("response_range").path("kvs");
            if (kvs.size() > 0) {
                revisions[writer] = kvs.get(0).path("mod_revision").asLong();
            }
            return WriteOutcome.rejected("compare failed: mod_revision is not " + expected);
        });
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String checked(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("etcd answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static long headerRevision(String body) {
        long revision = parse(body).path("header").path("revision").asLong(-1);
        if (revision < 0) {
            throw new IllegalStateException("etcd answer without header.revision: " + body);
        }
        return revision;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("etcd answered with something other than JSON: " + body, e);
        }
    }

    private static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
