package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;


import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeUnschedulableTest {
    private final CycleState state = new CycleState();

    @Test
    void cordonedNodesTakeOnlyPodsTolerating() {
        NodeUnschedulable plugin = new NodeUnschedulable();
        NodeInfo cordoned = node("n").unschedulable().info();
        assertThat(plugin.filter(state, pod("ns", "p").build(), cordoned).reasons()).containsExactly("node(s) were unschedulable");
        PodInfo tolerating = pod("ns", "p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule").build();
        assertThat(plugin.filter(state, tolerating, cordoned).isSuccess()).isTrue();
        assertThat(plugin.filter(state, pod("ns", "p").build(), node("m").info()).isSuccess()).isTrue();
    }
}
