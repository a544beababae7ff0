package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeAffinityTest {
    private final CycleState state = new CycleState();

    private final NodeAffinity plugin = new NodeAffinity();

    @Test
    void nodeSelectorAndRequiredTermsMustMatch() {
        NodeInfo ssdZoneA = node("a").label("disk", "ssd").label("zone", "a").label("cores", "16").info();
        NodeInfo hddZoneB = node("b").label("disk", "hdd").label("zone", "b").label("cores", "4").info();
        PodInfo selector = pod("ns", "p").nodeSelector("disk", "ssd").build();
        assertThat(plugin.filter(state, selector, ssdZoneA).isSuccess()).isTrue();
        Status s = plugin.filter(state, selector, hddZoneB);
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match Pod's node affinity/selector");

        PodInfo terms = pod("ns", "p").spec("affinity", """
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"zone","operator":"In","values":["x"]}]},
                  {"matchExpressions":[{"key":"cores","operator":"Gt","values":["8"]},{"key":"gpu","operator":"DoesNotExist"}]}
                ]}}}""").build();
        assertThat(plugin.filter(state, terms, ssdZoneA).isSuccess()).isTrue();
        assertThat(plugin.filter(state, terms, hddZoneB).isSuccess()).isFalse();

        PodInfo byName = pod("ns", "p").spec("affinity", """
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchFields":[{"key":"metadata.name","operator":"In","values":["b"]}]}]}}}""").build();
        assertThat(plugin.filter(state, byName, ssdZoneA).isSuccess()).isFalse();
        assertThat(plugin.filter(state, byName, hddZoneB).isSuccess()).isTrue();
    }

    @Test
    void preferredTermsScoreByWeight() {
        PodInfo p = pod("ns", "p").spec("affinity", """
                {"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                  {"weight":80,"preference":{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}},
                  {"weight":20,"preference":{"matchExpressions":[{"key":"zone","operator":"NotIn","values":["b"]}]}}
                ]}}""").build();
        List<NodeInfo> nodes = List.of(node("both").label("disk", "ssd").label("zone", "a").info(),
                node("ssd-b").label("disk", "ssd").label("zone", "b").info(),
                node("neither").label("zone", "b").info(),
                node("zone-only").label("zone", "a").info());
        assertThat(plugin.preScore(state, p, nodes, Snapshot.of(nodes)).isSuccess()).isTrue();
        assertThat(PluginScores.of(plugin, p, nodes)).containsExactly(100L, 80L, 0L, 20L);
        assertThat(plugin.preScore(state, pod("ns", "q").build(), nodes, Snapshot.of(nodes)).isSkip()).isTrue();
    }
}
