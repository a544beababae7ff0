package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A node taint; effect is NoSchedule, PreferNoSchedule or NoExecute. */
public record Taint(String key, String value, String effect) {
    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";
    /** The taint a cordoned node (spec.unschedulable) is treated as having. */
    public static final Taint UNSCHEDULABLE = new Taint("node.kubernetes.io/unschedulable", "", NO_SCHEDULE);

    public static Taint parse(JsonNode node) {
        return new Taint(Json.text(node, "key", ""), Json.text(node, "value", ""), Json.text(node, "effect", ""));
    }

    /** Kubernetes' rendering in messages: {@code {key: value}}. */
    public String describe() {
        return "{" + key + ": " + value + "}";
    }
}
