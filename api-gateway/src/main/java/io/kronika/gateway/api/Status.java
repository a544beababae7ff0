package io.kronika.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** metav1.Status, the body of every error and of some successes. */
public final class Status {
    private Status() {
    }

    public static ObjectNode failure(ApiException e) {
        ObjectNode status = head("Failure");
        status.put("message", e.getMessage() == null ? "" : e.getMessage());
        status.put("reason", e.reason());
        ObjectNode details = Json.newObject();
        putIfPresent(details, "name", e.name());
        putIfPresent(details, "group", e.group());
        putIfPresent(details, "kind", e.kind());
        if (!e.causes().isEmpty()) {
            ArrayNode causes = details.putArray("causes");
            for (FieldError cause : e.causes()) {
                ObjectNode c = causes.addObject();
                putIfPresent(c, "reason", cause.type());
                putIfPresent(c, "message", cause.message());
                putIfPresent(c, "field", cause.field());
            }
        }
        if (e.code() == 504 || e.code() == 429) {
            details.put("retryAfterSeconds", 1);
        }
        if (!details.isEmpty() || e.code() == 404) {
            status.set("details", details);
        }
        status.put("code", e.code());
        return status;
    }

    /** A Success Status, as delete without a returned object, binding and eviction answer. */
    public static ObjectNode success(int code, String name, String group, String kind, String uid) {
        ObjectNode status = head("Success");
        ObjectNode details = Json.newObject();
        putIfPresent(details, "name", name);
        putIfPresent(details, "group", group);
        putIfPresent(details, "kind", kind);
        putIfPresent(details, "uid", uid);
        if (!details.isEmpty()) {
            status.set("details", details);
        }
        status.put("code", code);
        return status;
    }

    private static ObjectNode head(String outcome) {
        ObjectNode status = Json.newObject();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", outcome);
        return status;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
