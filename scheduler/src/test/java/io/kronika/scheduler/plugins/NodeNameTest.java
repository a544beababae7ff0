package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;


import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeNameTest {
    private final CycleState state = new CycleState();

    @Test
    void onlyTheNamedNodeFits() {
        NodeName plugin = new NodeName();
        PodInfo named = pod("ns", "p").nodeName("n1").build();
        assertThat(plugin.filter(state, named, node("n1").info()).isSuccess()).isTrue();
        Status other = plugin.filter(state, named, node("n2").info());
        assertThat(other.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(other.reasons()).containsExactly("node(s) didn't match the requested node name");
        assertThat(plugin.filter(state, pod("ns", "q").build(), node("n2").info()).isSuccess()).isTrue();
    }
}
