package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.model.Taint;
import io.kronika.scheduler.model.Toleration;

/** Cordoned nodes (spec.unschedulable) take only pods tolerating {@code node.kubernetes.io/unschedulable:NoSchedule}. */
public final class NodeUnschedulable implements Plugins.Filter {
    public static final String NAME = "NodeUnschedulable";
    public static final String REASON = "node(s) were unschedulable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!node.node().unschedulable() || Toleration.anyTolerates(pod.tolerations(), Taint.UNSCHEDULABLE)) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(REASON);
    }
}
