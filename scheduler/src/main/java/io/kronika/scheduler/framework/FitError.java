package io.kronika.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Why a pod fits nowhere, and its Kubernetes message: {@code "0/5 nodes are available: 2 Insufficient cpu,
 * 3 node(s) had untolerated taint {dedicated: gpu}."}, reasons counted over nodes and sorted as strings, as
 * kube-scheduler's FitError does; a pre-filter's message replaces the per-node reasons; the preemption outcome
 * follows.
 */
public final class FitError {
    public static final String NO_NODES = "no nodes available to schedule pods";

    private final int numAllNodes;
    private final Map<String, Status> nodeStatuses;
    private final String preFilterMessage;
    private String postFilterMessage = "";

    public FitError(int numAllNodes, Map<String, Status> nodeStatuses, String preFilterMessage) {
        this.numAllNodes = numAllNodes;
        this.nodeStatuses = Collections.unmodifiableMap(nodeStatuses);
        this.preFilterMessage = preFilterMessage == null ? "" : preFilterMessage;
    }

    static FitError noNodes() {
        return new FitError(0, Map.of(), "");
    }

    public int numAllNodes() {
        return numAllNodes;
    }

    /** The verdict of every node that was rejected. */
    public Map<String, Status> nodeStatuses() {
        return nodeStatuses;
    }

    public String preFilterMessage() {
        return preFilterMessage;
    }

    public void setPostFilterMessage(String message) {
        this.postFilterMessage = message == null ? "" : message;
    }

    public String postFilterMessage() {
        return postFilterMessage;
    }

    /** Reason → number of nodes, in kube-scheduler's order. */
    public Map<String, Integer> reasonHistogram() {
        return Framework.histogram(nodeStatuses);
    }

    public String message() {
        if (numAllNodes == 0) {
            return NO_NODES;
        }
        StringBuilder sb = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
        if (!preFilterMessage.isEmpty()) {
            sb.append(' ').append(preFilterMessage).append('.');
        } else {
            List<String> reasons = sortedReasons(reasonHistogram());
            if (!reasons.isEmpty()) {
                sb.append(' ').append(String.join(", ", reasons)).append('.');
            }
        }
        if (!postFilterMessage.isEmpty()) {
            sb.append(' ').append(postFilterMessage);
            if (!postFilterMessage.endsWith(".")) {
                sb.append('.');
            }
        }
        return sb.toString();
    }

    /** "count reason" strings sorted as strings (Go's sort.Strings), as in Kubernetes' messages. */
    public static List<String> sortedReasons(Map<String, Integer> histogram) {
        List<String> reasons = new ArrayList<>();
        histogram.forEach((reason, count) -> reasons.add(count + " " + reason));
        Collections.sort(reasons);
        return reasons;
    }

    @Override
    public String toString() {
        return message();
    }
}
