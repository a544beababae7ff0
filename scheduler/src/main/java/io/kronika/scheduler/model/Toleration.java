package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A pod toleration, matched against taints with Kubernetes' rules. */
public record Toleration(String key, String operator, String value, String effect) {
    public static Toleration parse(JsonNode node) {
        return new Toleration(Json.text(node, "key", ""), Json.text(node, "operator", "Equal"),
                Json.text(node, "value", ""), Json.text(node, "effect", ""));
    }

    public boolean tolerates(Taint taint) {
        if (!effect.isEmpty() && !effect.equals(taint.effect())) {
            return false;
        }
        if (!key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        return switch (operator.isEmpty() ? "Equal" : operator) {
            case "Exists" -> true;
            case "Equal" -> value.equals(taint.value());
            default -> false;
        };
    }

    public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            if (t.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }
}
