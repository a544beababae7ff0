package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class PodTopologySpreadTest {
    private static final String ZONE = "topology.kubernetes.io/zone";
    private final PodTopologySpread plugin = new PodTopologySpread();

    private static PodInfo app(String name) {
        return pod("ns", name).label("app", "web").build();
    }

    /** Zone a: 2 matching pods, zone b: 1, zone c: 0 (one node each), plus a node without the zone label. */
    private static Snapshot zones() {
        return Snapshot.of(List.of(
                node("a1").label(ZONE, "a").info(app("w1"), app("w2"), pod("ns", "other").label("app", "db").build()),
                node("b1").label(ZONE, "b").info(app("w3")),
                node("c1").label(ZONE, "c").info(pod("other-ns", "w4").label("app", "web").build()),
                node("nolabel").info()));
    }

    private Status verdict(PodInfo pod, Snapshot s, String node) {
        CycleState state = new CycleState();
        Status pre = plugin.preFilter(state, pod, s);
        return pre.isSkip() ? Status.SUCCESS : plugin.filter(state, pod, s.node(node));
    }

    @Test
    void doNotScheduleKeepsSkewWithinMaxSkew() {
        Snapshot s = zones();
        PodInfo p = pod("ns", "new").label("app", "web").spread(1, ZONE, "DoNotSchedule", "app", "web").build();
        // min over domains is 0 (zone c; the pod in another namespace does not count).
        assertThat(verdict(p, s, "c1").isSuccess()).isTrue();            // 0 + 1 - 0 = 1
        Status b = verdict(p, s, "b1");                                  // 1 + 1 - 0 = 2 > 1
        assertThat(b.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(b.reasons()).containsExactly("node(s) didn't match pod topology spread constraints");
        assertThat(verdict(p, s, "a1").isSuccess()).isFalse();
        Status missing = verdict(p, s, "nolabel");
        assertThat(missing.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(missing.reasons()).containsExactly("node(s) didn't match pod topology spread constraints (missing required label)");

        PodInfo loose = pod("ns", "new").label("app", "web").spread(2, ZONE, "DoNotSchedule", "app", "web").build();
        assertThat(verdict(loose, s, "b1").isSuccess()).isTrue();
        assertThat(verdict(loose, s, "a1").isSuccess()).isFalse();       // 2 + 1 - 0 = 3
    }

    @Test
    void aPodThatDoesNotMatchItsOwnSelectorDoesNotCountItself() {
        PodInfo p = pod("ns", "new").label("app", "other").spread(1, ZONE, "DoNotSchedule", "app", "web").build();
        assertThat(verdict(p, zones(), "b1").isSuccess()).isTrue(); // 1 + 0 - 0 = 1
    }

    @Test
    void minDomainsCountsMissingDomainsAsEmpty() {
        Snapshot s = Snapshot.of(List.of(node("a1").label(ZONE, "a").info(app("w1")), node("b1").label(ZONE, "b").info(app("w2"))));
        PodInfo p = pod("ns", "new").label("app", "web").spec("topologySpreadConstraints", """
                [{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule",
                  "labelSelector":{"matchLabels":{"app":"web"}},"minDomains":3}]""").build();
        // Only 2 domains exist but 3 are wanted: the global minimum is taken as 0, so 1 + 1 - 0 > 1 everywhere.
        assertThat(verdict(p, s, "a1").isSuccess()).isFalse();
        assertThat(verdict(p, s, "b1").isSuccess()).isFalse();
    }

    @Test
    void nodeAffinityPolicyHonorExcludesNodesThePodCanNotUse() {
        Snapshot s = Snapshot.of(List.of(
                node("a1").label(ZONE, "a").label("pool", "x").info(app("w1")),
                node("b1").label(ZONE, "b").label("pool", "y").info(),
                node("c1").label(ZONE, "c").label("pool", "x").info(app("w2"))));
        PodInfo p = pod("ns", "new").label("app", "web").nodeSelector("pool", "x").spread(1, ZONE, "DoNotSchedule", "app", "web").build();
        // Zone b's node is excluded (the pod could never go there), so the minimum is 1, not 0.
        assertThat(verdict(p, s, "a1").isSuccess()).isTrue();
    }

    @Test
    void scheduleAnywayScoresEmptierDomainsHigher() {
        Snapshot s = zones();
        List<NodeInfo> feasible = new ArrayList<>(s.nodes());
        PodInfo p = pod("ns", "new").label("app", "web").spread(1, ZONE, "ScheduleAnyway", "app", "web").build();
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, p, s).isSkip()).isTrue(); // no DoNotSchedule constraint
        assertThat(plugin.preScore(state, p, feasible, s).isSuccess()).isTrue();
        long[] scores = new long[feasible.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(state, p, feasible.get(i));
        }
        plugin.normalize(state, p, feasible, scores);
        // counts a=2, b=1, c=0; weight log(3+2); raw ≈ 3.2, 1.6, 0 → 100*(3+0-raw)/3 ; the unlabeled node is ignored (0).
        assertThat(scores[2]).isEqualTo(100);
        assertThat(scores[1]).isGreaterThan(scores[0]);
        assertThat(scores[2]).isGreaterThan(scores[1]);
        assertThat(scores[3]).isZero();
    }

    @Test
    void preemptionExtensionsKeepCountsRight() {
        Snapshot s = zones();
        PodInfo p = pod("ns", "new").label("app", "web").spread(1, ZONE, "DoNotSchedule", "app", "web").build();
        CycleState state = new CycleState();
        plugin.preFilter(state, p, s);
        NodeInfo a1 = s.node("a1");
        plugin.extensions().removePod(state, p, app("w1"), a1, s);
        plugin.extensions().removePod(state, p, app("w2"), a1, s);
        // a now has 0: placing there is 0 + 1 - 0 = 1 → fits.
        assertThat(plugin.filter(state, p, a1).isSuccess()).isTrue();
        plugin.extensions().addPod(state, p, app("w1"), a1, s);
        assertThat(plugin.filter(state, p, a1).isSuccess()).isFalse();
    }
}
