package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fields of an object its schema does not know, as kube-apiserver's strict decoding names them
 * ({@code spec.template.spec.containers[0].foo}), removed from the object as decoding into Go structs drops them.
 * Objects that preserve unknown fields, free-form objects and maps are not looked into.
 */
public final class UnknownFields {
    private UnknownFields() {
    }

    /** Removes the unknown fields of a built-in kind; empty when the kind has no definition. */
    public static List<String> prune(String group, String version, String kind, ObjectNode object) {
        OpenApiDefinitions definitions = OpenApiDefinitions.get();
        return definitions.nameOf(group, version, kind)
                .map(name -> prune(definitions.definition(name), object))
                .orElse(List.of());
    }

    /**
     * Removes the fields a custom resource's schema does not know; apiVersion, kind and metadata are every custom
     * resource's whatever its schema says.
     */
    public static List<String> pruneCustom(JsonNode schema, ObjectNode object) {
        ObjectNode rest = object.deepCopy();
        rest.remove(List.of("apiVersion", "kind", "metadata"));
        List<String> unknown = prune(schema, rest);
        object.retain(List.of("apiVersion", "kind", "metadata"));
        object.setAll(rest);
        return unknown;
    }

    /** Removes the fields {@code schema} does not know; {@code $ref}s resolve against the built-in definitions. */
    public static List<String> prune(JsonNode schema, ObjectNode object) {
        List<String> unknown = new ArrayList<>();
        walk(schema, object, "", unknown);
        return unknown;
    }

    private static void walk(JsonNode schema, JsonNode value, String path, List<String> unknown) {
        schema = resolve(schema);
        if (schema == null || value == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            if (properties != null && properties.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                    JsonNode property = properties.get(field.getKey());
                    if (property == null) {
                        unknown.add(at);
                        fields.remove();
                    } else {
                        walk(property, field.getValue(), at, unknown);
                    }
                }
            } else if (additional != null && additional.isObject()) {
                object.fields().forEachRemaining(field -> walk(additional, field.getValue(), path + "." + field.getKey(), unknown));
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), path + "[" + i + "]", unknown);
            }
        }
    }

    private static JsonNode resolve(JsonNode schema) {
        if (schema == null) {
            return null;
        }
        JsonNode ref = schema.get("$ref");
        if (ref == null && schema.path("allOf").size() == 1) {
            ref = schema.path("allOf").get(0).get("$ref");
        }
        if (ref != null && ref.isTextual() && ref.asText().startsWith(OpenApiDefinitions.REF_PREFIX)) {
            return OpenApiDefinitions.get().definition(ref.asText().substring(OpenApiDefinitions.REF_PREFIX.length()));
        }
        return schema;
    }
}
