package io.kronika.scheduler.cache;

import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerCacheTest {
    @Test
    void assumedPodsHoldRoomUntilTheirEventConfirmsThem() {
        SchedulerCache cache = new SchedulerCache(30_000);
        cache.upsertNode(node("n1").cpu("2").model());
        PodInfo p = pod("ns", "p").cpu("1").build();
        cache.assume(p, "n1");
        assertThat(cache.node("n1").requested().milliCpu).isEqualTo(1000);
        assertThat(cache.isAssumed(p.key())).isTrue();
        cache.finishBinding(p.key(), 1000);
        cache.addOrUpdateBoundPod(pod("ns", "p").cpu("1").nodeName("n1").revision(7).build());
        assertThat(cache.isAssumed(p.key())).isFalse();
        assertThat(cache.node("n1").requested().milliCpu).isEqualTo(1000);
        assertThat(cache.node("n1").pods()).hasSize(1);
        assertThat(cache.cleanupExpiredAssumptions(1_000_000)).isEmpty();
    }

    @Test
    void aRefusedBindingIsForgottenAndAnUnconfirmedOneExpires() {
        SchedulerCache cache = new SchedulerCache(30_000);
        cache.upsertNode(node("n1").model());
        PodInfo p = pod("ns", "p").cpu("1").build();
        cache.assume(p, "n1");
        assertThat(cache.forget(p.key())).isTrue();
        assertThat(cache.node("n1").requested().milliCpu).isZero();

        cache.assume(p, "n1");
        cache.finishBinding(p.key(), 1000);
        assertThat(cache.cleanupExpiredAssumptions(30_999)).isEmpty();
        assertThat(cache.cleanupExpiredAssumptions(31_000)).containsExactly(p.key());
        assertThat(cache.node("n1").pods()).isEmpty();
    }

    @Test
    void anotherSchedulersBindingMovesOurAssumption() {
        SchedulerCache cache = new SchedulerCache(30_000);
        cache.upsertNode(node("n1").model());
        cache.upsertNode(node("n2").model());
        cache.assume(pod("ns", "p").cpu("1").build(), "n1");
        cache.addOrUpdateBoundPod(pod("ns", "p").cpu("1").nodeName("n2").build());
        assertThat(cache.node("n1").pods()).isEmpty();
        assertThat(cache.node("n2").pods()).hasSize(1);
        assertThat(cache.forget("core/Pod/ns/p")).isFalse(); // the confirmed placement stays
        assertThat(cache.node("n2").pods()).hasSize(1);
    }

    @Test
    void podsOnUnknownNodesWaitForTheNode() {
        SchedulerCache cache = new SchedulerCache(30_000);
        cache.addOrUpdateBoundPod(pod("ns", "early").cpu("1").nodeName("late-node").build());
        assertThat(cache.nodes()).isEmpty();
        assertThat(cache.upsertNode(node("late-node").model())).isTrue();
        assertThat(cache.nodes()).hasSize(1);
        assertThat(cache.node("late-node").requested().milliCpu).isEqualTo(1000);
        cache.removeNode("late-node");
        assertThat(cache.nodes()).isEmpty();
        cache.removePod("core/Pod/ns/early");
        assertThat(cache.nodeNames()).isEmpty();
    }

    @Test
    void nodeChangesThatFiltersDoNotReadAreNotReported() {
        SchedulerCache cache = new SchedulerCache(30_000);
        assertThat(cache.upsertNode(node("n").model())).isTrue();
        assertThat(cache.upsertNode(node("n").model())).isFalse();
        assertThat(cache.upsertNode(node("n").label("x", "y").model())).isTrue();
        assertThat(cache.upsertNode(node("n").label("x", "y").cpu("8").model())).isTrue();
    }

    @Test
    void priorityComesFromSpecThenClassThenGlobalDefault() {
        SchedulerCache cache = new SchedulerCache(30_000);
        cache.upsertPriorityClass("high", new SchedulerCache.PriorityClass(1000, false, "Never"));
        cache.upsertPriorityClass("default", new SchedulerCache.PriorityClass(5, true, null));
        assertThat(cache.resolvePriority(pod("ns", "a").priority(7).build()).priority()).isEqualTo(7);
        PodInfo high = cache.resolvePriority(pod("ns", "b").priorityClassName("high").build());
        assertThat(high.priority()).isEqualTo(1000);
        assertThat(high.preemptionPolicy()).isEqualTo("Never");
        assertThat(cache.resolvePriority(pod("ns", "c").build()).priority()).isEqualTo(5);
    }
}
