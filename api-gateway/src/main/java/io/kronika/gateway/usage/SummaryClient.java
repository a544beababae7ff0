package io.kronika.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.stream.KubeletClients;
import io.kronika.gateway.stream.KubeletEndpoint;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a node's usage from its kubelet: {@code GET /stats/summary?node=NAME}, the Summary API shape metrics-server
 * reads (node cpu.usageNanoCores and memory.workingSetBytes; pods with their containers). Blocking; a node that
 * does not answer in time has no figures.
 */
final class SummaryClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final KubeletClients kubelets;

    SummaryClient(KubeletClients kubelets) {
        this.kubelets = kubelets;
    }

    Optional<JsonNode> summary(KubeletEndpoint endpoint, String node) {
        URI uri = URI.create((endpoint.tls() ? "https://" : "http://") + endpoint.host() + ":" + endpoint.port() + "/stats/summary?node="
                + URLEncoder.encode(node, StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> response = kubelets.forEndpoint(endpoint.tls()).blocking().send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(Json.MAPPER.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
