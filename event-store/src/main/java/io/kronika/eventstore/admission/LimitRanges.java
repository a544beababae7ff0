package io.kronika.eventstore.admission;

import io.kronika.schemas.k8s.Quantity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectRef;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LimitRanger as Kubernetes has it for pods: the {@code Container} items' default limits and default requests filled
 * into containers that lack them, then min, max and maxLimitRequestRatio checked per container and min and max of
 * {@code Pod} items on the pod's totals.
 */
final class LimitRanges {
    static final String ANNOTATION = "kubernetes.io/limit-ranger";

    private LimitRanges() {
    }

    /** Fills defaults into {@code pod} and checks it against every LimitRange of its namespace (in key order). */
    static void admit(ObjectRef ref, ObjectNode pod, List<JsonNode> limitRanges) {
        List<String> set = new ArrayList<>();
        for (JsonNode lr : limitRanges) {
            for (JsonNode item : lr.path("spec").path("limits")) {
                if ("Container".equals(item.path("type").asText())) {
                    applyDefaults(pod, item, set);
                }
            }
        }
        if (!set.isEmpty()) {
            ObjectJson.metadata(pod).with("annotations").put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", set));
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode lr : limitRanges) {
            for (JsonNode item : lr.path("spec").path("limits")) {
                String type = item.path("type").asText();
                if ("Container".equals(type)) {
                    for (PodResources.Container c : PodResources.containers(pod)) {
                        validate("Container", item, c.requests(), c.limits(), errors);
                    }
                } else if ("Pod".equals(type)) {
                    validate("Pod", item, PodResources.requests(pod), PodResources.limits(pod), errors);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ResourceQuotas.forbidden(ref, errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        }
    }

    private static void applyDefaults(ObjectNode pod, JsonNode item, List<String> set) {
        // LimitRange defaulting: default limit from max; default request from default limit, then from min.
        Map<String, JsonNode> defaults = new TreeMap<>();
        fields(item.path("max")).forEach(defaults::putIfAbsent);
        Map<String, JsonNode> defaultLimits = new TreeMap<>(fields(item.path("default")));
        defaults.forEach(defaultLimits::putIfAbsent);
        Map<String, JsonNode> defaultRequests = new TreeMap<>(fields(item.path("defaultRequest")));
        defaultLimits.forEach(defaultRequests::putIfAbsent);
        fields(item.path("min")).forEach(defaultRequests::putIfAbsent);
        for (String field : new String[]{"initContainers", "containers"}) {
            for (JsonNode c : pod.path("spec").path(field)) {
                if (!(c instanceof ObjectNode container)) {
                    continue;
                }
                ObjectNode resources = container.with("resources");
                List<String> requestsSet = fill(resources, "requests", defaultRequests, resources.path("limits"));
                List<String> limitsSet = fill(resources, "limits", defaultLimits, null);
                String name = container.path("name").asText();
                if (!requestsSet.isEmpty()) {
                    set.add(String.join(", ", requestsSet) + " request for " + (field.equals("containers") ? "" : "init ") + "container " + name);
                }
                if (!limitsSet.isEmpty()) {
                    set.add(String.join(", ", limitsSet) + " limit for " + (field.equals("containers") ? "" : "init ") + "container " + name);
                }
            }
        }
    }

    /** Sets the defaults a container lacks; a request is not defaulted where the container already has a limit (that is its request). */
    private static List<String> fill(ObjectNode resources, String kind, Map<String, JsonNode> defaults, JsonNode limits) {
        List<String> set = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : defaults.entrySet()) {
            JsonNode existing = resources.path(kind).get(d.getKey());
            if (existing == null && (limits == null || !limits.has(d.getKey()))) {
                resources.with(kind).set(d.getKey(), d.getValue().deepCopy());
                set.add(d.getKey());
            }
        }
        return set;
    }

    private static void validate(String type, JsonNode item, Map<String, Quantity> requests, Map<String, Quantity> limits, List<String> errors) {
        for (Map.Entry<String, Quantity> min : PodResources.quantities(item.path("min"), "min").entrySet()) {
            String r = min.getKey();
            Quantity request = requests.get(r);
            Quantity limit = limits.get(r);
            if (request == null) {
                errors.add("minimum " + r + " usage per " + type + " is " + min.getValue() + ".  No request is specified");
            } else if (request.compareTo(min.getValue()) < 0) {
                errors.add("minimum " + r + " usage per " + type + " is " + min.getValue() + ", but request is " + request);
            }
            if (limit != null && limit.compareTo(min.getValue()) < 0) {
                errors.add("minimum " + r + " usage per " + type + " is " + min.getValue() + ", but limit is " + limit);
            }
        }
        for (Map.Entry<String, Quantity> max : PodResources.quantities(item.path("max"), "max").entrySet()) {
            String r = max.getKey();
            Quantity limit = limits.get(r);
            if (limit == null) {
                errors.add("maximum " + r + " usage per " + type + " is " + max.getValue() + ".  No limit is specified");
            } else if (limit.compareTo(max.getValue()) > 0) {
                errors.add("maximum " + r + " usage per " + type + " is " + max.getValue() + ", but limit is " + limit);
            }
        }
        for (Map.Entry<String, Quantity> ratio : PodResources.quantities(item.path("maxLimitRequestRatio"), "maxLimitRequestRatio").entrySet()) {
            String r = ratio.getKey();
            Quantity limit = limits.get(r);
            Quantity request = requests.get(r);
            if (limit == null) {
                errors.add(r + " max limit to request ratio per " + type + " is " + ratio.getValue() + ", but no limit is specified");
            } else if (request == null || request.signum() == 0) {
                errors.add(r + " max limit to request ratio per " + type + " is " + ratio.getValue() + ", but no request is specified or request is 0");
            } else {
                BigDecimal actual = limit.toBigDecimal().divide(request.toBigDecimal(), 3, RoundingMode.HALF_UP);
                if (actual.compareTo(ratio.getValue().toBigDecimal()) > 0) {
                    errors.add(r + " max limit to request ratio per " + type + " is " + ratio.getValue() + ", but provided ratio is "
                            + actual.stripTrailingZeros().toPlainString());
                }
            }
        }
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }
}
