package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.model.Taint;
import io.kronika.scheduler.model.Toleration;
import io.kronika.scheduler.model.TopologySpreadConstraint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * topologySpreadConstraints. Filter (DoNotSchedule): placing the pod must keep, for each constraint, the number of
 * matching pods in the node's domain minus the smallest count of any eligible domain within maxSkew (the minimum
 * is 0 while fewer than minDomains domains exist). Score (ScheduleAnyway): fewer matching pods in the node's domains
 * is better, weighted by log(number of domains + 2) as in Kubernetes.
 */
public final class PodTopologySpread implements Plugins.PreFilter, Plugins.Filter, Plugins.PreScore, Plugins.Score {
    public static final String NAME = "PodTopologySpread";
    public static final String REASON_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
    public static final String REASON_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    private static final String SCORE_KEY = NAME + "/score";

    @Override
    public String name() {
        return NAME;
    }

    static boolean hasAllKeys(Map<String, String> labels, List<TopologySpreadConstraint> constraints) {
        for (TopologySpreadConstraint c : constraints) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /** nodeAffinityPolicy / nodeTaintsPolicy: whether the node's pods count for this pod's constraint. */
    static boolean nodeIncluded(TopologySpreadConstraint c, PodInfo pod, NodeInfo node) {
        if (c.honorNodeAffinity() && !NodeAffinity.matches(pod, node.node())) {
            return false;
        }
        if (c.honorNodeTaints()) {
            for (Taint taint : node.node().taints()) {
                if ((Taint.NO_SCHEDULE.equals(taint.effect()) || Taint.NO_EXECUTE.equals(taint.effect()))
                        && !Toleration.anyTolerates(pod.tolerations(), taint)) {
                    return false;
                }
            }
        }
        return true;
    }

    static int countMatching(List<PodInfo> pods, TopologySpreadConstraint c, String namespace) {
        int count = 0;
        for (PodInfo p : pods) {
            if (!p.isTerminating() && p.namespace().equals(namespace) && c.selector().matches(p.labels())) {
                count++;
            }
        }
        return count;
    }

    /** Per constraint: matching pods per domain value of its topology key (every eligible domain present, maybe 0). */
    static final class FilterState implements PodCountState {
        final List<TopologySpreadConstraint> constraints;
        final List<Map<String, Integer>> counts;
        int[] minMatch;

        FilterState(List<TopologySpreadConstraint> constraints, List<Map<String, Integer>> counts) {
            this.constraints = constraints;
            this.counts = counts;
        }

        @Override
        public CycleState.Data copy() {
            List<Map<String, Integer>> copies = new ArrayList<>(counts.size());
            counts.forEach(m -> copies.add(new HashMap<>(m)));
            return new FilterState(constraints, copies);
        }

        int minMatch(int i) {
            if (minMatch == null) {
                minMatch = new int[constraints.size()];
                for (int k = 0; k < constraints.size(); k++) {
                    int min = Integer.MAX_VALUE;
                    for (int c : counts.get(k).values()) {
                        min = Math.min(min, c);
                    }
                    minMatch[k] = min == Integer.MAX_VALUE ? 0 : min;
                }
            }
            return counts.get(i).size() < constraints.get(i).minDomains() ? 0 : minMatch[i];
        }

        @Override
        public void update(PodInfo incoming, PodInfo other, NodeInfo node, int delta) {
            if (other.isTerminating() || !other.namespace().equals(incoming.namespace()) || !hasAllKeys(node.labels(), constraints)) {
                return;
            }
            for (int i = 0; i < constraints.size(); i++) {
                TopologySpreadConstraint c = constraints.get(i);
                if (nodeIncluded(c, incoming, node) && c.selector().matches(other.labels())) {
                    counts.get(i).merge(node.labels().get(c.topologyKey()), delta, Integer::sum);
                    minMatch = null;
                }
            }
        }
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        List<TopologySpreadConstraint> constraints = pod.spreadConstraints().stream().filter(TopologySpreadConstraint::doNotSchedule).toList();
        if (constraints.isEmpty()) {
            return Status.SKIP;
        }
        List<Map<String, Integer>> counts = new ArrayList<>(constraints.size());
        constraints.forEach(c -> counts.add(new HashMap<>()));
        for (NodeInfo node : snapshot.nodes()) {
            if (!hasAllKeys(node.labels(), constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                TopologySpreadConstraint c = constraints.get(i);
                if (!nodeIncluded(c, pod, node)) {
                    continue;
                }
                counts.get(i).merge(node.labels().get(c.topologyKey()), countMatching(node.pods(), c, pod.namespace()), Integer::sum);
            }
        }
        state.put(NAME, new FilterState(constraints, counts));
        return Status.SUCCESS;
    }

    @Override
    public Plugins.PreFilterExtensions extensions() {
        return PodCountState.extensions(NAME);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.get(NAME);
        if (s == null) {
            return Status.SUCCESS;
        }
        for (int i = 0; i < s.constraints.size(); i++) {
            TopologySpreadConstraint c = s.constraints.get(i);
            String value = node.labels().get(c.topologyKey());
            if (value == null) {
                return Status.unresolvable(REASON_MISSING_LABEL);
            }
            int self = c.selector().matches(pod.labels()) ? 1 : 0;
            int match = s.counts.get(i).getOrDefault(value, 0);
            int skew = match + self - s.minMatch(i);
            if (skew > c.maxSkew()) {
                return Status.unschedulable(REASON_CONSTRAINTS);
            }
        }
        return Status.SUCCESS;
    }

    // ---- scoring ----

    static final class ScoreState implements CycleState.Data {
        final List<TopologySpreadConstraint> constraints;
        /** Per constraint (hostname constraints excepted): matching pods per domain value of the feasible nodes. */
        final List<Map<String, Integer>> counts = new ArrayList<>();
        final Set<String> ignoredNodes = new HashSet<>();
        final double[] weights;

        ScoreState(List<TopologySpreadConstraint> constraints) {
            this.constraints = constraints;
            this.weights = new double[constraints.size()];
            constraints.forEach(c -> counts.add(new HashMap<>()));
        }

        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
        List<TopologySpreadConstraint> constraints = pod.spreadConstraints().stream().filter(c -> !c.doNotSchedule()).toList();
        if (constraints.isEmpty() || feasible.isEmpty()) {
            return Status.SKIP;
        }
        ScoreState s = new ScoreState(constraints);
        for (NodeInfo node : feasible) {
            if (!hasAllKeys(node.labels(), constraints)) {
                s.ignoredNodes.add(node.name());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                TopologySpreadConstraint c = constraints.get(i);
                if (!HOSTNAME_LABEL.equals(c.topologyKey())) {
                    s.counts.get(i).putIfAbsent(node.labels().get(c.topologyKey()), 0);
                }
            }
        }
        for (int i = 0; i < constraints.size(); i++) {
            int size = HOSTNAME_LABEL.equals(constraints.get(i).topologyKey()) ? feasible.size() - s.ignoredNodes.size() : s.counts.get(i).size();
            s.weights[i] = Math.log(size + 2);
        }
        for (NodeInfo node : snapshot.nodes()) {
            if (!hasAllKeys(node.labels(), constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                TopologySpreadConstraint c = constraints.get(i);
                if (HOSTNAME_LABEL.equals(c.topologyKey()) || !nodeIncluded(c, pod, node)) {
                    continue;
                }
                Map<String, Integer> m = s.counts.get(i);
                String value = node.labels().get(c.topologyKey());
                Integer current = m.get(value);
                if (current != null) {
                    m.put(value, current + countMatching(node.pods(), c, pod.namespace()));
                }
            }
        }
        state.put(SCORE_KEY, s);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.get(SCORE_KEY);
        if (s == null || s.ignoredNodes.contains(node.name())) {
            return 0;
        }
        double score = 0;
        for (int i = 0; i < s.constraints.size(); i++) {
            TopologySpreadConstraint c = s.constraints.get(i);
            String value = node.labels().get(c.topologyKey());
            if (value == null) {
                continue;
            }
            long count = HOSTNAME_LABEL.equals(c.topologyKey())
                    ? countMatching(node.pods(), c, pod.namespace())
                    : s.counts.get(i).getOrDefault(value, 0);
            score += count * s.weights[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreState s = state.get(SCORE_KEY);
        if (s == null) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes.contains(nodes.get(i).name())) {
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes.contains(nodes.get(i).name())) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = Plugins.MAX_NODE_SCORE;
            } else {
                scores[i] = Plugins.MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }
}
