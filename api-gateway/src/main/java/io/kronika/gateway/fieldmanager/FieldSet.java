package io.kronika.gateway.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of field paths, as structured-merge-diff keeps them and FieldsV1 serializes them: a trie whose edges are
 * path elements ({@code f:name} a field, {@code k:{"name":"c"}} a list item by key, {@code v:"x"} a set item,
 * {@code i:0} an index) and whose nodes are members of the set when marked ({@code ".": {}} when they also have
 * children, {@code {}} when they are leaves).
 */
final class FieldSet {
    private final TreeMap<String, FieldSet> children = new TreeMap<>();
    private boolean member;

    static FieldSet fromFieldsV1(JsonNode fields) {
        FieldSet set = new FieldSet();
        if (fields != null && fields.isObject()) {
            set.read(fields);
        }
        return set;
    }

    private void read(JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(".")) {
                member = true;
                continue;
            }
            FieldSet child = children.computeIfAbsent(field.getKey(), k -> new FieldSet());
            if (field.getValue().isEmpty()) {
                child.member = true;
            } else {
                child.read(field.getValue());
            }
        }
    }

    ObjectNode toFieldsV1() {
        ObjectNode out = Json.newObject();
        if (member && !children.isEmpty()) {
            out.putObject(".");
        }
        children.forEach((element, child) -> {
            if (!child.isEmpty()) {
                out.set(element, child.toFieldsV1());
            }
        });
        return out;
    }

    void add(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.computeIfAbsent(element, k -> new FieldSet());
        }
        node.member = true;
    }

    boolean contains(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.get(element);
            if (node == null) {
                return false;
            }
        }
        return node.member;
    }

    boolean isEmpty() {
        if (member) {
            return false;
        }
        for (FieldSet child : children.values()) {
            if (!child.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Every member path, depth first in element order. */
    List<List<String>> paths() {
        List<List<String>> out = new ArrayList<>();
        collect(new ArrayList<>(), out);
        return out;
    }

    private void collect(List<String> prefix, List<List<String>> out) {
        if (member) {
            out.add(List.copyOf(prefix));
        }
        children.forEach((element, child) -> {
            prefix.add(element);
            child.collect(prefix, out);
            prefix.remove(prefix.size() - 1);
        });
    }

    FieldSet union(FieldSet other) {
        FieldSet out = copy();
        other.paths().forEach(out::add);
        return out;
    }

    FieldSet difference(FieldSet other) {
        FieldSet out = new FieldSet();
        for (List<String> path : paths()) {
            if (!other.contains(path)) {
                out.add(path);
            }
        }
        return out;
    }

    FieldSet intersection(FieldSet other) {
        FieldSet out = new FieldSet();
        for (List<String> path : paths()) {
            if (other.contains(path)) {
                out.add(path);
            }
        }
        return out;
    }

    FieldSet copy() {
        FieldSet out = new FieldSet();
        paths().forEach(out::add);
        return out;
    }

    /** A path as structured-merge-diff prints it in conflicts: {@code .spec.containers[name="c"].image}. */
    static String describe(List<String> path) {
        StringBuilder out = new StringBuilder();
        for (String element : path) {
            String body = element.substring(2);
            switch (element.charAt(0)) {
                case 'f' -> out.append('.').append(body);
                case 'k' -> {
                    List<String> keys = new ArrayList<>();
                    Json.object(body).fields().forEachRemaining(e -> keys.add(e.getKey() + "=" + e.getValue()));
                    out.append('[').append(String.join(",", keys)).append(']');
                }
                case 'v' -> out.append("[=").append(body).append(']');
                default -> out.append('[').append(body).append(']');
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }
}
