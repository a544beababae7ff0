package io.kronika.scheduler.framework;

import io.kronika.scheduler.model.PodInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One scheduling profile: its plugins per extension point and score weights, and the scheduling algorithm of
 * kube-scheduler's {@code schedulePod}: pre-filter; the nominated node first; filter nodes (round-robin start,
 * stopping once {@link #numFeasibleNodesToFind} fit); pre-score and score the feasible ones; pick the highest total
 * (ties broken at random); report why every rejected node was rejected. Not thread-safe: one attempt at a time.
 */
public final class Framework {
    /** Kubernetes' lower bounds for the adaptive percentage of nodes to score. */
    public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    /** Pods nominated (by preemption) to run on a node; their requests are held for them. */
    @FunctionalInterface
    public interface Nominator {
        Nominator NONE = node -> List.of();

        List<PodInfo> nominatedPods(String nodeName);
    }

    private final String schedulerName;
    private final List<Plugins.PreFilter> preFilters;
    private final List<Plugins.Filter> filters;
    private final List<Plugins.PreScore> preScores;
    private final List<Plugins.Score> scores;
    private final int[] weights;
    private final int percentageOfNodesToScore;
    private final boolean preemptionEnabled;
    private final Random random;
    private int nextStartNodeIndex;

    public Framework(String schedulerName, List<Plugins.PreFilter> preFilters, List<Plugins.Filter> filters,
                     List<Plugins.PreScore> preScores, List<Plugins.Score> scores, int[] weights,
                     int percentageOfNodesToScore, boolean preemptionEnabled, Random random) {
        if (weights.length != scores.size()) {
            throw new IllegalArgumentException("one weight per score plugin");
        }
        this.schedulerName = schedulerName;
        this.preFilters = List.copyOf(preFilters);
        this.filters = List.copyOf(filters);
        this.preScores = List.copyOf(preScores);
        this.scores = List.copyOf(scores);
        this.weights = weights.clone();
        this.percentageOfNodesToScore = percentageOfNodesToScore;
        this.preemptionEnabled = preemptionEnabled;
        this.random = random;
    }

    public String schedulerName() {
        return schedulerName;
    }

    public boolean preemptionEnabled() {
        return preemptionEnabled;
    }

    public List<Plugins.Filter> filters() {
        return filters;
    }

    public List<Plugins.Score> scorePlugins() {
        return scores;
    }

    public int weight(Plugins.Score plugin) {
        return weights[scores.indexOf(plugin)];
    }

    public Random random() {
        return random;
    }

    // ---- results ----

    /** One node's total and its per-plugin weighted scores. */
    public record NodeScore(String node, long total, Map<String, Long> byPlugin) {
    }

    /**
     * The outcome of one attempt: either a node (with the chosen and runner-up scores) or a {@link FitError}.
     * {@code rejected} counts the reasons of the nodes filtered out on the way.
     */
    public record Result(String node, NodeScore chosen, NodeScore runnerUp, int allNodes, int evaluatedNodes,
                         int feasibleNodes, Map<String, Integer> rejected, boolean nominatedNodeUsed, FitError fitError,
                         CycleState state) {
        public boolean scheduled() {
            return node != null;
        }
    }

    // ---- the algorithm ----

    /** How many feasible nodes to look for before scoring: all under 100 nodes, else an adaptive percentage. */
    public static int numFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return numAllNodes;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage <= 0) {
            percentage = 50 - numAllNodes / 125;
            if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
                percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
            }
        }
        if (percentage >= 100) {
            return numAllNodes;
        }
        int numNodes = (int) ((long) numAllNodes * percentage / 100);
        return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
    }

    public Result schedule(PodInfo pod, Snapshot snapshot, Nominator nominator) {
        List<NodeInfo> nodes = snapshot.nodes();
        int all = nodes.size();
        CycleState state = new CycleState();
        if (all == 0) {
            return new Result(null, null, null, 0, 0, 0, Map.of(), false, FitError.noNodes(), state);
        }
        Status pre = runPreFilter(state, pod, snapshot);
        if (!pre.isSuccess()) {
            Map<String, Status> statuses = new LinkedHashMap<>();
            Status s = pre.code() == Status.Code.ERROR ? pre : new Status(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, pre.reasons(), pre.plugin());
            nodes.forEach(n -> statuses.put(n.name(), s));
            return new Result(null, null, null, all, 0, 0, Map.of(), false, new FitError(all, statuses, pre.message()), state);
        }

        // A pod nominated by an earlier preemption tries its node first.
        String nominated = pod.nominatedNodeName();
        if (!nominated.isEmpty()) {
            NodeInfo node = snapshot.node(nominated);
            if (node != null && runFiltersWithNominatedPods(state, pod, node, nominator, snapshot).isSuccess()) {
                return new Result(nominated, null, null, all, 1, 1, Map.of(), true, null, state);
            }
        }

        int toFind = numFeasibleNodesToFind(percentageOfNodesToScore, all);
        List<NodeInfo> feasible = new ArrayList<>(Math.min(toFind, all));
        Map<String, Status> statuses = new LinkedHashMap<>();
        int start = nextStartNodeIndex % all;
        int processed = 0;
        for (int i = 0; i < all && feasible.size() < toFind; i++) {
            NodeInfo node = nodes.get((start + i) % all);
            processed++;
            Status status = runFiltersWithNominatedPods(state, pod, node, nominator, snapshot);
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                statuses.put(node.name(), status);
            }
        }
        nextStartNodeIndex = (start + processed) % all;
        Map<String, Integer> rejected = histogram(statuses);
        if (feasible.isEmpty()) {
            return new Result(null, null, null, all, processed, 0, rejected, false, new FitError(all, statuses, ""), state);
        }
        if (feasible.size() == 1) {
            return new Result(feasible.get(0).name(), null, null, all, processed, 1, rejected, false, null, state);
        }
        return scoreAndSelect(state, pod, snapshot, feasible, all, processed, rejected);
    }

    private Result scoreAndSelect(CycleState state, PodInfo pod, Snapshot snapshot, List<NodeInfo> feasible, int all,
                                  int processed, Map<String, Integer> rejected) {
        for (Plugins.PreScore p : preScores) {
            Status s = p.preScore(state, pod, feasible, snapshot);
            if (s.isSkip()) {
                state.skipScore().add(p.name());
            }
        }
        int n = feasible.size();
        long[] totals = new long[n];
        List<long[]> perPlugin = new ArrayList<>(scores.size());
        List<String> pluginNames = new ArrayList<>(scores.size());
        for (int k = 0; k < scores.size(); k++) {
            Plugins.Score plugin = scores.get(k);
            if (state.skipScore().contains(plugin.name())) {
                continue;
            }
            long[] s = new long[n];
            for (int i = 0; i < n; i++) {
                s[i] = plugin.score(state, pod, feasible.get(i));
            }
            plugin.normalize(state, pod, feasible, s);
            for (int i = 0; i < n; i++) {
                s[i] *= weights[k];
                totals[i] += s[i];
            }
            perPlugin.add(s);
            pluginNames.add(plugin.name());
        }
        // Highest total wins; ties are broken uniformly at random (reservoir sampling), as kube-scheduler does.
        int best = 0;
        int ties = 1;
        for (int i = 1; i < n; i++) {
            if (totals[i] > totals[best]) {
                best = i;
                ties = 1;
            } else if (totals[i] == totals[best]) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    best = i;
                }
            }
        }
        int second = -1;
        for (int i = 0; i < n; i++) {
            if (i != best && (second < 0 || totals[i] > totals[second])) {
                second = i;
            }
        }
        NodeScore chosen = nodeScore(feasible, best, totals, perPlugin, pluginNames);
        NodeScore runnerUp = second < 0 ? null : nodeScore(feasible, second, totals, perPlugin, pluginNames);
        return new Result(chosen.node(), chosen, runnerUp, all, processed, n, rejected, false, null, state);
    }

    private static NodeScore nodeScore(List<NodeInfo> nodes, int i, long[] totals, List<long[]> perPlugin, List<String> names) {
        Map<String, Long> byPlugin = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            byPlugin.put(names.get(k), perPlugin.get(k)[i]);
        }
        return new NodeScore(nodes.get(i).name(), totals[i], Collections.unmodifiableMap(byPlugin));
    }

    static Map<String, Integer> histogram(Map<String, Status> statuses) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Status s : statuses.values()) {
            for (String reason : s.reasons()) {
                counts.merge(reason, 1, Integer::sum);
            }
        }
        return counts;
    }

    public Status runPreFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        for (Plugins.PreFilter p : preFilters) {
            Status s = p.preFilter(state, pod, snapshot);
            if (s.isSkip()) {
                state.skipFilter().add(p.name());
            } else if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /** The filters in order; the first rejection is the node's verdict. */
    public Status runFilters(CycleState state, PodInfo pod, NodeInfo node) {
        for (Plugins.Filter f : filters) {
            if (state.skipFilter().contains(f.name())) {
                continue;
            }
            Status s = f.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s.withPlugin(f.name());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Kubernetes' two passes: with the pods nominated to this node at equal or higher priority added (their
     * resources are promised), then without them (affinity to them must not be what makes the pod fit).
     */
    public Status runFiltersWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node, Nominator nominator, Snapshot snapshot) {
        List<PodInfo> nominated = nominator.nominatedPods(node.name());
        if (nominated.isEmpty()) {
            return runFilters(state, pod, node);
        }
        CycleState withState = null;
        NodeInfo withNode = null;
        for (PodInfo other : nominated) {
            if (other.key().equals(pod.key()) || other.priority() < pod.priority()) {
                continue;
            }
            if (withState == null) {
                withState = state.copy();
                withNode = node.copy();
            }
            PodInfo placed = other.boundTo(node.name());
            withNode.addPod(placed);
            addPodToState(withState, pod, placed, withNode, snapshot);
        }
        if (withState == null) {
            return runFilters(state, pod, node);
        }
        Status first = runFilters(withState, pod, withNode);
        if (!first.isSuccess()) {
            return first;
        }
        return runFilters(state, pod, node);
    }

    public void addPodToState(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node, Snapshot snapshot) {
        for (Plugins.PreFilter p : preFilters) {
            if (state.skipFilter().contains(p.name()) || p.extensions() == null) {
                continue;
            }
            p.extensions().addPod(state, podToSchedule, podToAdd, node, snapshot);
        }
    }

    public void removePodFromState(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node, Snapshot snapshot) {
        for (Plugins.PreFilter p : preFilters) {
            if (state.skipFilter().contains(p.name()) || p.extensions() == null) {
                continue;
            }
            p.extensions().removePod(state, podToSchedule, podToRemove, node, snapshot);
        }
    }
}
