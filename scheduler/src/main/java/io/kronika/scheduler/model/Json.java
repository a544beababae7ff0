package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Small helpers over Jackson trees, shared by the parsers of the model. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonTrees.MAPPER;

    private Json() {
    }

    public static ObjectNode parseObject(String json) {
        return JsonTrees.parseObject(json);
    }

    public static String write(JsonNode node) {
        return JsonTrees.write(node);
    }

    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String text(JsonNode node, String field, String fallback) {
        String v = text(node, field);
        return v == null ? fallback : v;
    }

    public static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return Collections.unmodifiableMap(map);
    }

    public static List<String> strings(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return List.of();
        }
        List<String> list = new ArrayList<>(node.size());
        node.forEach(v -> list.add(v.asText()));
        return List.copyOf(list);
    }

    public static <T> List<T> list(JsonNode node, Function<JsonNode, T> parser) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return List.of();
        }
        List<T> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            T parsed = parser.apply(item);
            if (parsed != null) {
                list.add(parsed);
            }
        }
        return List.copyOf(list);
    }

    public static JsonNode path(JsonNode node, String... fields) {
        JsonNode current = node;
        for (String f : fields) {
            if (current == null) {
                return null;
            }
            current = current.get(f);
        }
        return current == null || current.isNull() ? null : current;
    }
}
