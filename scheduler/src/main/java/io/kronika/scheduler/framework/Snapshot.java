package io.kronika.scheduler.framework;

import io.kronika.scheduler.model.PodAffinityTerm;

import java.util.List;
import java.util.Map;

/** The cluster as one scheduling attempt sees it: nodes with what is placed on them, and namespace labels. */
public interface Snapshot extends PodAffinityTerm.NamespaceLabels {
    List<NodeInfo> nodes();

    NodeInfo node(String name);

    @Override
    Map<String, String> of(String namespace);

    /** Whether any placed pod has terms that score other pods (see {@link io.kronika.scheduler.model.PodInfo#hasScoringAffinityTerms}). */
    default boolean anyPodWithScoringAffinityTerms() {
        for (NodeInfo n : nodes()) {
            for (io.kronika.scheduler.model.PodInfo p : n.podsWithAffinity()) {
                if (p.hasScoringAffinityTerms()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any placed pod has required anti-affinity terms. */
    default boolean anyPodWithRequiredAntiAffinity() {
        for (NodeInfo n : nodes()) {
            if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A snapshot over a fixed list of nodes (tests, benchmarks). */
    static Snapshot of(List<NodeInfo> nodes, Map<String, Map<String, String>> namespaceLabels) {
        Map<String, NodeInfo> byName = new java.util.HashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        return new Snapshot() {
            @Override
            public List<NodeInfo> nodes() {
                return nodes;
            }

            @Override
            public NodeInfo node(String name) {
                return byName.get(name);
            }

            @Override
            public Map<String, String> of(String namespace) {
                return namespaceLabels.getOrDefault(namespace, Map.of());
            }
        };
    }

    static Snapshot of(List<NodeInfo> nodes) {
        return of(nodes, Map.of());
    }
}
