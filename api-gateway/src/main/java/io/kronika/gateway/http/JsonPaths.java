package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Dot-separated JSON paths as CRDs write them ({@code .spec.replicas}); no arrays. */
public final class JsonPaths {
    private JsonPaths() {
    }

    public static JsonNode get(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : parts(path)) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** Sets the value at {@code path}, creating the objects on the way. */
    public static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = parts(path);
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.get(parts[i]);
            node = next instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static String[] parts(String path) {
        String trimmed = path.startsWith(".") ? path.substring(1) : path;
        return trimmed.split("\\.");
    }
}
