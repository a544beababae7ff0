package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small structural JSON diff: the leaves (or whole subtrees) that were added, removed or changed, each with a path
 * such as {@code spec.template.spec.containers[0].image}. Object fields are compared by name (sorted), arrays by index.
 */
public final class JsonDiff {
    public enum Op { ADD, REMOVE, CHANGE }

    public record Change(String path, Op op, JsonNode from, JsonNode to) {
        public ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("path", path);
            n.put("op", op.name().toLowerCase());
            if (from != null) {
                n.set("from", from);
            }
            if (to != null) {
                n.set("to", to);
            }
            return n;
        }

        @Override
        public String toString() {
            return switch (op) {
                case ADD -> "+ " + path + ": " + Jsons.brief(to);
                case REMOVE -> "- " + path + ": " + Jsons.brief(from);
                case CHANGE -> "~ " + path + ": " + Jsons.brief(from) + " -> " + Jsons.brief(to);
            };
        }
    }

    private JsonDiff() {
    }

    public static List<Change> diff(JsonNode from, JsonNode to) {
        return diff(from, to, Set.of());
    }

    /** The changes from {@code from} to {@code to}, leaving out the paths in {@code ignored}. */
    public static List<Change> diff(JsonNode from, JsonNode to, Set<String> ignored) {
        List<Change> out = new ArrayList<>();
        walk("", from, to, ignored, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, Set<String> ignored, List<Change> out) {
        if (ignored.contains(path)) {
            return;
        }
        if (a == null && b == null) {
            return;
        }
        if (a == null) {
            out.add(new Change(path, Op.ADD, null, b));
        } else if (b == null) {
            out.add(new Change(path, Op.REMOVE, a, null));
        } else if (a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                walk(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), ignored, out);
            }
        } else if (a.isArray() && b.isArray() && keyOf(a, b) != null) {
            // Lists of named things (containers, conditions, ports…) are matched by name or type, as Kubernetes merges them.
            String key = keyOf(a, b);
            java.util.LinkedHashMap<String, JsonNode[]> pairs = new java.util.LinkedHashMap<>();
            a.forEach(x -> pairs.computeIfAbsent(x.get(key).asText(), k -> new JsonNode[2])[0] = x);
            b.forEach(y -> pairs.computeIfAbsent(y.get(key).asText(), k -> new JsonNode[2])[1] = y);
            pairs.forEach((k, pair) -> walk(path + "[" + key + "=" + k + "]", pair[0], pair[1], ignored, out));
        } else if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                walk(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, ignored, out);
            }
        } else if (!a.equals(b)) {
            out.add(new Change(path, Op.CHANGE, a, b));
        }
    }

    /** Every change as JSON. */
    public static com.fasterxml.jackson.databind.node.ArrayNode toJson(List<Change> changes) {
        var arr = Jsons.JSON.createArrayNode();
        changes.forEach(c -> arr.add(c.toJson()));
        return arr;
    }

    /** "name" or "type" when every element of both arrays is an object with that field as a unique string. */
    static String keyOf(JsonNode a, JsonNode b) {
        for (String key : new String[]{"name", "type"}) {
            if (uniqueKey(a, key) && uniqueKey(b, key) && (a.size() + b.size()) > 0) {
                return key;
            }
        }
        return null;
    }

    private static boolean uniqueKey(JsonNode array, String key) {
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode x : array) {
            if (!x.isObject() || !x.path(key).isTextual() || !seen.add(x.get(key).asText())) {
                return false;
            }
        }
        return true;
    }

    static Iterator<String> names(JsonNode n) {
        return n.fieldNames();
    }
}
