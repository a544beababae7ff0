package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Defaulting and validation of built-in kinds (pure). Placeholder until the validation package lands. */
public final class ObjectValidation {
    private ObjectValidation() {
    }

    /**
     * Fills defaults into {@code object} (in place) and validates it; {@code create} tells a create from an update.
     * Throws {@link io.kronika.gateway.api.ApiException} 422 Invalid naming every bad field.
     */
    public static void defaultAndValidate(String group, String kind, ObjectNode object, boolean create) {
    }
}
