package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.NodeModel;
import io.kronika.scheduler.model.NodeSelectorTerm;
import io.kronika.scheduler.model.PodInfo;

import java.util.List;
import java.util.Map;

/**
 * Filter: spec.nodeSelector and required node affinity (terms ORed, expressions within a term ANDed).
 * Score: the sum of the weights of the preferred terms the node matches.
 */
public final class NodeAffinity implements Plugins.Filter, Plugins.PreScore, Plugins.Score {
    public static final String NAME = "NodeAffinity";
    public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    /** Whether the node satisfies the pod's nodeSelector and required node affinity. */
    public static boolean matches(PodInfo pod, NodeModel node) {
        Map<String, String> labels = node.labels();
        for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        List<NodeSelectorTerm> required = pod.requiredNodeAffinity();
        return required == null || NodeSelectorTerm.anyMatches(required, node.name(), labels);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return matches(pod, node.node()) ? Status.SUCCESS : Status.unresolvable(REASON);
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
        return pod.preferredNodeAffinity().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long score = 0;
        for (PodInfo.WeightedNodeTerm t : pod.preferredNodeAffinity()) {
            if (t.weight() != 0 && t.term().matches(node.name(), node.labels())) {
                score += t.weight();
            }
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        Plugins.defaultNormalize(scores, false);
    }
}
