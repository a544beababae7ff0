package io.kronika.gateway.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.openapi.OpenApiDefinitions;

import java.util.ArrayList;
import java.util.List;

/**
 * How structured-merge-diff sees a part of an object, read from its OpenAPI schema as kube-openapi's schemaconv
 * reads it: structs and maps are granular unless {@code x-kubernetes-map-type: atomic}; lists are associative by
 * their {@code x-kubernetes-list-map-keys}, sets, or atomic, falling back to the patch strategy and merge key of
 * lists that declare no list type. No schema (preserved unknown fields) means objects are granular maps and lists
 * atomic.
 */
final class Schema {
    enum Shape { STRUCT, MAP, ASSOCIATIVE_LIST, SET, ATOMIC, SCALAR, UNTYPED }

    static final Schema UNTYPED = new Schema(null);

    private final JsonNode node;

    private Schema(JsonNode node) {
        this.node = node;
    }

    static Schema of(JsonNode node) {
        JsonNode resolved = resolve(node);
        return resolved == null ? UNTYPED : new Schema(resolved);
    }

    /** The schema of a served type: its CRD's for custom resources, the built-in definition otherwise. */
    static Schema forType(ResourceType type) {
        if (type.custom()) {
            return of(type.openApiV3Schema());
        }
        OpenApiDefinitions definitions = OpenApiDefinitions.get();
        return definitions.nameOf(type.group(), type.version(), type.kind()).map(n -> of(definitions.definition(n))).orElse(UNTYPED);
    }

    private static JsonNode resolve(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        JsonNode ref = node.get("$ref");
        if (ref == null && node.path("allOf").size() == 1) {
            ref = node.path("allOf").get(0).get("$ref");
        }
        if (ref != null && ref.asText().startsWith(OpenApiDefinitions.REF_PREFIX)) {
            return OpenApiDefinitions.get().definition(ref.asText().substring(OpenApiDefinitions.REF_PREFIX.length()));
        }
        return node;
    }

    Shape shape() {
        if (node == null) {
            return Shape.UNTYPED;
        }
        if (node.path("x-kubernetes-int-or-string").asBoolean(false) || "int-or-string".equals(node.path("format").asText())) {
            return Shape.SCALAR;
        }
        String type = node.path("type").asText("");
        if (type.equals("array")) {
            String listType = node.path("x-kubernetes-list-type").asText("");
            if (listType.isEmpty() && node.path("x-kubernetes-patch-strategy").asText("").contains("merge")) {
                listType = node.has("x-kubernetes-patch-merge-key") ? "map" : "set";
            }
            return switch (listType) {
                case "map" -> keys().isEmpty() ? Shape.ATOMIC : Shape.ASSOCIATIVE_LIST;
                case "set" -> Shape.SET;
                default -> Shape.ATOMIC;
            };
        }
        if (type.equals("object") || node.has("properties") || node.has("additionalProperties")) {
            if ("atomic".equals(node.path("x-kubernetes-map-type").asText())) {
                return Shape.ATOMIC;
            }
            if (node.path("properties").isObject() && !node.path("properties").isEmpty()) {
                return Shape.STRUCT;
            }
            if (node.path("additionalProperties").isObject()) {
                return Shape.MAP;
            }
            return node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) ? Shape.UNTYPED : Shape.ATOMIC;
        }
        return node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) ? Shape.UNTYPED : Shape.SCALAR;
    }

    /** The schema of field {@code name} of a struct or map. */
    Schema field(String name) {
        if (node == null) {
            return UNTYPED;
        }
        JsonNode property = node.path("properties").get(name);
        if (property != null) {
            return of(property);
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            return of(additional);
        }
        return UNTYPED;
    }

    Schema items() {
        return node == null ? UNTYPED : of(node.get("items"));
    }

    /** The key fields of an associative list. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node == null) {
            return keys;
        }
        node.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        if (keys.isEmpty() && node.has("x-kubernetes-patch-merge-key")) {
            keys.add(node.path("x-kubernetes-patch-merge-key").asText());
        }
        return keys;
    }
}
