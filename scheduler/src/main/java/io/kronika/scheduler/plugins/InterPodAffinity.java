package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodAffinityTerm;
import io.kronika.scheduler.model.PodInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Required and preferred inter-pod affinity and anti-affinity, counted per topology domain as Kubernetes does.
 * Filter: the node's domains must hold no pod whose required anti-affinity selects the incoming pod, no pod the
 * incoming pod's required anti-affinity selects, and (for each required affinity term) a pod it selects — unless
 * no such pod exists anywhere and the pod matches its own terms (the first of a group).
 * Score: preferred terms of both sides (and existing pods' required affinity, at hardPodAffinityWeight).
 */
public final class InterPodAffinity implements Plugins.PreFilter, Plugins.Filter, Plugins.PreScore, Plugins.Score {
    public static final String NAME = "InterPodAffinity";
    public static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
    public static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    private static final String SCORE_KEY = NAME + "/score";

    private final int hardPodAffinityWeight;

    public InterPodAffinity() {
        this(1);
    }

    public InterPodAffinity(int hardPodAffinityWeight) {
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Counts per topology key, then per value of that key. */
    static final class Counts {
        final Map<String, Map<String, Long>> byKey = new HashMap<>();

        Counts copy() {
            Counts c = new Counts();
            byKey.forEach((k, m) -> c.byKey.put(k, new HashMap<>(m)));
            return c;
        }

        long get(String key, String value) {
            Map<String, Long> m = byKey.get(key);
            if (m == null) {
                return 0;
            }
            Long c = m.get(value);
            return c == null ? 0 : c;
        }

        boolean isEmpty() {
            return byKey.isEmpty();
        }

        boolean allNonPositive() {
            for (Map<String, Long> m : byKey.values()) {
                for (long c : m.values()) {
                    if (c > 0) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    static final class FilterState implements PodCountState {
        final Counts existingAntiAffinity;
        final Counts affinity;
        final Counts antiAffinity;
        final PodAffinityTerm.NamespaceLabels namespaceLabels;

        FilterState(Counts existingAntiAffinity, Counts affinity, Counts antiAffinity, PodAffinityTerm.NamespaceLabels namespaceLabels) {
            this.existingAntiAffinity = existingAntiAffinity;
            this.affinity = affinity;
            this.antiAffinity = antiAffinity;
            this.namespaceLabels = namespaceLabels;
        }

        @Override
        public CycleState.Data copy() {
            return new FilterState(existingAntiAffinity.copy(), affinity.copy(), antiAffinity.copy(), namespaceLabels);
        }

        @Override
        public void update(PodInfo incoming, PodInfo existing, NodeInfo node, int delta) {
            for (PodAffinityTerm t : existing.requiredAntiAffinity()) {
                if (t.matches(incoming, namespaceLabels)) {
                    add(existingAntiAffinity, t.topologyKey(), node, delta);
                }
            }
            if (!incoming.requiredAffinity().isEmpty() && matchesAll(incoming.requiredAffinity(), existing, namespaceLabels)) {
                for (PodAffinityTerm t : incoming.requiredAffinity()) {
                    add(affinity, t.topologyKey(), node, delta);
                }
            }
            for (PodAffinityTerm t : incoming.requiredAntiAffinity()) {
                if (t.matches(existing, namespaceLabels)) {
                    add(antiAffinity, t.topologyKey(), node, delta);
                }
            }
        }
    }

    private static void add(Counts counts, String key, NodeInfo node, long delta) {
        String value = node.labels().get(key);
        if (value != null) {
            counts.byKey.computeIfAbsent(key, k -> new HashMap<>()).merge(value, delta, Long::sum);
        }
    }

    static boolean matchesAll(List<PodAffinityTerm> terms, PodInfo pod, PodAffinityTerm.NamespaceLabels ns) {
        for (PodAffinityTerm t : terms) {
            if (!t.matches(pod, ns)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        boolean anyExistingAntiAffinity = snapshot.anyPodWithRequiredAntiAffinity();
        if (pod.requiredAffinity().isEmpty() && pod.requiredAntiAffinity().isEmpty() && !anyExistingAntiAffinity) {
            return Status.SKIP;
        }
        FilterState s = new FilterState(new Counts(), new Counts(), new Counts(), snapshot);
        boolean incomingTerms = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
        for (NodeInfo node : snapshot.nodes()) {
            for (PodInfo existing : anyExistingAntiAffinity ? node.podsWithRequiredAntiAffinity() : List.<PodInfo>of()) {
                for (PodAffinityTerm t : existing.requiredAntiAffinity()) {
                    if (t.matches(pod, snapshot)) {
                        add(s.existingAntiAffinity, t.topologyKey(), node, 1);
                    }
                }
            }
            if (incomingTerms) {
                for (PodInfo existing : node.pods()) {
                    if (!pod.requiredAffinity().isEmpty() && matchesAll(pod.requiredAffinity(), existing, snapshot)) {
                        for (PodAffinityTerm t : pod.requiredAffinity()) {
                            add(s.affinity, t.topologyKey(), node, 1);
                        }
                    }
                    for (PodAffinityTerm t : pod.requiredAntiAffinity()) {
                        if (t.matches(existing, snapshot)) {
                            add(s.antiAffinity, t.topologyKey(), node, 1);
                        }
                    }
                }
            }
        }
        state.put(NAME, s);
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
        Map<String, String> labels = node.labels();
        // Existing pods' anti-affinity.
        if (!s.existingAntiAffinity.isEmpty()) {
            for (Map.Entry<String, Map<String, Long>> e : s.existingAntiAffinity.byKey.entrySet()) {
                String value = labels.get(e.getKey());
                if (value != null) {
                    Long c = e.getValue().get(value);
                    if (c != null && c > 0) {
                        return Status.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
                    }
                }
            }
        }
        // The incoming pod's required affinity.
        if (!pod.requiredAffinity().isEmpty()) {
            boolean podsExist = true;
            for (PodAffinityTerm t : pod.requiredAffinity()) {
                String value = labels.get(t.topologyKey());
                if (value == null) {
                    return Status.unresolvable(REASON_AFFINITY);
                }
                if (s.affinity.get(t.topologyKey(), value) <= 0) {
                    podsExist = false;
                }
            }
            if (!podsExist) {
                boolean noneAnywhere = s.affinity.allNonPositive();
                if (!(noneAnywhere && matchesAll(pod.requiredAffinity(), pod, s.namespaceLabels))) {
                    return Status.unresolvable(REASON_AFFINITY);
                }
            }
        }
        // The incoming pod's required anti-affinity.
        for (PodAffinityTerm t : pod.requiredAntiAffinity()) {
            String value = labels.get(t.topologyKey());
            if (value != null && s.antiAffinity.get(t.topologyKey(), value) > 0) {
                return Status.unschedulable(REASON_ANTI_AFFINITY);
            }
        }
        return Status.SUCCESS;
    }

    // ---- scoring ----

    static final class ScoreState implements CycleState.Data {
        final Map<String, Map<String, Long>> topologyScore = new HashMap<>();

        @Override
        public CycleState.Data copy() {
            return this;
        }

        void add(String key, NodeInfo node, long weight) {
            String value = node.labels().get(key);
            if (value != null && weight != 0) {
                topologyScore.computeIfAbsent(key, k -> new HashMap<>()).merge(value, weight, Long::sum);
            }
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
        boolean incomingPreferred = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        if (!incomingPreferred && !snapshot.anyPodWithScoringAffinityTerms()) {
            return Status.SKIP;
        }
        ScoreState s = new ScoreState();
        for (NodeInfo node : snapshot.nodes()) {
            List<PodInfo> pods = incomingPreferred ? node.pods() : node.podsWithAffinity();
            for (PodInfo existing : pods) {
                if (!incomingPreferred && !existing.hasScoringAffinityTerms()) {
                    continue;
                }
                for (PodAffinityTerm t : pod.preferredAffinity()) {
                    if (t.matches(existing, snapshot)) {
                        s.add(t.topologyKey(), node, t.weight());
                    }
                }
                for (PodAffinityTerm t : pod.preferredAntiAffinity()) {
                    if (t.matches(existing, snapshot)) {
                        s.add(t.topologyKey(), node, -t.weight());
                    }
                }
                if (hardPodAffinityWeight > 0) {
                    for (PodAffinityTerm t : existing.requiredAffinity()) {
                        if (t.matches(pod, snapshot)) {
                            s.add(t.topologyKey(), node, hardPodAffinityWeight);
                        }
                    }
                }
                for (PodAffinityTerm t : existing.preferredAffinity()) {
                    if (t.matches(pod, snapshot)) {
                        s.add(t.topologyKey(), node, t.weight());
                    }
                }
                for (PodAffinityTerm t : existing.preferredAntiAffinity()) {
                    if (t.matches(pod, snapshot)) {
                        s.add(t.topologyKey(), node, -t.weight());
                    }
                }
            }
        }
        if (s.topologyScore.isEmpty()) {
            return Status.SKIP;
        }
        state.put(SCORE_KEY, s);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.get(SCORE_KEY);
        if (s == null) {
            return 0;
        }
        long score = 0;
        for (Map.Entry<String, Map<String, Long>> e : s.topologyScore.entrySet()) {
            String value = node.labels().get(e.getKey());
            if (value != null) {
                score += e.getValue().getOrDefault(value, 0L);
            }
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        if (scores.length == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (Plugins.MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
        }
    }
}
