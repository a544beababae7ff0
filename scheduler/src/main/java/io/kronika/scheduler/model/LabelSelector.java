package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist), all ANDed.
 * An empty selector matches everything; a missing one ({@link #NOTHING}) matches nothing, as in Kubernetes.
 */
public final class LabelSelector {
    public static final LabelSelector NOTHING = new LabelSelector(List.of(), true);
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);

    public record Requirement(String key, String operator, List<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
        }
    }

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    public static LabelSelector of(List<Requirement> requirements) {
        return new LabelSelector(List.copyOf(requirements), false);
    }

    public static LabelSelector matchLabels(Map<String, String> labels) {
        List<Requirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(new Requirement(k, "In", List.of(v))));
        return of(reqs);
    }

    /** Parses a selector; null or JSON null gives {@link #NOTHING}. */
    public static LabelSelector parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        Json.stringMap(node.get("matchLabels")).forEach((k, v) -> reqs.add(new Requirement(k, "In", List.of(v))));
        for (JsonNode e : iterable(node.get("matchExpressions"))) {
            reqs.add(new Requirement(Json.text(e, "key", ""), Json.text(e, "operator", ""), Json.strings(e.get("values"))));
        }
        return of(reqs);
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : node;
    }

    /** This selector with more requirements ANDed (matchLabelKeys / mismatchLabelKeys). */
    public LabelSelector and(List<Requirement> more) {
        if (nothing || more.isEmpty()) {
            return this;
        }
        List<Requirement> all = new ArrayList<>(requirements);
        all.addAll(more);
        return of(all);
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isNothing() {
        return nothing;
    }

    public boolean isEverything() {
        return !nothing && requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public String toString() {
        return nothing ? "<nothing>" : requirements.toString();
    }
}
