package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class TaintTolerationTest {
    private final CycleState state = new CycleState();

    private final TaintToleration plugin = new TaintToleration();

    @Test
    void untoleratedNoScheduleOrNoExecuteTaintsRuleTheNodeOut() {
        NodeInfo gpu = node("gpu").taint("dedicated", "gpu", "NoSchedule").info();
        Status s = plugin.filter(state, pod("ns", "p").build(), gpu);
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) had untolerated taint {dedicated: gpu}");
        assertThat(plugin.filter(state, pod("ns", "p").toleration("dedicated", "Equal", "gpu", "NoSchedule").build(), gpu).isSuccess()).isTrue();
        assertThat(plugin.filter(state, pod("ns", "p").toleration("dedicated", "Exists", null, null).build(), gpu).isSuccess()).isTrue();
        assertThat(plugin.filter(state, pod("ns", "p").toleration(null, "Exists", null, null).build(), gpu).isSuccess()).isTrue();
        assertThat(plugin.filter(state, pod("ns", "p").toleration("dedicated", "Equal", "cpu", "NoSchedule").build(), gpu).isSuccess()).isFalse();
        assertThat(plugin.filter(state, pod("ns", "p").toleration("dedicated", "Equal", "gpu", "NoExecute").build(), gpu).isSuccess()).isFalse();
        NodeInfo noExecute = node("x").taint("k", "", "NoExecute").info();
        assertThat(plugin.filter(state, pod("ns", "p").build(), noExecute).reasons()).containsExactly("node(s) had untolerated taint {k: }");
        NodeInfo prefer = node("y").taint("k", "v", "PreferNoSchedule").info();
        assertThat(plugin.filter(state, pod("ns", "p").build(), prefer).isSuccess()).isTrue();
    }

    @Test
    void scoresFewerUntoleratedPreferNoScheduleTaintsHigher() {
        PodInfo p = pod("ns", "p").toleration("a", "Exists", null, "PreferNoSchedule").build();
        List<NodeInfo> nodes = List.of(
                node("clean").info(),
                node("tolerated").taint("a", "1", "PreferNoSchedule").info(),
                node("one").taint("b", "1", "PreferNoSchedule").info(),
                node("two").taint("b", "1", "PreferNoSchedule").taint("c", "1", "PreferNoSchedule").info());
        assertThat(PluginScores.of(plugin, p, nodes)).containsExactly(100L, 100L, 50L, 0L);
    }
}
