package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Validation of custom resources against their CRD's openAPIV3Schema (pure). Placeholder until it lands. */
public final class CustomResourceValidation {
    private CustomResourceValidation() {
    }

    /** Applies schema defaults in place and throws ApiException 422 Invalid naming every field that breaks the schema. */
    public static void defaultAndValidate(JsonNode openApiV3Schema, ObjectNode object, String group, String kind) {
    }
}
