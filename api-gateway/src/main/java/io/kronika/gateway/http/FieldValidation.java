package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.openapi.FieldTypes;
import io.kronika.gateway.openapi.UnknownFields;

import java.util.List;

/**
 * The fieldValidation query parameter of create, update and patch: unknown fields are dropped (as decoding into
 * the API types drops them); {@code Strict} refuses them with 400, {@code Warn} (the default) reports them as
 * warnings, {@code Ignore} says nothing.
 */
final class FieldValidation {
    private FieldValidation() {
    }

    /** Prunes {@code object} and returns the warnings to send; 400 for Strict when a field is unknown. */
    static List<String> check(ApiRequest request, ResourceType type, ObjectNode object) {
        String mode = request.param("fieldValidation");
        if (mode == null) {
            mode = "Warn";
        }
        if (!mode.equals("Strict") && !mode.equals("Warn") && !mode.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        if (!type.custom()) {
            FieldTypes.mismatch(type.group(), type.version(), type.kind(), object).ifPresent(problem -> {
                throw ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                        + type.kind() + ": " + problem);
            });
        }
        List<String> unknown = type.custom()
                ? (type.openApiV3Schema() == null ? List.of() : UnknownFields.pruneCustom(type.openApiV3Schema(), object))
                : UnknownFields.prune(type.group(), type.version(), type.kind(), object);
        if (unknown.isEmpty() || mode.equals("Ignore")) {
            return List.of();
        }
        List<String> messages = unknown.stream().map(field -> "unknown field \"" + field + "\"").toList();
        if (mode.equals("Strict")) {
            throw ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind()
                    + ": strict decoding error: " + String.join(", ", messages));
        }
        return messages;
    }
}
