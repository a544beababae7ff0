package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small null-tolerant accessors over Jackson trees: a JSON {@code null} counts as absent, as Go's decoding does. */
final class Json {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    static JsonNode get(JsonNode n, String field) {
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static boolean has(JsonNode n, String field) {
        return get(n, field) != null;
    }

    static ObjectNode obj(JsonNode n, String field) {
        JsonNode v = get(n, field);
        return v instanceof ObjectNode o ? o : null;
    }

    /** The object at {@code field}, created (replacing a null) when absent. */
    static ObjectNode objOrCreate(ObjectNode n, String field) {
        JsonNode v = n.get(field);
        if (v instanceof ObjectNode o) {
            return o;
        }
        ObjectNode o = F.objectNode();
        n.set(field, o);
        return o;
    }

    static ArrayNode arr(JsonNode n, String field) {
        JsonNode v = get(n, field);
        return v instanceof ArrayNode a ? a : null;
    }

    static List<JsonNode> list(JsonNode n, String field) {
        List<JsonNode> out = new ArrayList<>();
        ArrayNode a = arr(n, field);
        if (a != null) {
            a.forEach(out::add);
        }
        return out;
    }

    /** The string at {@code field}, "" when absent or not a string. */
    static String str(JsonNode n, String field) {
        JsonNode v = get(n, field);
        return v != null && v.isTextual() ? v.textValue() : "";
    }

    static void setIfAbsent(ObjectNode n, String field, String value) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
            n.put(field, value);
        }
    }

    static void setIfAbsent(ObjectNode n, String field, long value) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                n.put(field, (int) value);
            } else {
                n.put(field, value);
            }
        }
    }

    static void setIfAbsent(ObjectNode n, String field, boolean value) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            n.put(field, value);
        }
    }

    /** A map[string]string field (non-string values are kept as their text). */
    static Map<String, String> stringMap(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode o = obj(n, field);
        if (o != null) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().isNull() ? "" : e.getValue().toString());
            }
        }
        return out;
    }

    static List<String> keys(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        ObjectNode o = obj(n, field);
        if (o != null) {
            o.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }
}
