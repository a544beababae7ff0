package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;

import java.util.List;

/**
 * metav1.DeleteOptions, from the body (JSON or YAML) or else the query: grace period, propagation policy (or the
 * deprecated orphanDependents), preconditions on uid and resourceVersion, dryRun.
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, Boolean orphanDependents,
                            String preconditionUid, Long preconditionResourceVersion, boolean dryRun) {
    public static final String ORPHAN = "Orphan";
    public static final String BACKGROUND = "Background";
    public static final String FOREGROUND = "Foreground";
    public static final String ORPHAN_FINALIZER = "orphan";
    public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    public static DeleteOptions none() {
        return new DeleteOptions(null, null, null, null, null, false);
    }

    public static DeleteOptions from(ApiRequest request) {
        if (request.body().length > 0) {
            JsonNode body = Bodies.tree(request);
            if (!body.isObject()) {
                throw ApiException.badRequest("the body of a delete must be a DeleteOptions object");
            }
            return fromJson(body, request.dryRun());
        }
        Long grace = request.param("gracePeriodSeconds") == null ? null : request.longParam("gracePeriodSeconds", 0);
        Boolean orphan = request.param("orphanDependents") == null ? null : request.flag("orphanDependents");
        return check(new DeleteOptions(grace, request.param("propagationPolicy"), orphan, null, null, request.dryRun()));
    }

    /** A DeleteOptions object, as a delete body or inside an Eviction. */
    public static DeleteOptions fromJson(JsonNode body, boolean dryRunFromQuery) {
        String kind = Json.text(body, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals("DeleteOptions")) {
            throw ApiException.badRequest("decoded object cannot be converted to DeleteOptions: kind " + kind);
        }
        boolean dryRun = dryRunFromQuery;
        for (JsonNode value : body.path("dryRun")) {
            if (!"All".equals(value.asText())) {
                throw ApiErrors.invalidOptions("DeleteOptions", FieldError.notSupported("dryRun", value.asText(), List.of("All")));
            }
            dryRun = true;
        }
        JsonNode grace = body.get("gracePeriodSeconds");
        JsonNode orphan = body.get("orphanDependents");
        JsonNode preconditions = body.path("preconditions");
        String uid = Json.text(preconditions, "uid");
        String rv = Json.text(preconditions, "resourceVersion");
        Long revision = null;
        if (rv != null && !rv.isEmpty()) {
            try {
                revision = Long.parseLong(rv);
            } catch (NumberFormatException e) {
                throw ApiErrors.invalidOptions("DeleteOptions",
                        FieldError.invalid("preconditions.resourceVersion", rv, "must be a resourceVersion this server issued"));
            }
        }
        return check(new DeleteOptions(grace == null || grace.isNull() ? null : grace.asLong(),
                Json.text(body, "propagationPolicy"), orphan == null || orphan.isNull() ? null : orphan.asBoolean(),
                uid == null || uid.isEmpty() ? null : uid, revision, dryRun));
    }

    private static DeleteOptions check(DeleteOptions options) {
        if (options.propagationPolicy() != null) {
            if (!List.of(ORPHAN, BACKGROUND, FOREGROUND).contains(options.propagationPolicy())) {
                throw ApiErrors.invalidOptions("DeleteOptions", FieldError.notSupported("propagationPolicy",
                        options.propagationPolicy(), List.of(FOREGROUND, BACKGROUND, ORPHAN)));
            }
            if (options.orphanDependents() != null) {
                throw ApiErrors.invalidOptions("DeleteOptions", FieldError.invalid("propagationPolicy", options.propagationPolicy(),
                        "orphanDependents and deletionPropagation cannot be both set"));
            }
        }
        return options;
    }

    /** Whether dependents are to be orphaned, given the object's current finalizers (Kubernetes' rules). */
    boolean orphan(List<String> finalizers) {
        if (orphanDependents != null) {
            return orphanDependents;
        }
        if (propagationPolicy != null) {
            return propagationPolicy.equals(ORPHAN);
        }
        return finalizers.contains(ORPHAN_FINALIZER);
    }

    boolean foreground(List<String> finalizers) {
        if (orphanDependents != null || propagationPolicy != null) {
            return FOREGROUND.equals(propagationPolicy);
        }
        return finalizers.contains(FOREGROUND_FINALIZER);
    }
}
