package io.kronika.schemas.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** A metav1.LabelSelector held as a JSON tree (matchLabels and matchExpressions) against a label set. */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /** Whether {@code labels} satisfy every matchLabels entry and every matchExpression; an empty selector matches all. */
    public static boolean matches(JsonNode selector, Map<String, String> labels) {
        JsonNode matchLabels = selector.get("matchLabels");
        if (matchLabels != null && matchLabels.isObject()) {
            for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        JsonNode expressions = selector.get("matchExpressions");
        if (expressions != null && expressions.isArray()) {
            for (JsonNode expression : expressions) {
                if (!holds(expression, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(JsonNode expression, Map<String, String> labels) {
        String key = expression.path("key").asText();
        boolean has = labels.containsKey(key);
        return switch (expression.path("operator").asText()) {
            case "In" -> has && contains(expression.get("values"), labels.get(key));
            case "NotIn" -> !has || !contains(expression.get("values"), labels.get(key));
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
        };
    }

    private static boolean contains(JsonNode values, String value) {
        if (values != null && values.isArray()) {
            for (JsonNode v : values) {
                if (v.asText().equals(value)) {
                    return true;
                }
            }
        }
        return false;
    }
}
