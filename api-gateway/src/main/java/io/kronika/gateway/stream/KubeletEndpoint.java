package io.kronika.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.Optional;

/**
 * Where a node's kubelet serves logs, exec, port-forward and usage: the {@code kronika.io/kubelet-endpoint}
 * annotation ({@code http://host:port}, or {@code https://} when the kubelet serves TLS and wants a client certificate)
 * the kubelet writes on its Node, else Kubernetes' way, the node's InternalIP (or Hostname, ExternalIP) and
 * {@code status.daemonEndpoints.kubeletEndpoint.Port} (then plain HTTP: Kronika's kubelets always annotate).
 */
public record KubeletEndpoint(String host, int port, boolean tls) {
    public static final String ANNOTATION = "kronika.io/kubelet-endpoint";
    static final int DEFAULT_PORT = 10250;

    public static Optional<KubeletEndpoint> of(JsonNode node) {
        String annotated = node.path("metadata").path("annotations").path(ANNOTATION).asText("");
        if (!annotated.isEmpty()) {
            try {
                URI uri = URI.create(annotated);
                if (uri.getHost() != null) {
                    return Optional.of(new KubeletEndpoint(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT,
                            "https".equalsIgnoreCase(uri.getScheme())));
                }
            } catch (IllegalArgumentException e) {
                // fall back to the node's status
            }
        }
        JsonNode status = node.path("status");
        for (String type : new String[]{"InternalIP", "Hostname", "ExternalIP"}) {
            for (JsonNode address : status.path("addresses")) {
                if (type.equals(address.path("type").asText()) && !address.path("address").asText("").isEmpty()) {
                    return Optional.of(new KubeletEndpoint(address.path("address").asText(),
                            status.path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(DEFAULT_PORT), false));
                }
            }
        }
        return Optional.empty();
    }
}
