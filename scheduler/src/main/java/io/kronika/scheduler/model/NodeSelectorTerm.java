package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One v1.NodeSelectorTerm: matchExpressions over node labels and matchFields over {@code metadata.name}, ANDed.
 * Operators In, NotIn, Exists, DoesNotExist, Gt, Lt. A term with no requirements matches no node.
 */
public record NodeSelectorTerm(List<Requirement> matchExpressions, List<Requirement> matchFields) {

    public record Requirement(String key, String operator, List<String> values) {
        boolean matches(String value) {
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                case "Gt", "Lt" -> compare(value);
                default -> false;
            };
        }

        private boolean compare(String value) {
            if (value == null || values.size() != 1) {
                return false;
            }
            try {
                long actual = Long.parseLong(value);
                long bound = Long.parseLong(values.get(0));
                return "Gt".equals(operator) ? actual > bound : actual < bound;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    public static NodeSelectorTerm parse(JsonNode node) {
        return new NodeSelectorTerm(requirements(node.get("matchExpressions")), requirements(node.get("matchFields")));
    }

    private static List<Requirement> requirements(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<Requirement> list = new ArrayList<>();
        for (JsonNode e : array) {
            list.add(new Requirement(Json.text(e, "key", ""), Json.text(e, "operator", ""), Json.strings(e.get("values"))));
        }
        return List.copyOf(list);
    }

    public boolean matches(String nodeName, Map<String, String> nodeLabels) {
        if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
            return false;
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(nodeLabels.get(r.key()))) {
                return false;
            }
        }
        for (Requirement r : matchFields) {
            if (!"metadata.name".equals(r.key()) || !r.matches(nodeName)) {
                return false;
            }
        }
        return true;
    }

    /** Terms are ORed: a node selector matches when any term does (no terms: matches nothing). */
    public static boolean anyMatches(List<NodeSelectorTerm> terms, String nodeName, Map<String, String> labels) {
        for (NodeSelectorTerm t : terms) {
            if (t.matches(nodeName, labels)) {
                return true;
            }
        }
        return false;
    }
}
