package io.kronika.eventstore.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reading and writing Kubernetes objects as JSON trees, and the metadata fields admission touches. */
final class ObjectJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ObjectJson() {
    }

    /** Parses an object, or throws {@link InvalidObjectException} naming what is wrong. */
    static ObjectNode parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidObjectException(400, "BadRequest", "the request carries no object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidObjectException(400, "BadRequest",
                    "the object is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidObjectException(400, "BadRequest", "the object must be a JSON object, not " + node.getNodeType());
        }
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isObject()) {
            throw new InvalidObjectException(422, "Invalid", "metadata: Invalid value: must be an object");
        }
        return object;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode metadata(ObjectNode object) {
        JsonNode metadata = object.get("metadata");
        if (metadata instanceof ObjectNode m) {
            return m;
        }
        return object.putObject("metadata");
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static boolean hasFinalizers(ObjectNode object) {
        JsonNode finalizers = metadata(object).get("finalizers");
        return finalizers != null && finalizers.isArray() && !finalizers.isEmpty();
    }

    static boolean isTerminating(ObjectNode object) {
        return text(metadata(object), "deletionTimestamp") != null;
    }

    /** Kubernetes timestamps are RFC 3339 at second precision. */
    static String timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The object without the fields that do not count as its desired state (metadata, and status where it has its own endpoint). */
    static ObjectNode desiredState(ObjectNode object, boolean statusSubresource) {
        ObjectNode copy = object.deepCopy();
        copy.remove("metadata");
        if (statusSubresource) {
            copy.remove("status");
        }
        return copy;
    }
}
