package io.kronika.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.http.ApiRequest;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.Reply;
import io.kronika.gateway.selection.LabelSelector;
import io.kronika.gateway.stream.KubeletEndpoint;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * metrics.k8s.io/v1beta1 ({@code kubectl top}): NodeMetrics and PodMetrics answered from the usage each node's
 * kubelet reports ({@link SummaryClient}), as metrics-server answers them; nodes and pods without figures are left
 * out. Nothing is stored.
 */
public final class MetricsApi {
    public static final String GROUP = "metrics.k8s.io";
    private static final String API_VERSION = GROUP + "/v1beta1";
    private static final String WINDOW = "10s";

    private final GatewayContext gateway;
    private final SummaryClient summaries;

    public MetricsApi(GatewayContext gateway) {
        this.gateway = gateway;
        this.summaries = new SummaryClient(gateway.kubelets());
    }

    public static boolean handles(ResourceType type) {
        return type.group().equals(GROUP);
    }

    public Reply serve(ApiRequest request) {
        gateway.readYourWrites().awaitLatestWrite();
        boolean nodes = request.type().kind().equals("NodeMetrics");
        List<ObjectNode> items = nodes ? nodeMetrics(request) : podMetrics(request);
        if (request.name() != null) {
            if (items.isEmpty()) {
                throw ApiErrors.notFound(request.type(), request.name());
            }
            return Reply.json(200, items.get(0));
        }
        ObjectNode list = Json.newObject();
        list.put("kind", request.type().kind() + "List");
        list.put("apiVersion", API_VERSION);
        list.putObject("metadata");
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        return Reply.json(200, list);
    }

    private List<ObjectNode> nodeMetrics(ApiRequest request) {
        LabelSelector labels = LabelSelector.parse(request.param("labelSelector"));
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode node : objects(ObjectKeys.kindPrefix("", "Node"), request.name())) {
            if (!labels.matches(node.path("metadata").get("labels"))) {
                continue;
            }
            String name = node.path("metadata").path("name").asText();
            summary(node).ifPresent(summary -> {
                ObjectNode metrics = head("NodeMetrics", name, null, node);
                metrics.set("usage", usage(summary.path("node")));
                out.add(metrics);
            });
        }
        return out;
    }

    private List<ObjectNode> podMetrics(ApiRequest request) {
        LabelSelector labels = LabelSelector.parse(request.param("labelSelector"));
        String prefix = request.namespace() == null ? ObjectKeys.kindPrefix("", "Pod") : ObjectKeys.namespacePrefix("", "Pod", request.namespace());
        Map<String, List<JsonNode>> podsByNode = new LinkedHashMap<>();
        for (JsonNode pod : objects(prefix, request.name())) {
            String node = pod.path("spec").path("nodeName").asText("");
            if (!node.isEmpty() && labels.matches(pod.path("metadata").get("labels"))) {
                podsByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        podsByNode.forEach((nodeName, pods) -> gateway.view().get(ObjectKeys.of("", "Node", "", nodeName))
                .map(stored -> (JsonNode) Json.object(stored.json())).flatMap(this::summary).ifPresent(summary -> {
                    for (JsonNode pod : pods) {
                        figures(summary, pod).ifPresent(figures -> {
                            ObjectNode metrics = head("PodMetrics", pod.path("metadata").path("name").asText(),
                                    pod.path("metadata").path("namespace").asText(), pod);
                            ArrayNode containers = metrics.putArray("containers");
                            for (JsonNode container : figures.path("containers")) {
                                containers.addObject().put("name", container.path("name").asText()).set("usage", usage(container));
                            }
                            out.add(metrics);
                        });
                    }
                }));
        return out;
    }

    private Optional<JsonNode> summary(JsonNode node) {
        return KubeletEndpoint.of(node).flatMap(endpoint -> summaries.summary(endpoint, node.path("metadata").path("name").asText()));
    }

    private static Optional<JsonNode> figures(JsonNode summary, JsonNode pod) {
        for (JsonNode candidate : summary.path("pods")) {
            JsonNode ref = candidate.path("podRef");
            if (ref.path("name").asText().equals(pod.path("metadata").path("name").asText())
                    && ref.path("namespace").asText().equals(pod.path("metadata").path("namespace").asText())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private List<JsonNode> objects(String prefix, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (StoredObject stored : gateway.view().list(prefix, gateway.view().appliedRevision(), o -> true, 0, null).items()) {
            JsonNode object = Json.object(stored.json());
            if (name == null || name.equals(object.path("metadata").path("name").asText())) {
                out.add(object);
            }
        }
        return out;
    }

    private static ObjectNode head(String kind, String name, String namespace, JsonNode object) {
        ObjectNode out = Json.newObject();
        out.put("kind", kind);
        out.put("apiVersion", API_VERSION);
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        JsonNode labels = object.path("metadata").path("labels");
        if (labels.isObject()) {
            metadata.set("labels", labels);
        }
        out.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        out.put("window", WINDOW);
        return out;
    }

    /** cpu in nanocores and memory (working set) in KiB, as metrics-server writes them. */
    private static ObjectNode usage(JsonNode figures) {
        ObjectNode usage = Json.newObject();
        usage.put("cpu", figures.path("cpu").path("usageNanoCores").asLong(0) + "n");
        usage.put("memory", figures.path("memory").path("workingSetBytes").asLong(0) / 1024 + "Ki");
        return usage;
    }
}
