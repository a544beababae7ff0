package io.kronika.kubelet.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes objects as Jackson trees: parsing, writing, and the few field reads the kubelet repeats. */
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

    /** Text at a path of field names, or null when any step is missing or null. */
    public static String text(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        return at == null || at.isNull() || at.isMissingNode() ? null : at.asText();
    }

    public static String textOr(JsonNode node, String field, String fallback) {
        String value = text(node, new String[]{field});
        return value == null ? fallback : value;
    }

    public static JsonNode at(JsonNode node, String... path) {
        return JsonTrees.at(node, path);
    }

    public static long longAt(JsonNode node, long fallback, String... path) {
        JsonNode at = at(node, path);
        return at == null || !at.canConvertToLong() ? (at != null && at.isTextual() ? parseLong(at.asText(), fallback) : fallback) : at.asLong();
    }

    private static long parseLong(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public static boolean bool(JsonNode node, String field) {
        JsonNode at = node == null ? null : node.get(field);
        return at != null && at.asBoolean(false);
    }

    /** The elements of the array at a path; empty when it is missing. */
    public static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        List<JsonNode> items = new ArrayList<>();
        if (at != null && at.isArray()) {
            at.forEach(items::add);
        }
        return items;
    }

    /** A string map (labels, annotations, data) at a path; empty when it is missing. */
    public static Map<String, String> stringMap(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        Map<String, String> map = new LinkedHashMap<>();
        if (at != null && at.isObject()) {
            at.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return map;
    }

    public static List<String> strings(JsonNode node, String... path) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : list(node, path)) {
            values.add(item.asText());
        }
        return values;
    }

    /** RFC 3339 with seconds, as Kubernetes writes metav1.Time. */
    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** RFC 3339 with microseconds, as Kubernetes writes metav1.MicroTime (Lease renewTime). */
    public static String microTime(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        String text = DateTimeFormatter.ISO_INSTANT.format(micros);
        if (micros.getNano() == 0) {
            return text.replace("Z", ".000000Z");
        }
        int dot = text.indexOf('.');
        String fraction = text.substring(dot + 1, text.length() - 1);
        return text.substring(0, dot + 1) + (fraction + "000000").substring(0, 6) + "Z";
    }

    public static Instant parseTime(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
