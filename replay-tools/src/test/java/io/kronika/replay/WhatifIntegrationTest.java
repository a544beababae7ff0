package io.kronika.replay;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorded scheduler spread six equal pods over three nodes (two each, as LeastAllocated does); replayed with
 * MostAllocated they pack onto as few nodes as fit, and whatif reports the placements that differ.
 */
class WhatifIntegrationTest {
    static final Duration T = Duration.ofSeconds(30);
    static final Actor SCHEDULER = Commands.actor("system:kube-scheduler", "scheduler");
    static final String MOST_ALLOCATED = """
            apiVersion: kubescheduler.config.k8s.io/v1
            kind: KubeSchedulerConfiguration
            profiles:
            - schedulerName: default-scheduler
              pluginConfig:
              - name: NodeResourcesFit
                args:
                  scoringStrategy:
                    type: MostAllocated
                    resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]
            """;
    static final String LEAST_ALLOCATED = MOST_ALLOCATED.replace("MostAllocated", "LeastAllocated");

    static AdmissionFixture fixture;
    static LogReader reader;
    static long beforePods;
    static long last;

    @BeforeAll
    static void recordedHistory() throws Exception {
        fixture = new AdmissionFixture();
        reader = new LogReader(new Cluster(SharedKafka.bootstrapServers(), AdmissionFixture.REGISTRY, fixture.topics, null));
        CommandClient c = fixture.client();
        c.apply(Commands.create(AdmissionFixture.namespace("ns"), AdmissionFixture.namespaceJson("ns"), AdmissionFixture.TEST_ACTOR), T);
        for (int n = 1; n <= 3; n++) {
            beforePods = c.apply(Commands.create(ObjectKeys.ref("", "Node", "", "n" + n), "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n" + n
                    + "\"},\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"4Gi\",\"pods\":\"110\"}}}", AdmissionFixture.TEST_ACTOR), T).getRevision();
        }
        for (int i = 0; i < 6; i++) {
            ObjectRef pod = ObjectKeys.ref("", "Pod", "ns", "p" + i);
            CommandResult created = c.apply(Commands.create(pod, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p" + i + "\"},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}}",
                    AdmissionFixture.TEST_ACTOR), T);
            String uid = Jsons.parse(created.getObject()).path("metadata").path("uid").asText();
            last = c.apply(Commands.bind(pod, uid, "n" + (i % 3 + 1), SCHEDULER), T).getRevision();
        }
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void mostAllocatedPacksWhatTheRecordedSchedulerSpread() {
        Whatif.Result packed = Whatif.run(reader, SchedulerConfiguration.parse(MOST_ALLOCATED), beforePods, last, Progress.NONE);
        assertThat(packed.decisions()).hasSize(6);
        assertThat(packed.decisions()).extracting(Whatif.Placement::recordedNode).containsExactly("n1", "n2", "n3", "n1", "n2", "n3");
        Map<String, Integer> perNode = podsPerNode(packed.decisions());
        assertThat(perNode.values()).containsExactlyInAnyOrder(4, 2); // 4 cpus per node: one full node, the rest on a second
        assertThat(packed.differing()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(packed.differing()).allSatisfy(p -> {
            assertThat(p.whatifNode()).isNotEqualTo(p.recordedNode());
            assertThat(p.reason()).contains("NodeResourcesFit");
        });

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Whatif.print(packed, OutputFormat.TABLE, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("6 scheduling decisions replayed", "RECORDED NODE", "WHATIF NODE", "ns/p");
    }

    @Test
    void leastAllocatedSpreadsAsRecorded() {
        Whatif.Result spread = Whatif.run(reader, SchedulerConfiguration.parse(LEAST_ALLOCATED), beforePods, last, Progress.NONE);
        assertThat(podsPerNode(spread.decisions())).containsOnly(Map.entry("n1", 2), Map.entry("n2", 2), Map.entry("n3", 2));
    }

    @Test
    void decisionsBeforeTheWindowStayAsRecorded() {
        long afterThreePods = last - 6; // each pod is a create and a bind
        Whatif.Result tail = Whatif.run(reader, SchedulerConfiguration.parse(MOST_ALLOCATED), afterThreePods, last, Progress.NONE);
        assertThat(tail.decisions()).hasSize(3);
        // n1, n2, n3 hold one recorded pod each; packing puts the next three together on one of them.
        assertThat(tail.decisions()).extracting(Whatif.Placement::whatifNode).containsOnly(tail.decisions().get(0).whatifNode());
    }

    @Test
    void startingFromASnapshotDecidesTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        SnapshotStore store = new SnapshotStore(dir);
        new Snapshotter(reader, store, 4).catchUp(Progress.NONE, new PrintStream(java.io.OutputStream.nullOutputStream()));
        long afterThreePods = last - 6;
        assertThat(store.nearestAtOrBelow(reader.eventsTopic(), afterThreePods)).isPresent();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Whatif.Result fromSnapshot = Whatif.run(reader, store, SchedulerConfiguration.parse(MOST_ALLOCATED), afterThreePods, last,
                Progress.NONE, new PrintStream(said, true, StandardCharsets.UTF_8));
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("replaying from the snapshot");
        assertThat(fromSnapshot.decisions()).isEqualTo(
                Whatif.run(reader, SchedulerConfiguration.parse(MOST_ALLOCATED), afterThreePods, last, Progress.NONE).decisions());
    }

    static Map<String, Integer> podsPerNode(Collection<Whatif.Placement> decisions) {
        Map<String, Integer> perNode = new HashMap<>();
        decisions.forEach(p -> perNode.merge(p.whatifNode(), 1, Integer::sum));
        return perNode;
    }
}
