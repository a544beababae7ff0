package io.kronika.scheduler.preemption;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.FitError;
import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's DefaultPreemption post-filter. For a pod that fits nowhere: on each node rejected for a
 * resolvable reason, remove every lower-priority pod, check the pod then fits, and give back (most important first)
 * every pod whose return still lets it fit; what remains are the victims. Among the candidate nodes pick the one
 * whose most important victim has the lowest priority, then the lowest sum of victim priorities, then the fewest
 * victims, then the most recently started victims. Pure: it decides, the caller evicts and nominates.
 */
public final class DefaultPreemption {
    public static final String NAME = "DefaultPreemption";
    public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    public static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private final int minCandidateNodesPercentage;
    private final int minCandidateNodesAbsolute;

    public DefaultPreemption() {
        this(10, 100);
    }

    public DefaultPreemption(int minCandidateNodesPercentage, int minCandidateNodesAbsolute) {
        this.minCandidateNodesPercentage = minCandidateNodesPercentage;
        this.minCandidateNodesAbsolute = minCandidateNodesAbsolute;
    }

    /** A node where evicting {@code victims} (most important first) lets the pod fit. */
    public record Candidate(String node, List<PodInfo> victims) {
        int highestPriority() {
            return victims.isEmpty() ? Integer.MIN_VALUE : victims.get(0).priority();
        }

        long prioritySum() {
            long sum = 0;
            for (PodInfo v : victims) {
                sum += (long) v.priority() + Integer.MAX_VALUE + 1L;
            }
            return sum;
        }

        long latestStartOfMostImportant() {
            return victims.isEmpty() ? Long.MAX_VALUE : victims.get(0).creationMillis();
        }
    }

    /** Either a candidate, or the message that says why preemption could not help. */
    public record Outcome(Candidate candidate, String message) {
    }

    /** Kubernetes' ordering of importance: higher priority first, then the earlier started. */
    public static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = Comparator.comparingInt(PodInfo::priority).reversed()
            .thenComparingLong(PodInfo::creationMillis);

    /** Why {@code pod} is not allowed to preempt now, or null when it is. */
    public static String ineligibility(PodInfo pod, Snapshot snapshot, FitError fitError) {
        if ("Never".equals(pod.preemptionPolicy())) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = pod.nominatedNodeName();
        if (!nominated.isEmpty()) {
            Status s = fitError.nodeStatuses().get(nominated);
            if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return null;
            }
            NodeInfo node = snapshot.node(nominated);
            if (node != null) {
                for (PodInfo p : node.pods()) {
                    if (p.priority() < pod.priority() && p.isTerminating()) {
                        return "not eligible due to a terminating pod on the nominated node.";
                    }
                }
            }
        }
        return null;
    }

    public Outcome preempt(Framework framework, PodInfo pod, CycleState state, Snapshot snapshot, FitError fitError,
                           Framework.Nominator nominator) {
        String ineligible = ineligibility(pod, snapshot, fitError);
        if (ineligible != null) {
            return new Outcome(null, "preemption: " + ineligible);
        }
        List<NodeInfo> all = snapshot.nodes();
        Map<String, Status> verdicts = new LinkedHashMap<>();
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo node : all) {
            Status s = fitError.nodeStatuses().get(node.name());
            if (s != null && s.code() == Status.Code.UNSCHEDULABLE) {
                potential.add(node);
            } else {
                verdicts.put(node.name(), Status.unresolvable(NOT_HELPFUL));
            }
        }
        if (potential.isEmpty()) {
            return new Outcome(null, "preemption: " + new FitError(all.size(), verdicts, "").message());
        }
        int wanted = numCandidates(potential.size());
        int offset = framework.random().nextInt(potential.size());
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < potential.size() && candidates.size() < wanted; i++) {
            NodeInfo node = potential.get((offset + i) % potential.size());
            List<PodInfo> victims = selectVictims(framework, pod, state, node, snapshot, nominator);
            if (victims == null) {
                verdicts.put(node.name(), Status.unschedulable(NO_VICTIMS));
            } else {
                candidates.add(new Candidate(node.name(), victims));
            }
        }
        if (candidates.isEmpty()) {
            return new Outcome(null, "preemption: " + new FitError(all.size(), verdicts, "").message());
        }
        return new Outcome(pick(candidates), "");
    }

    int numCandidates(int numNodes) {
        int n = numNodes * minCandidateNodesPercentage / 100;
        n = Math.max(n, minCandidateNodesAbsolute);
        return Math.min(n, numNodes);
    }

    /** The victims on {@code node}, most important first, or null when evicting every lower-priority pod is not enough. */
    public static List<PodInfo> selectVictims(Framework framework, PodInfo pod, CycleState original, NodeInfo original_node,
                                              Snapshot snapshot, Framework.Nominator nominator) {
        CycleState state = original.copy();
        NodeInfo node = original_node.copy();
        List<PodInfo> lower = new ArrayList<>();
        for (PodInfo p : node.pods()) {
            if (p.priority() < pod.priority()) {
                lower.add(p);
            }
        }
        if (lower.isEmpty()) {
            return null;
        }
        for (PodInfo p : lower) {
            node.removePod(p);
            framework.removePodFromState(state, pod, p, node, snapshot);
        }
        if (!framework.runFiltersWithNominatedPods(state, pod, node, nominator, snapshot).isSuccess()) {
            return null;
        }
        lower.sort(MORE_IMPORTANT_FIRST);
        List<PodInfo> victims = new ArrayList<>();
        for (PodInfo p : lower) {
            node.addPod(p);
            framework.addPodToState(state, pod, p, node, snapshot);
            if (!framework.runFiltersWithNominatedPods(state, pod, node, nominator, snapshot).isSuccess()) {
                node.removePod(p);
                framework.removePodFromState(state, pod, p, node, snapshot);
                victims.add(p);
            }
        }
        return victims;
    }

    static Candidate pick(List<Candidate> candidates) {
        Comparator<Candidate> order = Comparator.comparingInt(Candidate::highestPriority)
                .thenComparingLong(Candidate::prioritySum)
                .thenComparingInt(c -> c.victims().size())
                .thenComparing(Comparator.comparingLong(Candidate::latestStartOfMostImportant).reversed());
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (order.compare(c, best) < 0) {
                best = c;
            }
        }
        return best;
    }
}
