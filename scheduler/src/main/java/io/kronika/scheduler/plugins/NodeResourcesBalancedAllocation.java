package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.model.PodInfo;

import java.util.List;

/**
 * Favors nodes whose resources would be used in balance: 100 × (1 − the standard deviation of the fractions of
 * each resource requested, the pod included).
 */
public final class NodeResourcesBalancedAllocation implements Plugins.Score {
    public static final String NAME = "NodeResourcesBalancedAllocation";

    private final List<ResourceWeight> resources;

    public NodeResourcesBalancedAllocation() {
        this(ResourceWeight.CPU_AND_MEMORY);
    }

    public NodeResourcesBalancedAllocation(List<ResourceWeight> resources) {
        this.resources = List.copyOf(resources);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        double[] fractions = new double[resources.size()];
        int n = 0;
        for (ResourceWeight rw : resources) {
            long[] ar = NodeResourcesFit.allocatableAndRequested(pod, node, rw.name(), true);
            if (ar == null || ar[0] == 0) {
                continue;
            }
            fractions[n++] = Math.min(1.0, (double) ar[1] / ar[0]);
        }
        double std = 0;
        if (n == 2) {
            std = Math.abs((fractions[0] - fractions[1]) / 2);
        } else if (n > 2) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += fractions[i];
            }
            mean /= n;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (fractions[i] - mean) * (fractions[i] - mean);
            }
            std = Math.sqrt(sum / n);
        }
        return (long) ((1 - std) * Plugins.MAX_NODE_SCORE);
    }
}
