package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodePortsTest {
    private final CycleState state = new CycleState();

    @Test
    void hostPortsMustBeFree() {
        NodePorts plugin = new NodePorts();
        NodeInfo node = node("n").info(pod("ns", "web").hostPort(8080).build());
        PodInfo wants8080 = pod("ns", "p").hostPort(8080).build();
        PodInfo wants9090 = pod("ns", "q").hostPort(9090).build();
        assertThat(plugin.preFilter(state, pod("ns", "r").build(), Snapshot.of(List.of(node))).isSkip()).isTrue();
        assertThat(plugin.filter(state, wants8080, node).reasons())
                .containsExactly("node(s) didn't have free ports for the requested pod ports");
        assertThat(plugin.filter(state, wants9090, node).isSuccess()).isTrue();
        node.removePod(pod("ns", "web").build());
        assertThat(plugin.filter(state, wants8080, node).isSuccess()).isTrue();
    }
}
