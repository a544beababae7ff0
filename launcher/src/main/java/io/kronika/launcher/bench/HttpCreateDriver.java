package io.kronika.launcher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Creates ConfigMaps through the Kubernetes REST API over HTTP: what kubectl create does, minus kubectl. */
final class HttpCreateDriver implements WorkloadDriver {
    private final HttpClient http;
    private final String collectionUrl;
    private final AtomicLong sequence = new AtomicLong();

    private final String namePrefix;

    HttpCreateDriver(HttpClient http, String apiUrl, String namespace, String namePrefix) {
        this.http = http;
        this.namePrefix = namePrefix;
        this.collectionUrl = apiUrl + "/api/v1/namespaces/" + namespace + "/configmaps";
    }

    @Override
    public String system() {
        return "http";
    }

    @Override
    public void prepare(int writers) {
    }

    @Override
    public CompletableFuture<WriteOutcome> write(int writer) {
        String name = namePrefix + writer + "-" + sequence.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(collectionUrl))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ConfigMapBodies.json(name, writer)))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() == 201
                        ? WriteOutcome.ACCEPTED
                        : WriteOutcome.rejected("HTTP " + response.statusCode()));
    }
}
