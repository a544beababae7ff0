package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.validation.GoFormat;

import java.util.List;
import java.util.Optional;

/**
 * Applies a PATCH body to an object (pure: {@code original} and {@code patch} are not modified), with
 * kube-apiserver's semantics and status codes:
 * <ul>
 *   <li>{@link PatchType#JSON} — RFC 6902 ({@link JsonPatch}); undecodable patch 400, &gt;10000 ops 413, an op that
 *       does not apply (bad path, failed test) 422 "the server rejected our request due to an error in our request";</li>
 *   <li>{@link PatchType#MERGE} — RFC 7386 ({@link JsonMergePatch}); null/scalar patch 400 "Invalid JSON Patch";</li>
 *   <li>{@link PatchType#STRATEGIC_MERGE} — built-in kinds only ({@link StrategicMergePatch}, metadata from
 *       {@code kronika/patch/strategies.json}); a kind not in that table is a custom resource and gets 415
 *       UnsupportedMediaType listing the patch types the API server accepts for custom resources;</li>
 *   <li>{@link PatchType#APPLY} — here only for the scale subresource (objects get real field management from
 *       {@code io.kronika.gateway.fieldmanager.FieldManager}): the applied
 *       configuration (a JSON object, YAML already parsed by the caller) is merged into the live object with the
 *       strategic-merge rules for built-in kinds (associative lists by merge key) and JSON merge rules for custom
 *       resources. Unlike real server-side apply, fields dropped from a later configuration are not removed (no
 *       ownership is tracked), there are no conflicts and no managedFields; {@code apiVersion} and {@code kind}
 *       are required as the API server requires them.</li>
 * </ul>
 * A patch whose result is not a JSON object (a root replaced by an array) fails to decode as an object: 422 Invalid
 * on field {@code patch}, as the API server answers.
 */
public final class PatchApplier {
    static final String CR_ACCEPTED = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

    private PatchApplier() {
    }

    /**
     * Returns the patched copy of {@code original}; {@code group}/{@code kind} select the strategic-merge rules of
     * built-in kinds. Malformed patches → ApiException 400 (BadRequest) or 422 (Invalid) naming the problem.
     */
    public static ObjectNode apply(PatchType type, ObjectNode original, JsonNode patch, String group, String kind) {
        if (type == null) {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
                    + CR_ACCEPTED + ", application/strategic-merge-patch+json");
        }
        return switch (type) {
            case JSON -> asObject(JsonPatch.apply(original, patch));
            case MERGE -> asObject(JsonMergePatch.apply(original, patch));
            case STRATEGIC_MERGE -> {
                PatchSchema schema = PatchSchema.get();
                Optional<PatchSchema.GoType> root = schema.kind(group, kind);
                if (root.isEmpty()) {
                    throw unsupported(CR_ACCEPTED);
                }
                yield StrategicMergePatch.apply(original, patch, root.get(), schema);
            }
            case APPLY -> apply(original, patch, group, kind);
        };
    }

    private static ObjectNode apply(ObjectNode original, JsonNode config, String group, String kind) {
        checkApplyConfiguration(config, kind);
        PatchSchema schema = PatchSchema.get();
        Optional<PatchSchema.GoType> root = schema.kind(group, kind);
        if (root.isPresent()) {
            return StrategicMergePatch.apply(original, config, root.get(), schema);
        }
        return asObject(JsonMergePatch.apply(original, config));
    }

    /** An apply configuration must be an object naming apiVersion and the resource's kind (400 otherwise). */
    public static ObjectNode checkApplyConfiguration(JsonNode config, String kind) {
        if (config == null || !config.isObject()) {
            throw ApiException.badRequest("error decoding YAML: json: cannot unmarshal " + GoFormat.jsonKind(config)
                    + " into Go value of type map[string]interface {}");
        }
        String apiVersion = config.path("apiVersion").asText("");
        String configKind = config.path("kind").asText("");
        if (apiVersion.isEmpty() || configKind.isEmpty()) {
            throw ApiException.badRequest("error decoding YAML: Object 'Kind' is missing in '" + config + "'");
        }
        if (!configKind.equals(kind)) {
            throw ApiException.badRequest("the kind of the applied configuration (" + configKind + ") does not match the kind of the resource (" + kind + ")");
        }
        return (ObjectNode) config;
    }

    /** True when {@code group}/{@code kind} is a built-in kind (strategic merge patch supported). */
    public static boolean isBuiltIn(String group, String kind) {
        return PatchSchema.get().kind(group, kind).isPresent();
    }

    static ApiException unsupported(String accepted) {
        return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: " + accepted);
    }

    private static ObjectNode asObject(JsonNode result) {
        if (result instanceof ObjectNode o) {
            return o;
        }
        String detail = "couldn't get version/kind; json parse error: json: cannot unmarshal " + GoFormat.jsonKind(result)
                + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";
        FieldError cause = new FieldError("FieldValueInvalid", "patch", "Invalid value: " + GoFormat.quote(String.valueOf(result)) + ": " + detail);
        throw ApiException.invalid("", "", "", List.of(cause));
    }
}
