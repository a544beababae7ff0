package io.kronika.gateway.fieldmanager;

import io.kronika.gateway.api.JsonValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

/**
 * Merging an applied configuration into the live object, as structured-merge-diff merges: granular structs and
 * maps field by field, associative lists item by key (live order, new items appended), sets by value, atomic
 * values replaced whole.
 */
final class Merge {
    private Merge() {
    }

    static JsonNode merge(Schema schema, JsonNode live, JsonNode config) {
        if (config == null) {
            return live == null ? null : live.deepCopy();
        }
        if (live == null || live.isNull() || config.isNull()) {
            return config.deepCopy();
        }
        Schema.Shape shape = Paths.effective(schema, config);
        if (Paths.effective(schema, live) != shape) {
            return config.deepCopy();
        }
        switch (shape) {
            case STRUCT, MAP, UNTYPED -> {
                ObjectNode out = ((ObjectNode) live).deepCopy();
                config.fields().forEachRemaining(field ->
                        out.set(field.getKey(), merge(schema.field(field.getKey()), live.get(field.getKey()), field.getValue())));
                return out;
            }
            case ASSOCIATIVE_LIST -> {
                ArrayNode out = ((ArrayNode) live).deepCopy();
                for (JsonNode item : config) {
                    int index = Paths.indexOfKey(out, key(item, schema));
                    if (index >= 0) {
                        out.set(index, merge(schema.items(), out.get(index), item));
                    } else {
                        out.add(item.deepCopy());
                    }
                }
                return out;
            }
            case SET -> {
                ArrayNode out = ((ArrayNode) live).deepCopy();
                for (JsonNode item : config) {
                    boolean present = false;
                    for (JsonNode existing : out) {
                        present |= JsonValues.same(existing, item);
                    }
                    if (!present) {
                        out.add(item.deepCopy());
                    }
                }
                return out;
            }
            default -> {
                return config.deepCopy();
            }
        }
    }

    /** Key fields of list items that kube-apiserver defaults before applying (ports' protocol). */
    private static final java.util.Map<String, String> KEY_DEFAULTS = java.util.Map.of("protocol", "TCP");

    /**
     * Fills in, in place, the key fields an applied list item leaves out: those the API server defaults, and those
     * of the one live item that matches the keys it gives, so items are known by the same key as in the live object.
     */
    static void alignKeys(Schema schema, JsonNode live, JsonNode config) {
        if (config == null) {
            return;
        }
        Schema.Shape shape = Paths.effective(schema, config);
        boolean liveMatches = live != null && shape == Paths.effective(schema, live);
        switch (shape) {
            case STRUCT, MAP, UNTYPED -> config.fields().forEachRemaining(field ->
                    alignKeys(schema.field(field.getKey()), liveMatches ? live.get(field.getKey()) : null, field.getValue()));
            case ASSOCIATIVE_LIST -> {
                for (JsonNode item : config) {
                    if (!(item instanceof ObjectNode object)) {
                        continue;
                    }
                    for (String key : schema.keys()) {
                        if (!object.has(key) && KEY_DEFAULTS.containsKey(key)) {
                            object.put(key, KEY_DEFAULTS.get(key));
                        }
                    }
                    int index = liveMatches ? Paths.indexOfKey((ArrayNode) live, key(item, schema)) : -1;
                    JsonNode match = index < 0 ? null : live.get(index);
                    if (match != null) {
                        for (String key : schema.keys()) {
                            if (!object.has(key) && match.has(key)) {
                                object.set(key, match.get(key).deepCopy());
                            }
                        }
                    }
                    alignKeys(schema.items(), match, item);
                }
            }
            default -> {
            }
        }
    }

    private static JsonNode key(JsonNode item, Schema list) {
        ObjectNode key = Json.newObject();
        for (String field : list.keys()) {
            JsonNode value = item.get(field);
            if (value != null && !value.isNull()) {
                key.set(field, value);
            }
        }
        return key;
    }
}
