package io.kronika.scheduler.config;

import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.plugins.NodeResourcesFit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerConfigurationTest {
    @Test
    void defaultsAreKubeSchedulers() {
        SchedulerConfiguration c = SchedulerConfiguration.defaults();
        SchedulerConfiguration.Profile p = c.profiles().get(0);
        assertThat(p.schedulerName()).isEqualTo("default-scheduler");
        assertThat(p.filters()).containsExactly("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity");
        assertThat(p.scores()).containsExactlyInAnyOrderEntriesOf(Map.of("TaintToleration", 3, "NodeAffinity", 2,
                "NodeResourcesFit", 1, "PodTopologySpread", 2, "InterPodAffinity", 2, "NodeResourcesBalancedAllocation", 1));
        assertThat(p.preemption()).isTrue();
        assertThat(c.podInitialBackoffMillis()).isEqualTo(1000);
        assertThat(c.podMaxBackoffMillis()).isEqualTo(10_000);
    }

    @Test
    void enablesDisablesReweightsAndConfiguresPlugins() {
        SchedulerConfiguration c = SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                percentageOfNodesToScore: 50
                podInitialBackoffSeconds: 2
                podMaxBackoffSeconds: 20
                profiles:
                - schedulerName: default-scheduler
                  plugins:
                    score:
                      disabled:
                      - name: NodeResourcesBalancedAllocation
                      - name: TaintToleration
                      enabled:
                      - name: NodeResourcesFit
                        weight: 5
                    postFilter:
                      disabled:
                      - name: DefaultPreemption
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated
                        resources:
                        - {name: cpu, weight: 1}
                        - {name: memory, weight: 1}
                - schedulerName: bin-packer
                  plugins:
                    filter:
                      disabled:
                      - name: "*"
                      enabled:
                      - name: NodeResourcesFit
                """);
        assertThat(c.percentageOfNodesToScore()).isEqualTo(50);
        assertThat(c.podInitialBackoffMillis()).isEqualTo(2000);
        SchedulerConfiguration.Profile first = c.profiles().get(0);
        assertThat(first.scores()).containsEntry("NodeResourcesFit", 5).doesNotContainKeys("NodeResourcesBalancedAllocation", "TaintToleration");
        assertThat(first.preemption()).isFalse();
        assertThat(c.profiles().get(1).filters()).containsExactly("NodeResourcesFit");

        Map<String, Framework> frameworks = c.frameworks(new Random(1));
        Framework f = frameworks.get("default-scheduler");
        Plugins.Score fit = f.scorePlugins().stream().filter(p -> p.name().equals("NodeResourcesFit")).findFirst().orElseThrow();
        assertThat(((NodeResourcesFit) fit).strategy()).isEqualTo(NodeResourcesFit.Strategy.MOST_ALLOCATED);
        assertThat(f.weight(fit)).isEqualTo(5);
        // MostAllocated packs: the fuller node wins.
        NodeInfo full = node("full").cpu("4").memory("8Gi").info(pod("ns", "a").cpu("3").memory("6Gi").build());
        NodeInfo empty = node("empty").cpu("4").memory("8Gi").info();
        assertThat(f.schedule(pod("ns", "p").cpu("500m").memory("1Gi").build(), Snapshot.of(List.of(empty, full)),
                Framework.Nominator.NONE).node()).isEqualTo("full");
        assertThat(frameworks.get("bin-packer").filters()).extracting(Plugins.Plugin::name).containsExactly("NodeResourcesFit");
    }

    @Test
    void multiPointEnablesAcrossExtensionPoints() {
        SchedulerConfiguration c = SchedulerConfiguration.parse("""
                profiles:
                - plugins:
                    multiPoint:
                      disabled: [{name: InterPodAffinity}]
                """);
        SchedulerConfiguration.Profile p = c.profiles().get(0);
        assertThat(p.filters()).doesNotContain("InterPodAffinity");
        assertThat(p.scores()).doesNotContainKey("InterPodAffinity");
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> SchedulerConfiguration.parse("profiles: [{plugins: {score: {enabled: [{name: Nope}]}}}]"))
                .hasMessageContaining("profiles[0].plugins.score.enabled: unknown plugin Nope");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("percentageOfNodesToScore: 120"))
                .hasMessageContaining("percentageOfNodesToScore");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("""
                profiles:
                - pluginConfig:
                  - name: NodeResourcesFit
                    args: {scoringStrategy: {type: RequestedToCapacityRatio}}
                """)).hasMessageContaining("scoringStrategy.type");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("profiles: [{schedulerName: a}, {schedulerName: a}]"))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("kind: Pod")).hasMessageContaining("kind");
    }
}
