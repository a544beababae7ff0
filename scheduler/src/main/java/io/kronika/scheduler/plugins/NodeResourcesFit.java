package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Filter: the pod's requests (cpu, memory, ephemeral-storage, extended resources, and one pod slot) must fit in
 * the node's allocatable minus what its pods request. Score: LeastAllocated (default) or MostAllocated over the
 * configured resources, computed on non-zero requests for cpu and memory as Kubernetes does.
 */
public final class NodeResourcesFit implements Plugins.Filter, Plugins.Score {
    public static final String NAME = "NodeResourcesFit";

    public enum Strategy { LEAST_ALLOCATED, MOST_ALLOCATED }

    private final Strategy strategy;
    private final List<ResourceWeight> resources;

    public NodeResourcesFit() {
        this(Strategy.LEAST_ALLOCATED, ResourceWeight.CPU_AND_MEMORY);
    }

    public NodeResourcesFit(Strategy strategy, List<ResourceWeight> resources) {
        this.strategy = strategy;
        this.resources = List.copyOf(resources);
    }

    public Strategy strategy() {
        return strategy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<String> insufficient = insufficientResources(pod, node);
        return insufficient.isEmpty() ? Status.SUCCESS : Status.unschedulable(insufficient);
    }

    /** Kubernetes' reasons, in its order: "Too many pods", then "Insufficient cpu", memory, ephemeral-storage, extended. */
    public static List<String> insufficientResources(PodInfo pod, NodeInfo node) {
        List<String> reasons = new ArrayList<>(1);
        Resources alloc = node.allocatable();
        Resources used = node.requested();
        if (used.pods + 1 > alloc.pods) {
            reasons.add("Too many pods");
        }
        Resources req = pod.requests();
        if (req.milliCpu == 0 && req.memory == 0 && req.ephemeralStorage == 0 && req.scalar().isEmpty()) {
            return reasons;
        }
        if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
            reasons.add("Insufficient cpu");
        }
        if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
            reasons.add("Insufficient memory");
        }
        if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
            reasons.add("Insufficient ephemeral-storage");
        }
        for (Map.Entry<String, Long> e : req.scalar().entrySet()) {
            long wanted = e.getValue();
            if (wanted > 0 && wanted > alloc.get(e.getKey()) - used.get(e.getKey())) {
                reasons.add("Insufficient " + e.getKey());
            }
        }
        return reasons;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long total = 0;
        long weights = 0;
        for (ResourceWeight rw : resources) {
            long[] ar = allocatableAndRequested(pod, node, rw.name(), false);
            if (ar == null || ar[0] == 0) {
                continue;
            }
            long s = strategy == Strategy.LEAST_ALLOCATED ? leastAllocated(ar[1], ar[0]) : mostAllocated(ar[1], ar[0]);
            total += s * rw.weight();
            weights += rw.weight();
        }
        return weights == 0 ? 0 : total / weights;
    }

    /**
     * [allocatable, requested including the pod] of one resource, or null for an extended resource the pod does
     * not ask for. {@code useRequested} false takes non-zero requests for cpu and memory.
     */
    static long[] allocatableAndRequested(PodInfo pod, NodeInfo node, String resource, boolean useRequested) {
        Resources alloc = node.allocatable();
        switch (resource) {
            case Resources.CPU:
                return new long[]{alloc.milliCpu, useRequested
                        ? node.requested().milliCpu + pod.requests().milliCpu
                        : node.nonZeroRequestedMilliCpu() + pod.nonZeroMilliCpu()};
            case Resources.MEMORY:
                return new long[]{alloc.memory, useRequested
                        ? node.requested().memory + pod.requests().memory
                        : node.nonZeroRequestedMemory() + pod.nonZeroMemory()};
            case Resources.EPHEMERAL_STORAGE:
                return new long[]{alloc.ephemeralStorage, node.requested().ephemeralStorage + pod.requests().ephemeralStorage};
            default:
                long podRequest = pod.requests().get(resource);
                if (podRequest == 0 && Resources.isScalar(resource)) {
                    return null;
                }
                return new long[]{alloc.get(resource), node.requested().get(resource) + podRequest};
        }
    }

    static long leastAllocated(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * Plugins.MAX_NODE_SCORE / capacity;
    }

    static long mostAllocated(long requested, long capacity) {
        if (capacity == 0) {
            return 0;
        }
        return Math.min(requested, capacity) * Plugins.MAX_NODE_SCORE / capacity;
    }
}
