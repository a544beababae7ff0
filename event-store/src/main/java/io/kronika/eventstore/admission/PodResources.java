package io.kronika.eventstore.admission;

import io.kronika.schemas.k8s.Quantity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The resources of pods as quota and limit ranges see them: per container, and the pod's effective total. */
public final class PodResources {
    private PodResources() {
    }

    /** One container's requests and limits; a request missing where a limit is set is the limit (API defaulting). */
    public record Container(String name, boolean init, Map<String, Quantity> requests, Map<String, Quantity> limits) {
    }

    public static List<Container> containers(JsonNode pod) {
        List<Container> out = new ArrayList<>();
        for (String field : new String[]{"initContainers", "containers"}) {
            JsonNode list = pod.path("spec").path(field);
            for (JsonNode c : list) {
                Map<String, Quantity> limits = quantities(c.path("resources").path("limits"), field);
                Map<String, Quantity> requests = new TreeMap<>(limits);
                requests.putAll(quantities(c.path("resources").path("requests"), field));
                out.add(new Container(c.path("name").asText(""), field.equals("initContainers"), requests, limits));
            }
        }
        return out;
    }

    /** The pod's effective requests: the larger of the sum over containers and each init container, plus overhead. */
    public static Map<String, Quantity> requests(JsonNode pod) {
        return total(pod, true);
    }

    public static Map<String, Quantity> limits(JsonNode pod) {
        return total(pod, false);
    }

    private static Map<String, Quantity> total(JsonNode pod, boolean requests) {
        Map<String, Quantity> sum = new TreeMap<>();
        List<Container> all = containers(pod);
        for (Container c : all) {
            if (!c.init()) {
                (requests ? c.requests() : c.limits()).forEach((r, q) -> sum.merge(r, q, Quantity::add));
            }
        }
        for (Container c : all) {
            if (c.init()) {
                (requests ? c.requests() : c.limits()).forEach((r, q) -> sum.merge(r, q, Quantity::max));
            }
        }
        quantities(pod.path("spec").path("overhead"), "overhead").forEach((r, q) -> sum.merge(r, q, Quantity::add));
        return sum;
    }

    static Map<String, Quantity> quantities(JsonNode list, String field) {
        Map<String, Quantity> out = new TreeMap<>();
        if (list instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> {
                try {
                    out.put(e.getKey(), Quantity.parse(e.getValue().asText().trim()));
                } catch (IllegalArgumentException bad) {
                    throw new InvalidObjectException(422, "Invalid", "spec." + field + ".resources: Invalid value: \""
                            + e.getValue().asText() + "\": " + bad.getMessage());
                }
            });
        }
        return out;
    }
}
