package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The first value of a built-in object whose JSON type its schema does not allow, as decoding into the Go structs
 * refuses it ({@code json: cannot unmarshal bool into Go struct field .spec.replicas of type int32}). null is every
 * field's zero value; quantities take numbers as well as strings, int-or-string fields integers or strings.
 */
public final class FieldTypes {
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private FieldTypes() {
    }

    /** The mismatch in {@code object} of a built-in kind, if there is one (empty when the kind has no definition). */
    public static Optional<String> mismatch(String group, String version, String kind, JsonNode object) {
        OpenApiDefinitions definitions = OpenApiDefinitions.get();
        return definitions.nameOf(group, version, kind).flatMap(name -> walk(definitions.definition(name), false, object, ""));
    }

    private static Optional<String> walk(JsonNode schema, boolean quantity, JsonNode value, String path) {
        JsonNode ref = schema == null ? null : schema.get("$ref");
        if (ref == null && schema != null && schema.path("allOf").size() == 1) {
            ref = schema.path("allOf").get(0).get("$ref");
        }
        if (ref != null && ref.isTextual() && ref.asText().startsWith(OpenApiDefinitions.REF_PREFIX)) {
            String name = ref.asText().substring(OpenApiDefinitions.REF_PREFIX.length());
            return walk(OpenApiDefinitions.get().definition(name), QUANTITY.equals(name), value, path);
        }
        if (schema == null || value == null || value.isNull() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return Optional.empty();
        }
        String type = schema.path("type").asText("");
        String format = schema.path("format").asText("");
        boolean fits = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual() || ((quantity || format.equals("int-or-string")) && fitsInteger(value, format)
                    || quantity && value.isNumber());
            case "integer" -> fitsInteger(value, format);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!fits) {
            return Optional.of("json: cannot unmarshal " + jsonType(value) + " into Go struct field " + (path.isEmpty() ? "." : path)
                    + " of type " + goType(type, format, quantity));
        }
        if (value.isObject()) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode property = properties != null ? properties.get(field.getKey()) : additional != null && additional.isObject() ? additional : null;
                if (property != null) {
                    Optional<String> found = walk(property, false, field.getValue(), path + "." + field.getKey());
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                Optional<String> found = walk(schema.get("items"), false, value.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean fitsInteger(JsonNode value, String format) {
        if (!value.isIntegralNumber()) {
            return false;
        }
        return !format.equals("int32") && !format.equals("int-or-string") || value.canConvertToInt();
    }

    private static String jsonType(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        if (value.isNumber()) {
            return "number " + value.asText();
        }
        return value.isArray() ? "array" : "object";
    }

    private static String goType(String type, String format, boolean quantity) {
        if (quantity) {
            return "resource.Quantity";
        }
        return switch (type) {
            case "object" -> "map or struct";
            case "array" -> "slice";
            case "integer" -> format.isEmpty() ? "int64" : format;
            case "number" -> "float64";
            case "boolean" -> "bool";
            default -> format.equals("int-or-string") ? "intstr.IntOrString" : "string";
        };
    }
}
