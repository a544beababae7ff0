package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeResourcesBalancedAllocationTest {
    private final CycleState state = new CycleState();

    @Test
    void favorsEvenUseOfCpuAndMemory() {
        NodeResourcesBalancedAllocation balanced = new NodeResourcesBalancedAllocation();
        NodeInfo node = node("n").cpu("4").memory("8Gi").info();
        assertThat(balanced.score(state, pod("ns", "p").cpu("2").memory("4Gi").build(), node)).isEqualTo(100);
        // cpu 3/4 = .75, memory 2/8 = .25 → std .25 → 75
        assertThat(balanced.score(state, pod("ns", "p").cpu("3").memory("2Gi").build(), node)).isEqualTo(75);
    }

    @Test
    void countsRealRequestsNotDefaultsAndThreeResourcesUseTheStandardDeviation() {
        NodeInfo node = node("n").cpu("4").memory("8Gi").allocatable("nvidia.com/gpu", "4").info(pod("ns", "x").build());
        NodeResourcesBalancedAllocation three = new NodeResourcesBalancedAllocation(List.of(
                new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1), new ResourceWeight("nvidia.com/gpu", 1)));
        // cpu 2/4 = .5, memory 4/8 = .5, gpu 2/4 = .5 → std 0 → 100 (the request-less pod counts 0, not the defaults).
        assertThat(three.score(state, pod("ns", "p").cpu("2").memory("4Gi").req("nvidia.com/gpu", "2").build(), node)).isEqualTo(100);
        // cpu 1, memory .5, gpu 0 (not requested: the resource is skipped) → two fractions → |1 - .5| / 2 = .25 → 75.
        assertThat(three.score(state, pod("ns", "p").cpu("4").memory("4Gi").build(), node)).isEqualTo(75);
    }
}
