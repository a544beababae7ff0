package io.kronika.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens many watches over HTTP, writes objects stamped with their send time, and measures how long each event
 * takes to reach each watcher (write sent → watch line received, one JVM so nanoTime is comparable).
 */
final class WatchLatencyProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String apiUrl;
    private final Progress progress;

    WatchLatencyProbe(HttpClient http, String apiUrl, Progress progress) {
        this.http = http;
        this.apiUrl = apiUrl;
        this.progress = progress;
    }

    record Result(int watchers, int writes, long delivered, long[] sortedNanos) {
    }

    Result run(String namespace, int watchers, int writes, int writesPerSecond) throws Exception {
        String collection = apiUrl + "/api/v1/namespaces/" + namespace + "/configmaps";
        String resourceVersion = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(collection)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("metadata").path("resourceVersion").asText();

        List<Watcher> open = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(watchers);
        for (int i = 0; i < watchers; i++) {
            Watcher watcher = new Watcher(connected);
            open.add(watcher);
            HttpRequest request = HttpRequest.newBuilder(URI.create(collection + "?watch=true&resourceVersion=" + resourceVersion)).GET().build();
            // The future completes only when the stream ends; the watcher counts itself connected once the body starts.
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(watcher));
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(connected.getCount() + " of " + watchers + " watches did not open within 60 s");
        }
        progress.line(watchers + " watches open; writing " + writes + " objects at " + writesPerSecond + "/s");

        long intervalNanos = 1_000_000_000L / writesPerSecond;
        long next = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            next += intervalNanos;
            String name = "watched-" + watchers + "-" + i;
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                    + "\"},\"data\":{\"sentNanos\":\"" + System.nanoTime() + "\"}}";
            http.sendAsync(HttpRequest.newBuilder(URI.create(collection)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (open.stream().mapToLong(w -> w.received.get()).sum() < (long) watchers * writes && System.nanoTime() < deadline) {
            Thread.sleep(50); // waiting for a benchmark's stragglers, bounded by the deadline; not a test
        }
        open.forEach(Watcher::cancel);
        long delivered = open.stream().mapToLong(w -> w.received.get()).sum();
        return new Result(watchers, writes, delivered, LatencySamples.mergeSorted(open.stream().map(w -> w.samples).toList()));
    }

    /** One watch stream: parses each line and records the latency of ADDED events. */
    private static final class Watcher implements Flow.Subscriber<String> {
        final LatencySamples samples = new LatencySamples();
        final AtomicLong received = new AtomicLong();
        private final CountDownLatch connected;
        private volatile Flow.Subscription subscription;

        Watcher(CountDownLatch connected) {
            this.connected = connected;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
            connected.countDown();
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            try {
                JsonNode event = JSON.readTree(line);
                if ("ADDED".equals(event.path("type").asText())) {
                    long sent = Long.parseLong(event.path("object").path("data").path("sentNanos").asText("0"));
                    synchronized (samples) {
                        samples.add(now - sent);
                    }
                    received.incrementAndGet();
                }
            } catch (Exception e) {
                // not an event line (e.g. a bookmark without object data): ignore
            }
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }

        void cancel() {
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}
