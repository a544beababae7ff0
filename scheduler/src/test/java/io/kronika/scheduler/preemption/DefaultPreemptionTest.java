package io.kronika.scheduler.preemption;

import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class DefaultPreemptionTest {
    private final Framework framework = SchedulerConfiguration.defaults().frameworks(new Random(3)).get("default-scheduler");
    private final DefaultPreemption preemption = new DefaultPreemption();

    private static PodInfo running(String name, String cpu, int priority, String created) {
        PodInfo p = pod("ns", name).cpu(cpu).priority(priority).created(created).build();
        p.setPriority(priority);
        return p;
    }

    private DefaultPreemption.Outcome preempt(PodInfo pod, List<NodeInfo> nodes) {
        Snapshot s = Snapshot.of(nodes);
        Framework.Result r = framework.schedule(pod, s, Framework.Nominator.NONE);
        assertThat(r.scheduled()).isFalse();
        return preemption.preempt(framework, pod, r.state(), s, r.fitError(), Framework.Nominator.NONE);
    }

    @Test
    void evictsTheFewestLowestPriorityPodsOnOneNode() {
        // n1: two low pods (priority 1) of 1 cpu; n2: one medium pod (priority 50) of 2 cpu; each node has 2 cpu.
        NodeInfo n1 = node("n1").cpu("2").info(running("low-a", "1", 1, "2024-01-01T00:00:01Z"), running("low-b", "1", 1, "2024-01-01T00:00:02Z"));
        NodeInfo n2 = node("n2").cpu("2").info(running("medium", "2", 50, "2024-01-01T00:00:01Z"));
        PodInfo vip = pod("ns", "vip").cpu("1").priority(100).build();
        DefaultPreemption.Outcome o = preempt(vip, List.of(n1, n2));
        assertThat(o.candidate().node()).isEqualTo("n1");
        // One of the two low pods is enough; the other is reprieved (the older one, being more important, is kept).
        assertThat(o.candidate().victims()).extracting(PodInfo::name).containsExactly("low-b");
    }

    @Test
    void prefersLowerHighestVictimPriorityOverFewerVictims() {
        NodeInfo n1 = node("n1").cpu("2").info(running("a", "1", 1, "2024-01-01T00:00:01Z"), running("b", "1", 2, "2024-01-01T00:00:01Z"));
        NodeInfo n2 = node("n2").cpu("2").info(running("c", "2", 10, "2024-01-01T00:00:01Z"));
        PodInfo vip = pod("ns", "vip").cpu("2").priority(100).build();
        DefaultPreemption.Outcome o = preempt(vip, List.of(n1, n2));
        assertThat(o.candidate().node()).isEqualTo("n1");
        assertThat(o.candidate().victims()).extracting(PodInfo::name).containsExactly("b", "a");
    }

    @Test
    void neverEvictsEqualOrHigherPriorityAndSaysWhy() {
        NodeInfo n1 = node("n1").cpu("1").info(running("peer", "1", 100, "2024-01-01T00:00:01Z"));
        NodeInfo tainted = node("t").cpu("8").taint("dedicated", "x", "NoSchedule").info();
        PodInfo vip = pod("ns", "vip").cpu("1").priority(100).build();
        DefaultPreemption.Outcome o = preempt(vip, List.of(n1, tainted));
        assertThat(o.candidate()).isNull();
        assertThat(o.message()).isEqualTo("preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, "
                + "1 Preemption is not helpful for scheduling.");
    }

    @Test
    void preemptionPolicyNeverIsNotEligible() {
        NodeInfo n1 = node("n1").cpu("1").info(running("low", "1", 0, "2024-01-01T00:00:01Z"));
        PodInfo polite = pod("ns", "polite").cpu("1").priority(100).preemptionPolicy("Never").build();
        assertThat(preempt(polite, List.of(n1)).message()).isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
    }

    @Test
    void removingVictimsMustSatisfyAntiAffinityToo() {
        PodInfo guard = pod("ns", "guard").label("app", "guard").priority(1).build();
        guard.setPriority(1);
        NodeInfo n1 = node("n1").info(guard);
        PodInfo p = pod("ns", "p").priority(100).antiAffinity("kubernetes.io/hostname", "app", "guard").build();
        DefaultPreemption.Outcome o = preempt(p, List.of(n1));
        assertThat(o.candidate().node()).isEqualTo("n1");
        assertThat(o.candidate().victims()).extracting(PodInfo::name).containsExactly("guard");
    }
}
