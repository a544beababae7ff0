package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;

/** A pod that names its node (spec.nodeName) fits only there. */
public final class NodeName implements Plugins.Filter {
    public static final String NAME = "NodeName";
    public static final String REASON = "node(s) didn't match the requested node name";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (pod.nodeName().isEmpty() || pod.nodeName().equals(node.name())) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(REASON);
    }
}
