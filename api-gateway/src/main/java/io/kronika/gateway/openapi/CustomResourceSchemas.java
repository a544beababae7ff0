package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definitions of a custom resource from its CRD version's openAPIV3Schema, named as kube-apiserver names them
 * (the group reversed: {@code com.example.stable.v1.CronTab}) with apiVersion, kind and metadata filled in, and
 * its List kind.
 */
final class CustomResourceSchemas {
    private CustomResourceSchemas() {
    }

    static String name(ResourceType type, String kind) {
        List<String> labels = new java.util.ArrayList<>(List.of(type.group().split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels) + "." + type.version() + "." + kind;
    }

    /** The object and list definitions; {@code v2} drops what OpenAPI v2 cannot say (nullable, anyOf, oneOf, not). */
    static Map<String, JsonNode> definitions(ResourceType type, boolean v2) {
        ObjectNode schema = type.openApiV3Schema() instanceof ObjectNode s ? s.deepCopy() : Json.newObject().put("type", "object");
        if (v2) {
            strip(schema);
        }
        ObjectNode properties = schema.with("properties");
        properties.set("apiVersion", Json.newObject().put("type", "string").put("description",
                "APIVersion defines the versioned schema of this representation of an object."));
        properties.set("kind", Json.newObject().put("type", "string").put("description",
                "Kind is a string value representing the REST resource this object represents."));
        properties.set("metadata", Json.newObject().put("$ref", OpenApiDefinitions.REF_PREFIX + OpenApiDefinitions.OBJECT_META)
                .put("description", "Standard object's metadata."));
        schema.set("x-kubernetes-group-version-kind", gvk(type, type.kind()));
        ObjectNode list = Json.newObject();
        list.put("description", type.listKind() + " is a list of " + type.kind());
        list.putArray("required").add("items");
        ObjectNode listProperties = list.putObject("properties");
        listProperties.set("apiVersion", properties.get("apiVersion"));
        listProperties.putObject("items").put("type", "array").putObject("items")
                .put("$ref", OpenApiDefinitions.REF_PREFIX + name(type, type.kind()));
        listProperties.set("kind", properties.get("kind"));
        listProperties.set("metadata", Json.newObject().put("$ref", OpenApiDefinitions.REF_PREFIX + OpenApiDefinitions.LIST_META));
        list.put("type", "object");
        list.set("x-kubernetes-group-version-kind", gvk(type, type.listKind()));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put(name(type, type.kind()), schema);
        out.put(name(type, type.listKind()), list);
        return out;
    }

    private static ArrayNode gvk(ResourceType type, String kind) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        array.addObject().put("group", type.group()).put("kind", kind).put("version", type.version());
        return array;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("nullable", "anyOf", "oneOf", "allOf", "not"));
            object.fields().forEachRemaining(field -> {
                switch (field.getKey()) {
                    case "properties", "patternProperties", "definitions" -> field.getValue().forEach(CustomResourceSchemas::strip);
                    case "default", "enum", "example" -> {
                    }
                    default -> strip(field.getValue());
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(CustomResourceSchemas::strip);
        }
    }
}
