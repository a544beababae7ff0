package io.kronika.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.scheduler.decision.SchedulingDecision;
import io.kronika.scheduler.testing.SchedulerFixture;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.kronika.scheduler.testing.Objects.node;
import static io.kronika.scheduler.testing.Objects.pod;
import static io.kronika.scheduler.testing.SchedulerFixture.await;
import static io.kronika.scheduler.testing.SchedulerFixture.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler against the real broker, admission processor and projections. */
class SchedulerIntegrationTest {
    private static final String ZONE = "topology.kubernetes.io/zone";
    private SchedulerFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new SchedulerFixture();
        f.namespace("ns");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private String awaitBound(String pod) throws InterruptedException {
        return awaitValue(pod + " to be bound", () -> Optional.ofNullable(f.nodeOf("ns", pod)).filter(n -> !n.isEmpty()));
    }

    private JsonNode awaitUnschedulable(String pod, String messagePart) throws InterruptedException {
        return awaitValue(pod + " to be marked unschedulable with '" + messagePart + "'", () -> f.pod("ns", pod)
                .map(p -> scheduledCondition(p))
                .filter(c -> "False".equals(c.path("status").asText()) && c.path("message").asText().contains(messagePart)));
    }

    private static JsonNode scheduledCondition(ObjectNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("PodScheduled".equals(c.path("type").asText())) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void fitsPodsByResourcesAndPlacesAWaitingPodWhenANodeJoins() throws Exception {
        for (int i = 1; i <= 3; i++) {
            f.createNode(node("n" + i).cpu("2").memory("4Gi"));
        }
        f.startScheduler("s1");
        for (int i = 1; i <= 6; i++) {
            f.createPod(pod("ns", "p" + i).cpu("1").memory("1Gi"));
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 1; i <= 6; i++) {
            perNode.merge(awaitBound("p" + i), 1, Integer::sum);
        }
        assertThat(perNode).containsOnlyKeys("n1", "n2", "n3").allSatisfy((n, count) -> assertThat(count).isEqualTo(2));

        f.createPod(pod("ns", "extra").cpu("1"));
        JsonNode condition = awaitUnschedulable("extra", "Insufficient cpu");
        assertThat(condition.path("reason").asText()).isEqualTo("Unschedulable");
        assertThat(condition.path("message").asText()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu. "
                + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
        ObjectNode event = awaitValue("a FailedScheduling event", () -> f.eventsAbout("ns", "extra").stream()
                .filter(e -> "FailedScheduling".equals(e.path("reason").asText())).findFirst());
        assertThat(event.path("type").asText()).isEqualTo("Warning");
        assertThat(event.path("message").asText()).isEqualTo(condition.path("message").asText());
        assertThat(event.path("source").path("component").asText()).isEqualTo("default-scheduler");

        f.createNode(node("n4").cpu("2").memory("4Gi"));
        assertThat(awaitBound("extra")).isEqualTo("n4");
        // Every binding says why: the decision rides on the bind event.
        ObjectEvent bind = f.cluster.readAllEvents().stream()
                .filter(e -> e.getOperation() == Operation.BIND && e.getRef().getName().equals("extra")).findFirst().orElseThrow();
        ObjectNode decision = SchedulingDecision.parse(bind.getCause());
        assertThat(decision).isNotNull();
        assertThat(decision.path("node").asText()).isEqualTo("n4");
        assertThat(decision.path("result").asText()).isEqualTo("Scheduled");
        assertThat(decision.path("nodes").path("total").asInt()).isEqualTo(4);
        assertThat(decision.path("filtered").path("Insufficient cpu").asInt()).isEqualTo(3);
        assertThat(decision.path("attempt").asInt()).isGreaterThan(1);
    }

    @Test
    void decisionsCarryTheChosenAndRunnerUpScores() throws Exception {
        f.createNode(node("big").cpu("8").memory("16Gi"));
        f.createNode(node("small").cpu("2").memory("4Gi"));
        f.startScheduler("s1");
        f.createPod(pod("ns", "p").cpu("1").memory("1Gi"));
        assertThat(awaitBound("p")).isEqualTo("big");
        ObjectEvent bind = f.cluster.readAllEvents().stream()
                .filter(e -> e.getOperation() == Operation.BIND && e.getRef().getName().equals("p")).findFirst().orElseThrow();
        ObjectNode decision = SchedulingDecision.parse(bind.getCause());
        assertThat(decision.path("chosen").path("node").asText()).isEqualTo("big");
        assertThat(decision.path("runnerUp").path("node").asText()).isEqualTo("small");
        assertThat(decision.path("chosen").path("score").asLong()).isGreaterThan(decision.path("runnerUp").path("score").asLong());
        assertThat(decision.path("chosen").path("plugins").path("NodeResourcesFit").asLong()).isPositive();
        ObjectNode scheduled = awaitValue("a Scheduled event", () -> f.eventsAbout("ns", "p").stream()
                .filter(e -> "Scheduled".equals(e.path("reason").asText())).findFirst());
        assertThat(scheduled.path("message").asText()).isEqualTo("Successfully assigned ns/p to big");
    }

    @Test
    void taintsAndTolerations() throws Exception {
        f.createNode(node("gpu-1").taint("dedicated", "gpu", "NoSchedule").label("pool", "gpu"));
        f.createNode(node("gpu-2").taint("dedicated", "gpu", "NoSchedule").label("pool", "gpu"));
        f.createNode(node("plain").pods(1));
        f.startScheduler("s1");
        f.createPod(pod("ns", "web"));
        assertThat(awaitBound("web")).isEqualTo("plain");
        f.createPod(pod("ns", "trainer").nodeSelector("pool", "gpu").toleration("dedicated", "Equal", "gpu", "NoSchedule"));
        assertThat(awaitBound("trainer")).startsWith("gpu-");
        f.createPod(pod("ns", "web-2"));
        JsonNode c = awaitUnschedulable("web-2", "untolerated taint");
        assertThat(c.path("message").asText()).startsWith(
                "0/3 nodes are available: 1 Too many pods, 2 node(s) had untolerated taint {dedicated: gpu}.");
    }

    @Test
    void antiAffinitySpreadsReplicasOverHosts() throws Exception {
        for (int i = 1; i <= 3; i++) {
            f.createNode(node("n" + i));
        }
        f.startScheduler("s1");
        for (int i = 1; i <= 3; i++) {
            f.createPod(pod("ns", "web-" + i).label("app", "web").antiAffinity("kubernetes.io/hostname", "app", "web"));
        }
        List<String> nodes = List.of(awaitBound("web-1"), awaitBound("web-2"), awaitBound("web-3"));
        assertThat(nodes).containsExactlyInAnyOrder("n1", "n2", "n3");
        f.createPod(pod("ns", "web-4").label("app", "web").antiAffinity("kubernetes.io/hostname", "app", "web"));
        JsonNode c = awaitUnschedulable("web-4", "anti-affinity");
        assertThat(c.path("message").asText()).startsWith("0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules.");
    }

    @Test
    void topologySpreadOverZones() throws Exception {
        String[] zones = {"a", "b", "c"};
        for (int i = 0; i < 6; i++) {
            f.createNode(node("n" + i).label(ZONE, zones[i % 3]));
        }
        // Skew the cluster first: three unconstrained matching pods pinned into zone a.
        f.startScheduler("s1");
        for (int i = 0; i < 3; i++) {
            f.createPod(pod("ns", "pinned-" + i).label("app", "api").nodeSelector(ZONE, "a"));
        }
        for (int i = 0; i < 3; i++) {
            awaitBound("pinned-" + i);
        }
        for (int i = 0; i < 6; i++) {
            f.createPod(pod("ns", "api-" + i).label("app", "api").spread(1, ZONE, "DoNotSchedule", "app", "api"));
        }
        Map<String, Long> perZone = new HashMap<>();
        Map<String, String> zoneOfNode = Map.of("n0", "a", "n1", "b", "n2", "c", "n3", "a", "n4", "b", "n5", "c");
        for (int i = 0; i < 6; i++) {
            perZone.merge(zoneOfNode.get(awaitBound("api-" + i)), 1L, Long::sum);
        }
        // 3 already in a: the six spread pods fill b and c to 3 each, keeping skew within 1.
        assertThat(perZone).containsEntry("b", 3L).containsEntry("c", 3L).doesNotContainKey("a");
        f.createPod(pod("ns", "api-6").label("app", "api").spread(1, ZONE, "DoNotSchedule", "app", "api"));
        String n = awaitBound("api-6");
        assertThat(zoneOfNode.get(n)).isIn("a", "b", "c");
    }

    @Test
    void preemptionEvictsLowerPriorityPodsAndNominatesTheNode() throws Exception {
        f.createPriorityClass("low", 10);
        f.createPriorityClass("high", 1000);
        f.createNode(node("only").cpu("2"));
        f.startScheduler("s1");
        f.createPod(pod("ns", "low-1").cpu("1").priorityClassName("low"));
        f.createPod(pod("ns", "low-2").cpu("1").priorityClassName("low"));
        awaitBound("low-1");
        awaitBound("low-2");
        f.createPod(pod("ns", "vip").cpu("1500m").priorityClassName("high"));
        // Both low pods have to go (1.5 of 2 cpu): they are marked and deleted gracefully, keeping their room until
        // their kubelet has stopped them; the vip waits, nominated to the node.
        for (String victim : List.of("low-1", "low-2")) {
            ObjectNode terminating = awaitValue(victim + " to be terminating", () -> f.pod("ns", victim)
                    .filter(p -> p.path("metadata").has("deletionTimestamp")));
            assertThat(terminating.path("status").path("conditions").toString())
                    .contains("\"type\":\"DisruptionTarget\"").contains("\"reason\":\"PreemptionByScheduler\"");
        }
        ObjectNode waiting = awaitValue("vip to be nominated", () -> f.pod("ns", "vip")
                .filter(p -> "only".equals(p.path("status").path("nominatedNodeName").asText())));
        assertThat(waiting.path("spec").path("nodeName").asText("")).isEmpty();
        // The "kubelet" (none runs here) finishes the deletions.
        for (String victim : List.of("low-1", "low-2")) {
            String uid = f.pod("ns", victim).orElseThrow().path("metadata").path("uid").asText();
            f.apply(Commands.builder(Operation.DELETE, ObjectKeys.ref("", "Pod", "ns", victim), AdmissionFixture.TEST_ACTOR)
                    .setExpectedUid(uid).setGracePeriodSeconds(0L).build());
        }
        assertThat(awaitBound("vip")).isEqualTo("only");
        assertThat(f.pod("ns", "low-1")).isEmpty();
        assertThat(f.pod("ns", "low-2")).isEmpty();
        List<ObjectEvent> log = f.cluster.readAllEvents();
        ObjectEvent nominated = log.stream().filter(e -> e.getRef().getName().equals("vip") && e.getOperation() == Operation.UPDATE_STATUS
                && e.getObject().contains("\"nominatedNodeName\":\"only\"")).findFirst().orElseThrow();
        ObjectNode decision = SchedulingDecision.parse(nominated.getCause());
        assertThat(decision.path("preemption").path("nominatedNode").asText()).isEqualTo("only");
        assertThat(decision.path("preemption").path("victims")).hasSize(2);
        assertThat(f.eventsAbout("ns", "low-1")).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("Preempted"));
        assertThat(log.stream().filter(e -> e.getOperation() == Operation.DELETE && e.getActor().getComponent().equals("scheduler"))
                .map(ObjectEvent::getCause).toList())
                .hasSize(2).allSatisfy(cause -> assertThat(cause).contains("preempted by ns/vip"));
    }

    @Test
    void podsForOtherSchedulersAreLeftAlone() throws Exception {
        f.createNode(node("n1"));
        Scheduler s = f.startScheduler("s1");
        f.createPod(pod("ns", "theirs").schedulerName("someone-else"));
        f.createPod(pod("ns", "ours"));
        awaitBound("ours");
        // The other pod's event came before ours (one log, one order): it was seen, and left alone.
        assertThat(f.nodeOf("ns", "theirs")).isEmpty();
        assertThat(f.pod("ns", "theirs").orElseThrow().path("status").path("conditions").isMissingNode()).isTrue();
        assertThat(s.stats().attempts()).isEqualTo(1);
    }

    @Test
    void twoSchedulersAtOnceNeverDoubleBind() throws Exception {
        for (int i = 0; i < 10; i++) {
            f.createNode(node("n" + i));
        }
        Scheduler a = f.startScheduler("a");
        Scheduler b = f.startScheduler("b");
        int pods = 300;
        List<java.util.concurrent.CompletableFuture<io.kronika.schemas.CommandResult>> created = new java.util.ArrayList<>();
        for (int i = 0; i < pods; i++) {
            created.add(f.cluster.client().submit(Commands.create(ObjectKeys.ref("", "Pod", "ns", "p" + i),
                    SchedulerFixture.stripServerFields(pod("ns", "p" + i).cpu("10m").json()), AdmissionFixture.TEST_ACTOR)));
        }
        assertThat(created).allSatisfy(c -> assertThat(c.get().getOutcome()).isEqualTo(io.kronika.schemas.Outcome.ACCEPTED));
        await("all pods bound", () -> f.list("core/Pod/ns/").stream().filter(p -> !p.path("spec").path("nodeName").asText("").isEmpty()).count() == pods);
        await("both schedulers to have heard every answer", () ->
                a.stats().bound() + b.stats().bound() == pods && a.stats().assumed() + b.stats().assumed() == 0);
        Map<String, Long> bindsPerPod = f.cluster.readAllEvents().stream().filter(e -> e.getOperation() == Operation.BIND)
                .collect(Collectors.groupingBy(e -> e.getRef().getName(), Collectors.counting()));
        assertThat(bindsPerPod).hasSize(pods).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
        // Both worked, and the refused second bindings were counted as conflicts, not errors.
        assertThat(a.stats().bound()).isPositive();
        assertThat(b.stats().bound()).isPositive();
        assertThat(a.stats().bindErrors() + b.stats().bindErrors()).isZero();
        assertThat(a.stats().bindConflicts() + b.stats().bindConflicts()).isPositive();
    }

    @Test
    void onlyTheElectedLeaderSchedulesAndAFollowerTakesOver() throws Exception {
        f.createNode(node("n1"));
        SchedulerOptions base = SchedulerOptions.defaults().withRandomSeed(7L).withElectionSettings(
                new io.kronika.eventstore.leader.KafkaLeaderElection.Settings(java.time.Duration.ofSeconds(6),
                        java.time.Duration.ofMillis(500), java.time.Duration.ofMillis(50)));
        Scheduler first = f.startScheduler(SchedulerConfiguration.defaults(), base.withInstanceId("first"));
        await("first to lead", first::isLeader);
        Scheduler second = f.startScheduler(SchedulerConfiguration.defaults(), base.withInstanceId("second"));
        for (int i = 0; i < 20; i++) {
            f.createPod(pod("ns", "a" + i));
        }
        for (int i = 0; i < 20; i++) {
            awaitBound("a" + i);
        }
        assertThat(second.isLeader()).isFalse();
        assertThat(second.stats().attempts()).isZero();
        await("first to have its 20 bindings answered", () -> first.stats().bound() == 20);

        first.close();
        await("second to lead", second::isLeader);
        for (int i = 0; i < 10; i++) {
            f.createPod(pod("ns", "b" + i));
        }
        for (int i = 0; i < 10; i++) {
            awaitBound("b" + i);
        }
        await("second to have its 10 bindings answered", () -> second.stats().bound() == 10);
    }
}
