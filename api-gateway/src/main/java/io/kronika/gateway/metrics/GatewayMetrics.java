package io.kronika.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The gateway's Prometheus metrics, named as kube-apiserver names its own: {@code apiserver_request_total} and
 * {@code apiserver_request_duration_seconds} by verb, group, version, resource and subresource (the counter also by code),
 * {@code apiserver_longrunning_requests} for open watches, and {@code kronika_projection_lag_revisions}.
 */
public final class GatewayMetrics {
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(400), Duration.ofMillis(600), Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofMillis(1250),
            Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5),
            Duration.ofSeconds(6), Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(45), Duration.ofSeconds(60)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger openWatches = new AtomicInteger();

    /** One request's labels. Verbs are upper case as in kube-apiserver's metrics (GET, LIST, WATCH, POST, …). */
    public record RequestLabels(String verb, String group, String version, String resource, String subresource) {
    }

    public GatewayMetrics(LongSupplier projectionLag) {
        Gauge.builder("kronika.projection.lag.revisions", projectionLag, s -> (double) s.getAsLong())
                .description("Revisions accepted into the log that the gateway's projections have not applied yet")
                .strongReference(true)
                .register(registry);
        Gauge.builder("apiserver.longrunning.requests", openWatches, AtomicInteger::get)
                .description("Open long-running requests (watches)")
                .tags("verb", "WATCH")
                .strongReference(true)
                .register(registry);
    }

    public void record(RequestLabels labels, int code, long nanos) {
        Tags tags = Tags.of("verb", labels.verb(), "group", labels.group(), "version", labels.version(),
                "resource", labels.resource(), "subresource", labels.subresource());
        Counter.builder("apiserver.request").description("Requests by verb, resource and HTTP code")
                .tags(tags.and("code", String.valueOf(code))).register(registry).increment();
        Timer.builder("apiserver.request.duration").description("Request latency by verb and resource")
                .tags(tags)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    public void watchOpened() {
        openWatches.incrementAndGet();
    }

    public void watchClosed() {
        openWatches.decrementAndGet();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        registry.close();
    }
}
