package io.kronika.launcher.bench;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** Seeds pods straight through the log, then times full lists of them over HTTP. */
final class ListLatencyProbe {
    private static final Actor ACTOR = Commands.actor("bench", "bench");
    private static final int IN_FLIGHT = 512;
    static final String JSON = "application/json";
    /** What plain {@code kubectl get} asks for: a server-side Table, JSON otherwise. */
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private final HttpClient http;
    private final String apiUrl;
    private final Progress progress;

    ListLatencyProbe(HttpClient http, String apiUrl, Progress progress) {
        this.http = http;
        this.apiUrl = apiUrl;
        this.progress = progress;
    }

    void seedPods(CommandClient client, String namespace, int count) throws Exception {
        client.apply(Commands.create(ObjectKeys.ref("", "Namespace", "", namespace),
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}", ACTOR),
                java.time.Duration.ofSeconds(60));
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String name = "pod-" + i;
            String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\",\"shard\":\""
                    + (i % 10) + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}";
            answers.add(client.submit(Commands.create(ObjectKeys.ref("", "Pod", namespace, name), pod, ACTOR))
                    .whenComplete((r, e) -> inFlight.release()));
            if ((i + 1) % 2000 == 0) {
                progress.line("seeded " + (i + 1) + "/" + count + " pods");
            }
        }
        long refused = answers.stream().map(CompletableFuture::join).filter(r -> r.getOutcome() != Outcome.ACCEPTED).count();
        if (refused > 0) {
            throw new IllegalStateException(refused + " pods were refused while seeding");
        }
    }

    /** Times {@code repetitions} GETs of {@code path}; returns the sorted latencies in nanoseconds and checks the size. */
    long[] time(String path, int repetitions, int expectedItems) throws Exception {
        LatencySamples samples = new LatencySamples();
        for (int i = 0; i < repetitions; i++) {
            samples.add(timeOnce(path, JSON, "items", i == 0 ? expectedItems : -1));
        }
        return LatencySamples.mergeSorted(List.of(samples));
    }

    /**
     * One GET of {@code path} with {@code accept}; returns its latency in nanoseconds (the request sent until the whole
     * body is read). Fails unless the answer is 200 and, when {@code expectedItems} is 0 or more, the array
     * {@code itemsField} of the body ("items" of a list, "rows" of a Table) has that many entries.
     */
    long timeOnce(String path, String accept, String itemsField, int expectedItems) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + path)).header("Accept", accept).GET().build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        if (expectedItems >= 0) {
            int items = countEntries(response.body(), itemsField);
            if (items != expectedItems) {
                throw new IllegalStateException("GET " + path + " (Accept: " + accept + ") answered " + items + " " + itemsField
                        + ", expected " + expectedItems);
            }
        }
        return took;
    }

    private static int countEntries(String json, String field) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path(field).size();
    }
}
