package io.kronika.scheduler.framework;

import io.kronika.scheduler.model.PodInfo;

import java.util.List;

/** The extension points of a scheduling profile, as in kube-scheduler's framework. */
public final class Plugins {
    private Plugins() {
    }

    public interface Plugin {
        String name();
    }

    /** Computes per-attempt state; may reject the pod on every node, or SKIP its own filter. */
    public interface PreFilter extends Plugin {
        Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot);

        /** Keeps the pre-filter state right when pods are added or removed in a what-if (preemption). */
        default PreFilterExtensions extensions() {
            return null;
        }
    }

    public interface PreFilterExtensions {
        void addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node, Snapshot snapshot);

        void removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node, Snapshot snapshot);
    }

    /** Whether the pod may run on the node. Must be pure: same inputs, same verdict. */
    public interface Filter extends Plugin {
        Status filter(CycleState state, PodInfo pod, NodeInfo node);
    }

    /** Computes per-attempt scoring state over the feasible nodes; SKIP turns its score off for this pod. */
    public interface PreScore extends Plugin {
        Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot);
    }

    /** Ranks feasible nodes; after {@link #normalize} every score is within 0..100. */
    public interface Score extends Plugin {
        long score(CycleState state, PodInfo pod, NodeInfo node);

        default void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        }
    }

    public static final long MAX_NODE_SCORE = 100;

    /** Scales scores to 0..100 by the largest one; {@code reverse} makes the largest worst. */
    public static void defaultNormalize(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        if (max == 0) {
            if (reverse) {
                java.util.Arrays.fill(scores, MAX_NODE_SCORE);
            }
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = MAX_NODE_SCORE * scores[i] / max;
            scores[i] = reverse ? MAX_NODE_SCORE - s : s;
        }
    }
}
