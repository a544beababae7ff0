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

class NodeResourcesFitTest {
    private final NodeResourcesFit fit = new NodeResourcesFit();
    private final CycleState state = new CycleState();

    @Test
    void fitsWhenRequestsFitInAllocatableMinusRequested() {
        NodeInfo node = node("n").cpu("2").memory("4Gi").info(pod("ns", "a").cpu("1500m").memory("1Gi").build());
        assertThat(fit.filter(state, pod("ns", "p").cpu("500m").memory("3Gi").build(), node).isSuccess()).isTrue();
        Status tooMuch = fit.filter(state, pod("ns", "p").cpu("501m").memory("3Gi").build(), node);
        assertThat(tooMuch.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(tooMuch.reasons()).containsExactly("Insufficient cpu");
        assertThat(fit.filter(state, pod("ns", "p").cpu("600m").memory("4Gi").build(), node).reasons())
                .containsExactly("Insufficient cpu", "Insufficient memory");
    }

    @Test
    void countsPodsAgainstAllocatablePods() {
        NodeInfo node = node("n").pods(1).info(pod("ns", "a").build());
        assertThat(fit.filter(state, pod("ns", "p").build(), node).reasons()).containsExactly("Too many pods");
    }

    @Test
    void checksEphemeralStorageAndExtendedResources() {
        NodeInfo node = node("n").allocatable("ephemeral-storage", "10Gi").allocatable("nvidia.com/gpu", "2")
                .info(pod("ns", "a").req("nvidia.com/gpu", "1").build());
        assertThat(fit.filter(state, pod("ns", "p").req("nvidia.com/gpu", "1").build(), node).isSuccess()).isTrue();
        assertThat(fit.filter(state, pod("ns", "p").req("nvidia.com/gpu", "2").build(), node).reasons())
                .containsExactly("Insufficient nvidia.com/gpu");
        assertThat(fit.filter(state, pod("ns", "p").req("example.com/foo", "1").build(), node).reasons())
                .containsExactly("Insufficient example.com/foo");
        assertThat(fit.filter(state, pod("ns", "p").req("ephemeral-storage", "11Gi").build(), node).reasons())
                .containsExactly("Insufficient ephemeral-storage");
    }

    @Test
    void initContainersSidecarsAndOverheadFollowKubernetesRules() {
        // Regular init containers run one at a time before the app: the max counts, not the sum.
        PodInfo p = pod("ns", "p").cpu("1").memory("1Gi").initContainer("i1", "2", "512Mi", false)
                .initContainer("i2", "500m", "3Gi", false).build();
        assertThat(p.requests().milliCpu).isEqualTo(2000);
        assertThat(p.requests().memory).isEqualTo(3L << 30);
        // A sidecar (restartPolicy Always) keeps running: it adds to the app and to every later init container.
        PodInfo s = pod("ns", "s").cpu("1").initContainer("side", "500m", null, true).initContainer("late", "2", null, false).build();
        assertThat(s.requests().milliCpu).isEqualTo(2500); // max(1 + 0.5, 2 + 0.5)
        PodInfo s2 = pod("ns", "s2").cpu("3").initContainer("side", "500m", null, true).initContainer("late", "1", null, false).build();
        assertThat(s2.requests().milliCpu).isEqualTo(3500);
        // Overhead is added on top.
        PodInfo o = pod("ns", "o").cpu("1").memory("1Gi").overhead("250m", "120Mi").build();
        assertThat(o.requests().milliCpu).isEqualTo(1250);
        assertThat(o.requests().memory).isEqualTo((1L << 30) + 120L * 1024 * 1024);
    }

    @Test
    void leastAllocatedPrefersTheEmptierNodeAndMostAllocatedTheFuller() {
        NodeInfo empty = node("empty").cpu("4").memory("8Gi").info();
        NodeInfo busy = node("busy").cpu("4").memory("8Gi").info(pod("ns", "a").cpu("2").memory("4Gi").build());
        PodInfo p = pod("ns", "p").cpu("1").memory("2Gi").build();
        // (4-1)/4*100=75 and (8-2)/8*100=75 → 75; busy: (4-3)/4=25, (8-6)/8=25 → 25
        assertThat(fit.score(state, p, empty)).isEqualTo(75);
        assertThat(fit.score(state, p, busy)).isEqualTo(25);
        NodeResourcesFit most = new NodeResourcesFit(NodeResourcesFit.Strategy.MOST_ALLOCATED, ResourceWeight.CPU_AND_MEMORY);
        assertThat(most.score(state, p, empty)).isEqualTo(25);
        assertThat(most.score(state, p, busy)).isEqualTo(75);
        NodeResourcesFit cpuHeavy = new NodeResourcesFit(NodeResourcesFit.Strategy.LEAST_ALLOCATED,
                List.of(new ResourceWeight("cpu", 3), new ResourceWeight("memory", 1)));
        NodeInfo memoryBusy = node("m").cpu("4").memory("8Gi").info(pod("ns", "b").memory("4Gi").cpu("0").build());
        // cpu (4-1)/4 = 75 ×3, memory (8-6)/8 = 25 ×1 → (225 + 25) / 4 = 62
        assertThat(cpuHeavy.score(state, p, memoryBusy)).isEqualTo(62);
    }

    @Test
    void scoringCountsContainersWithoutRequestsAtKubernetesDefaults() {
        NodeInfo node = node("n").cpu("1").memory("1000Mi").info(pod("ns", "nothing").build());
        // The pod without requests counts as 100m and 200Mi for scoring, not for fitting.
        assertThat(node.requested().milliCpu).isZero();
        assertThat(node.nonZeroRequestedMilliCpu()).isEqualTo(100);
        PodInfo p = pod("ns", "p").build();
        // cpu: (1000-200)/1000 → 80; memory: (1000Mi-400Mi)/1000Mi → 60 → 70
        assertThat(fit.score(state, p, node)).isEqualTo(70);
    }
}
