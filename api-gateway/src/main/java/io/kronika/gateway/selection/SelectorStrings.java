package io.kronika.gateway.selection;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Selectors stored in objects rendered as the strings Scale.status.selector carries. */
public final class SelectorStrings {
    private SelectorStrings() {
    }

    /** A metav1.LabelSelector (matchLabels, matchExpressions) as a string, like LabelSelectorAsSelector(…).String(). */
    public static String fromLabelSelector(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "";
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e ->
                requirements.add(new LabelSelector.Requirement(e.getKey(), LabelSelector.Operator.EQUALS, Set.of(e.getValue().asText()))));
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            Set<String> values = new TreeSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            LabelSelector.Operator operator = switch (expression.path("operator").asText()) {
                case "In" -> LabelSelector.Operator.IN;
                case "NotIn" -> LabelSelector.Operator.NOT_IN;
                case "Exists" -> LabelSelector.Operator.EXISTS;
                case "DoesNotExist" -> LabelSelector.Operator.DOES_NOT_EXIST;
                default -> null;
            };
            if (operator != null) {
                requirements.add(new LabelSelector.Requirement(key, operator, values));
            }
        }
        return LabelSelector.of(requirements).toString();
    }

    /** A plain label map (ReplicationController.spec.selector) as a string. */
    public static String fromMap(JsonNode map) {
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        if (map != null) {
            map.fields().forEachRemaining(e ->
                    requirements.add(new LabelSelector.Requirement(e.getKey(), LabelSelector.Operator.EQUALS, Set.of(e.getValue().asText()))));
        }
        return LabelSelector.of(requirements).toString();
    }
}
