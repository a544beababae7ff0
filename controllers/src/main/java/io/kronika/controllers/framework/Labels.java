package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.k8s.LabelSelectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Label selectors: LabelSelector (matchLabels + matchExpressions) and the plain map selectors of RC and Service. */
public final class Labels {
    private Labels() {
    }

    /** A LabelSelector matches {@code labels}; a null or empty selector matches nothing (as for workload controllers). */
    public static boolean matches(JsonNode selector, Map<String, String> labels) {
        return selector != null && !selector.isNull() && !selector.isEmpty() && LabelSelectors.matches(selector, labels);
    }

    /**
     * A NodeSelector ({@code nodeSelectorTerms}, as in a PV's {@code nodeAffinity.required}) matches a node's labels:
     * any term whose expressions all hold; a missing selector matches every node.
     */
    public static boolean matchesNodeSelector(JsonNode nodeSelector, Map<String, String> nodeLabels) {
        JsonNode terms = nodeSelector == null ? null : nodeSelector.get("nodeSelectorTerms");
        if (terms == null || !terms.isArray()) {
            return true;
        }
        for (JsonNode term : terms) {
            if (matches(term, nodeLabels)) {
                return true;
            }
        }
        return false;
    }

    /** A map selector (ReplicationController, Service): every pair must match; empty matches nothing. */
    public static boolean matchesMap(Map<String, String> selector, Map<String, String> labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
