package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class InterPodAffinityTest {
    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private final InterPodAffinity plugin = new InterPodAffinity();

    private Status verdict(PodInfo pod, Snapshot snapshot, String node) {
        CycleState state = new CycleState();
        Status pre = plugin.preFilter(state, pod, snapshot);
        if (pre.isSkip()) {
            return Status.SUCCESS;
        }
        return plugin.filter(state, pod, snapshot.node(node));
    }

    @Test
    void skipsWhenNothingHasRequiredTerms() {
        Snapshot s = Snapshot.of(List.of(node("n1").info(pod("ns", "a").label("app", "web").build())));
        assertThat(plugin.preFilter(new CycleState(), pod("ns", "p").build(), s).isSkip()).isTrue();
    }

    @Test
    void requiredAntiAffinitySpreadsReplicasOverHosts() {
        PodInfo running = pod("ns", "web-1").label("app", "web").antiAffinity(HOST, "app", "web").build();
        Snapshot s = Snapshot.of(List.of(node("n1").info(running), node("n2").info()));
        PodInfo next = pod("ns", "web-2").label("app", "web").antiAffinity(HOST, "app", "web").build();
        Status onN1 = verdict(next, s, "n1");
        assertThat(onN1.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        // Both sides reject n1; the existing pod's rule is checked first.
        assertThat(onN1.reasons()).containsExactly("node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(verdict(next, s, "n2").isSuccess()).isTrue();
    }

    @Test
    void incomingAntiAffinityAloneAndExistingAntiAffinityAlone() {
        Snapshot plain = Snapshot.of(List.of(node("n1").info(pod("ns", "db").label("app", "db").build()), node("n2").info()));
        PodInfo avoidsDb = pod("ns", "p").antiAffinity(HOST, "app", "db").build();
        assertThat(verdict(avoidsDb, plain, "n1").reasons()).containsExactly("node(s) didn't match pod anti-affinity rules");
        assertThat(verdict(avoidsDb, plain, "n2").isSuccess()).isTrue();

        Snapshot guarded = Snapshot.of(List.of(node("n1").info(pod("ns", "loner").antiAffinity(HOST, "app", "noisy").build()), node("n2").info()));
        PodInfo noisy = pod("ns", "noisy").label("app", "noisy").build();
        assertThat(verdict(noisy, guarded, "n1").reasons()).containsExactly("node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(verdict(noisy, guarded, "n2").isSuccess()).isTrue();
        // Another namespace is not selected by a term without namespaces.
        assertThat(verdict(pod("other", "noisy").label("app", "noisy").build(), guarded, "n1").isSuccess()).isTrue();
    }

    @Test
    void requiredAffinityNeedsAMatchingPodInTheDomainUnlessItIsTheFirst() {
        NodeInfo a1 = node("a1").label(ZONE, "a").info(pod("ns", "cache").label("app", "cache").build());
        NodeInfo a2 = node("a2").label(ZONE, "a").info();
        NodeInfo b1 = node("b1").label(ZONE, "b").info();
        NodeInfo noZone = node("x").info();
        Snapshot s = Snapshot.of(List.of(a1, a2, b1, noZone));
        PodInfo nearCache = pod("ns", "web").affinity(ZONE, "app", "cache").build();
        assertThat(verdict(nearCache, s, "a2").isSuccess()).isTrue();
        Status b = verdict(nearCache, s, "b1");
        assertThat(b.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(b.reasons()).containsExactly("node(s) didn't match pod affinity rules");
        assertThat(verdict(nearCache, s, "x").isSuccess()).isFalse();

        // The first pod of a group that selects itself may go anywhere with the key.
        Snapshot empty = Snapshot.of(List.of(node("b1").label(ZONE, "b").info()));
        PodInfo first = pod("ns", "g-1").label("group", "g").affinity(ZONE, "group", "g").build();
        assertThat(verdict(first, empty, "b1").isSuccess()).isTrue();
        PodInfo notSelf = pod("ns", "h-1").affinity(ZONE, "group", "g").build();
        assertThat(verdict(notSelf, empty, "b1").isSuccess()).isFalse();
    }

    @Test
    void namespaceSelectorSelectsByNamespaceLabels() {
        NodeInfo n1 = node("n1").info(pod("prod", "db").label("app", "db").build());
        Snapshot s = Snapshot.of(List.of(n1, node("n2").info()), Map.of("prod", Map.of("env", "prod")));
        PodInfo p = pod("dev", "p").spec("affinity", """
                {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"db"}},"namespaceSelector":{"matchLabels":{"env":"prod"}},
                   "topologyKey":"kubernetes.io/hostname"}]}}""").build();
        assertThat(verdict(p, s, "n1").isSuccess()).isFalse();
        assertThat(verdict(p, s, "n2").isSuccess()).isTrue();
    }

    @Test
    void preferredTermsScoreTowardsAndAwayFromPods() {
        NodeInfo withCache = node("c").label(ZONE, "a").info(pod("ns", "cache").label("app", "cache").build());
        NodeInfo withBatch = node("b").label(ZONE, "b").info(pod("ns", "batch").label("app", "batch").build());
        NodeInfo empty = node("e").label(ZONE, "c").info();
        List<NodeInfo> nodes = List.of(withCache, withBatch, empty);
        PodInfo p = pod("ns", "web").spec("affinity", """
                {"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                  {"weight":50,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"cache"}},"topologyKey":"topology.kubernetes.io/zone"}}]},
                 "podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                  {"weight":50,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"batch"}},"topologyKey":"topology.kubernetes.io/zone"}}]}}""")
                .build();
        // Raw: c = 50, b = -50, e = 0 → min-max normalised: 100, 0, 50.
        assertThat(PluginScores.of(plugin, p, nodes)).containsExactly(100L, 0L, 50L);
    }
}
