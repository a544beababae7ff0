package io.kronika.gateway.fieldmanager;

import io.kronika.gateway.api.JsonValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Field paths over JSON objects: the set of paths an object sets (its fields, list items by key, set items, and
 * atomic values as leaves), finding the value at a path, and removing it.
 */
final class Paths {
    private Paths() {
    }

    /** Every path {@code object} sets under {@code schema} (the root itself is not a member). */
    static FieldSet of(Schema schema, JsonNode object) {
        FieldSet set = new FieldSet();
        collect(schema, object, new ArrayList<>(), set);
        return set;
    }

    private static void collect(Schema schema, JsonNode value, List<String> path, FieldSet out) {
        if (value == null || value.isNull()) {
            if (!path.isEmpty()) {
                out.add(path);
            }
            return;
        }
        Schema.Shape shape = effective(schema, value);
        switch (shape) {
            case STRUCT, MAP, UNTYPED -> {
                if (value.isEmpty() && !path.isEmpty()) {
                    out.add(path);
                }
                value.fields().forEachRemaining(field -> {
                    path.add("f:" + field.getKey());
                    collect(schema.field(field.getKey()), field.getValue(), path, out);
                    path.remove(path.size() - 1);
                });
            }
            case ASSOCIATIVE_LIST -> {
                if (value.isEmpty()) {
                    out.add(path);
                }
                for (JsonNode item : value) {
                    path.add(keyElement(item, schema.keys()));
                    out.add(path);
                    collect(schema.items(), item, path, out);
                    path.remove(path.size() - 1);
                }
            }
            case SET -> {
                if (value.isEmpty()) {
                    out.add(path);
                }
                for (JsonNode item : value) {
                    path.add("v:" + Json.write(item));
                    out.add(path);
                    path.remove(path.size() - 1);
                }
            }
            default -> out.add(path);
        }
    }

    /** The shape the value actually has: a schema that expects a container but meets a scalar treats it as a leaf. */
    static Schema.Shape effective(Schema schema, JsonNode value) {
        Schema.Shape shape = schema.shape();
        return switch (shape) {
            case STRUCT, MAP, UNTYPED -> value.isObject() ? shape : Schema.Shape.ATOMIC;
            case ASSOCIATIVE_LIST, SET -> value.isArray() ? shape : Schema.Shape.ATOMIC;
            default -> shape;
        };
    }

    /** {@code k:{"name":"c1"}}: the item's key fields, sorted by name. */
    static String keyElement(JsonNode item, List<String> keys) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        for (String key : keys) {
            JsonNode value = item.get(key);
            if (value != null && !value.isNull()) {
                sorted.put(key, value);
            }
        }
        ObjectNode out = Json.newObject();
        sorted.forEach(out::set);
        return "k:" + Json.write(out);
    }

    /** The value at {@code path}, or null. */
    static JsonNode at(JsonNode root, List<String> path) {
        JsonNode node = root;
        for (String element : path) {
            if (node == null) {
                return null;
            }
            node = child(node, element);
        }
        return node;
    }

    private static JsonNode child(JsonNode node, String element) {
        String body = element.substring(2);
        return switch (element.charAt(0)) {
            case 'f' -> node.isObject() ? node.get(body) : null;
            case 'k' -> node.isArray() ? node.get(indexOfKey((ArrayNode) node, Json.object(body))) : null;
            case 'v' -> node.isArray() ? node.get(indexOfValue((ArrayNode) node, parse(body))) : null;
            default -> node.isArray() ? node.get(Integer.parseInt(body)) : null;
        };
    }

    /** Removes the value at {@code path}; nothing when it is not there. */
    static void remove(JsonNode root, List<String> path) {
        if (path.isEmpty()) {
            return;
        }
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        String element = path.get(path.size() - 1);
        String body = element.substring(2);
        if (parent instanceof ObjectNode object && element.startsWith("f:")) {
            object.remove(body);
        } else if (parent instanceof ArrayNode array) {
            int index = switch (element.charAt(0)) {
                case 'k' -> indexOfKey(array, Json.object(body));
                case 'v' -> indexOfValue(array, parse(body));
                default -> Integer.parseInt(body);
            };
            if (index >= 0) {
                array.remove(index);
            }
        }
    }

    /** The index of the item whose key fields equal {@code key} (fields the key lacks match anything), or -1. */
    static int indexOfKey(ArrayNode array, JsonNode key) {
        for (int i = 0; i < array.size(); i++) {
            boolean matches = true;
            var fields = key.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (!JsonValues.same(array.get(i).get(field.getKey()), field.getValue())) {
                    matches = false;
                    break;
                }
            }
            if (matches) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfValue(ArrayNode array, JsonNode value) {
        for (int i = 0; i < array.size(); i++) {
            if (JsonValues.same(array.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return Json.MAPPER.getNodeFactory().textNode(json);
        }
    }
}
