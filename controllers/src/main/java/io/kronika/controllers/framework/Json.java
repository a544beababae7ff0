package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON helpers for Kubernetes objects held as Jackson trees. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonTrees.MAPPER;

    private Json() {
    }

    public static ObjectNode parse(String json) {
        return JsonTrees.parseObject(json);
    }

    public static String write(JsonNode node) {
        return JsonTrees.write(node);
    }

    public static ObjectNode object() {
        return JsonTrees.object();
    }

    public static ArrayNode array() {
        return JsonTrees.array();
    }

    /** The text at a path of field names, or null when absent or not a value. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n == null || n.isNull() || n.isMissingNode() || n.isContainerNode() ? null : n.asText();
    }

    public static JsonNode at(JsonNode node, String... path) {
        return JsonTrees.at(node, path);
    }

    public static long longAt(JsonNode node, long fallback, String... path) {
        JsonNode n = at(node, path);
        return n == null || n.isNull() || !n.canConvertToLong() && !n.isTextual() ? fallback : n.asLong(fallback);
    }

    public static ObjectNode metadata(ObjectNode object) {
        return object.with("metadata");
    }

    public static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }

    public static String namespace(JsonNode object) {
        String ns = text(object, "metadata", "namespace");
        return ns == null ? "" : ns;
    }

    public static String uid(JsonNode object) {
        return text(object, "metadata", "uid");
    }

    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    public static Map<String, String> labels(JsonNode object) {
        return stringMap(at(object, "metadata", "labels"));
    }

    public static Map<String, String> annotations(JsonNode object) {
        return stringMap(at(object, "metadata", "annotations"));
    }

    public static boolean isTerminating(JsonNode object) {
        return text(object, "metadata", "deletionTimestamp") != null;
    }

    public static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static Instant instant(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The condition of {@code type} in {@code status.conditions}, or null. */
    public static ObjectNode condition(JsonNode object, String type) {
        JsonNode conditions = at(object, "status", "conditions");
        if (conditions != null && conditions.isArray()) {
            for (JsonNode c : conditions) {
                if (type.equals(text(c, "type")) && c instanceof ObjectNode o) {
                    return o;
                }
            }
        }
        return null;
    }

    public static boolean conditionTrue(JsonNode object, String type) {
        ObjectNode c = condition(object, type);
        return c != null && "True".equals(text(c, "status"));
    }

    /** An int-or-percent against {@code total} (surge rounds up, unavailability down, as Kubernetes does); {@code fallback} when absent. */
    public static int intOrPercent(JsonNode value, int total, boolean roundUp, String fallback) {
        String v = value == null || value.isNull() ? fallback : value.asText();
        if (v.endsWith("%")) {
            double pct = Double.parseDouble(v.substring(0, v.length() - 1));
            double exact = total * pct / 100.0;
            return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
        }
        return Integer.parseInt(v);
    }
}
