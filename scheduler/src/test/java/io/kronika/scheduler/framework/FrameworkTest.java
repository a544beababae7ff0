package io.kronika.scheduler.framework;

import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class FrameworkTest {
    private static Framework defaults() {
        return SchedulerConfiguration.defaults().frameworks(new Random(1)).get("default-scheduler");
    }

    @Test
    void messageCountsReasonsOverNodesLikeKubeScheduler() {
        List<NodeInfo> nodes = List.of(
                node("n1").cpu("1").info(), node("n2").cpu("1").info(), node("n3").cpu("1").info(),
                node("g1").taint("dedicated", "gpu", "NoSchedule").info(),
                node("g2").taint("dedicated", "gpu", "NoSchedule").info());
        Framework.Result r = defaults().schedule(pod("ns", "big").cpu("2").build(), Snapshot.of(nodes), Framework.Nominator.NONE);
        assertThat(r.scheduled()).isFalse();
        assertThat(r.fitError().message())
                .isEqualTo("0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.");
        assertThat(r.fitError().nodeStatuses().get("g1").plugin()).isEqualTo("TaintToleration");
        assertThat(r.fitError().nodeStatuses().get("n1").plugin()).isEqualTo("NodeResourcesFit");
    }

    @Test
    void noNodesAtAll() {
        Framework.Result r = defaults().schedule(pod("ns", "p").build(), Snapshot.of(List.of()), Framework.Nominator.NONE);
        assertThat(r.fitError().message()).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void picksTheHighestScoreAndRecordsTheRunnerUp() {
        NodeInfo busy = node("busy").cpu("4").memory("8Gi").info(pod("ns", "a").cpu("3").memory("6Gi").build());
        NodeInfo idle = node("idle").cpu("4").memory("8Gi").info();
        NodeInfo half = node("half").cpu("4").memory("8Gi").info(pod("ns", "b").cpu("2").memory("4Gi").build());
        Framework.Result r = defaults().schedule(pod("ns", "p").cpu("500m").memory("1Gi").build(),
                Snapshot.of(List.of(busy, idle, half)), Framework.Nominator.NONE);
        assertThat(r.node()).isEqualTo("idle");
        assertThat(r.runnerUp().node()).isEqualTo("half");
        assertThat(r.chosen().total()).isGreaterThan(r.runnerUp().total());
        assertThat(r.chosen().byPlugin()).containsKeys("NodeResourcesFit", "NodeResourcesBalancedAllocation", "TaintToleration");
        assertThat(r.feasibleNodes()).isEqualTo(3);
    }

    @Test
    void numFeasibleNodesToFindIsAdaptive() {
        assertThat(Framework.numFeasibleNodesToFind(0, 50)).isEqualTo(50);
        assertThat(Framework.numFeasibleNodesToFind(0, 100)).isEqualTo(100);     // 49% of 100 = 49 → at least 100
        assertThat(Framework.numFeasibleNodesToFind(0, 1000)).isEqualTo(420);    // 42%
        assertThat(Framework.numFeasibleNodesToFind(0, 5000)).isEqualTo(500);    // 10%
        assertThat(Framework.numFeasibleNodesToFind(0, 10000)).isEqualTo(500);   // 5%
        assertThat(Framework.numFeasibleNodesToFind(100, 5000)).isEqualTo(5000);
        assertThat(Framework.numFeasibleNodesToFind(1, 5000)).isEqualTo(100);
    }

    @Test
    void samplesNodesRoundRobinOnLargeClusters() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nodes.add(node("n" + i).info());
        }
        Framework f = defaults();
        Snapshot s = Snapshot.of(nodes);
        Framework.Result first = f.schedule(pod("ns", "p1").build(), s, Framework.Nominator.NONE);
        assertThat(first.evaluatedNodes()).isEqualTo(420);
        assertThat(first.feasibleNodes()).isEqualTo(420);
        Framework.Result second = f.schedule(pod("ns", "p2").build(), s, Framework.Nominator.NONE);
        assertThat(second.evaluatedNodes()).isEqualTo(420);
    }

    @Test
    void nominatedPodsOfEqualOrHigherPriorityHoldTheirRoom() {
        NodeInfo n = node("n").cpu("2").info();
        PodInfo nominated = pod("ns", "vip").cpu("1500m").priority(100).build();
        Framework.Nominator nominator = node -> node.equals("n") ? List.of(nominated) : List.of();
        Framework f = defaults();
        PodInfo low = pod("ns", "low").cpu("1").priority(10).build();
        Framework.Result r = f.schedule(low, Snapshot.of(List.of(n)), nominator);
        assertThat(r.scheduled()).isFalse();
        assertThat(r.fitError().message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        PodInfo higher = pod("ns", "higher").cpu("1").priority(1000).build();
        assertThat(f.schedule(higher, Snapshot.of(List.of(n)), nominator).scheduled()).isTrue();
    }

    @Test
    void aNominatedPodTakesItsNodeFirst() {
        List<NodeInfo> nodes = List.of(node("a").info(), node("b").info(), node("c").info());
        PodInfo p = PodInfo.parse(pod("ns", "p").json().replace("\"spec\"", "\"status\":{\"nominatedNodeName\":\"c\"},\"spec\""));
        Framework.Result r = defaults().schedule(p, Snapshot.of(nodes), Framework.Nominator.NONE);
        assertThat(r.node()).isEqualTo("c");
        assertThat(r.nominatedNodeUsed()).isTrue();
    }

    @Test
    void preFilterRejectionAppliesToEveryNode() {
        FitError e = new FitError(3, Map.of(), "pod has unbound immediate PersistentVolumeClaims");
        assertThat(e.message()).isEqualTo("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
        e.setPostFilterMessage("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assertThat(e.message()).endsWith(". preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    }
}
