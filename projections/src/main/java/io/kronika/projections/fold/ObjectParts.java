package io.kronika.projections.fold;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An object split into what its owner writes (everything but {@code status}) and what controllers and kubelets
 * report ({@code status}), and the two joined back. The split keeps field order, so join(split(o)) is o, field for
 * field, whenever status is the last field (as the admission processor writes objects).
 */
public record ObjectParts(String spec, String status, String nodeName) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Splits an object; {@code status} is null when the object has none, {@code nodeName} is spec.nodeName or null. */
    public static ObjectParts split(String json) {
        ObjectNode object = parse(json);
        JsonNode status = object.remove("status");
        String node = object.path("spec").path("nodeName").asText("");
        return new ObjectParts(write(object), status == null || status.isNull() ? null : write(status), node.isEmpty() ? null : node);
    }

    /** The full object: the spec part with {@code status} appended (if there is one). */
    public static String join(String spec, String status) {
        ObjectNode object = parse(spec);
        if (status != null) {
            object.set("status", readTree(status));
        }
        return write(object);
    }

    private static ObjectNode parse(String json) {
        if (readTree(json) instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalArgumentException("Not a JSON object: " + abbreviate(json));
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 80 ? String.valueOf(s) : s.substring(0, 80) + "…";
    }
}
