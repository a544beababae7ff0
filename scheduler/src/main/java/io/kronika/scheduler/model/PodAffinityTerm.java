package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod (anti-)affinity term of some pod, resolved against that pod: which pods it selects (label selector with
 * matchLabelKeys/mismatchLabelKeys merged in, namespaces or namespaceSelector) and the topology key.
 * {@code weight} is 0 for required terms.
 */
public record PodAffinityTerm(LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector,
                              String topologyKey, int weight) {

    /** Parses a PodAffinityTerm of a pod in {@code ownNamespace} with {@code ownLabels}. */
    public static PodAffinityTerm parse(JsonNode term, int weight, String ownNamespace, Map<String, String> ownLabels) {
        LabelSelector selector = LabelSelector.parse(term.get("labelSelector"));
        List<LabelSelector.Requirement> extra = new ArrayList<>();
        for (String key : Json.strings(term.get("matchLabelKeys"))) {
            String v = ownLabels.get(key);
            if (v != null) {
                extra.add(new LabelSelector.Requirement(key, "In", List.of(v)));
            }
        }
        for (String key : Json.strings(term.get("mismatchLabelKeys"))) {
            String v = ownLabels.get(key);
            if (v != null) {
                extra.add(new LabelSelector.Requirement(key, "NotIn", List.of(v)));
            }
        }
        selector = selector.and(extra);
        JsonNode nsSelectorNode = term.get("namespaceSelector");
        LabelSelector nsSelector = nsSelectorNode == null || nsSelectorNode.isNull() ? null : LabelSelector.parse(nsSelectorNode);
        Set<String> namespaces = Set.copyOf(Json.strings(term.get("namespaces")));
        if (namespaces.isEmpty() && nsSelector == null) {
            namespaces = Set.of(ownNamespace);
        }
        return new PodAffinityTerm(selector, namespaces, nsSelector, Json.text(term, "topologyKey", ""), weight);
    }

    /** Whether this term selects {@code pod}; {@code namespaceLabels} gives the labels of a namespace. */
    public boolean matches(PodInfo pod, NamespaceLabels namespaceLabels) {
        if (!namespaces.contains(pod.namespace())) {
            if (namespaceSelector == null || !namespaceSelector.matches(namespaceLabels.of(pod.namespace()))) {
                return false;
            }
        }
        return selector.matches(pod.labels());
    }

    /** Labels of namespaces, for namespaceSelector. */
    @FunctionalInterface
    public interface NamespaceLabels {
        NamespaceLabels NONE = ns -> Map.of();

        Map<String, String> of(String namespace);
    }
}
