package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.apps.DeploymentController;
import io.kronika.controllers.apps.ReplicaSetController;
import io.kronika.controllers.core.GarbageCollector;
import io.kronika.controllers.core.NamespaceController;
import io.kronika.controllers.core.NodeLifecycleController;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Expectations;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.MutableClock;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.WorkQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kronika.controllers.testing.Objects.cached;
import static io.kronika.controllers.testing.Objects.ownerRef;
import static io.kronika.controllers.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The reconcile functions on hand-built states, and the shared machinery. */
class ReconcileTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final String LABELS = "{\"app\":\"web\"}";

    private static CachedObject replicaSet(int replicas) {
        return cached("apps", "ReplicaSet", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"ns\",\"uid\":\"rs-uid\",\"generation\":2},\"spec\":{\"replicas\":" + replicas + ","
                + "\"selector\":{\"matchLabels\":" + LABELS + "},\"template\":{\"metadata\":{\"labels\":" + LABELS + "},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}");
    }

    private static <T> List<T> of(Reconciled r, Class<T> type) {
        return r.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static final String RS_OWNER = ownerRef("apps/v1", "ReplicaSet", "web", "rs-uid");

    @Test
    void replicaSetCreatesMissingPodsWithItsOwnerReference() {
        AtomicInteger n = new AtomicInteger();
        Reconciled r = ReplicaSetController.replicaSets().sync(replicaSet(3), List.of(), true, NOW, () -> "x" + n.incrementAndGet());
        List<Action.Create> creates = of(r, Action.Create.class);
        assertThat(creates).hasSize(3);
        assertThat(creates.get(0).object().at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("rs-uid");
        assertThat(creates.get(0).object().at("/metadata/labels/app").asText()).isEqualTo("web");
        assertThat(creates.get(0).expectationOwner()).isEqualTo("apps/ReplicaSet/ns/web");
        assertThat(of(r, Action.UpdateStatus.class)).singleElement()
                .satisfies(s -> assertThat(s.object().at("/status/observedGeneration").asLong()).isEqualTo(2));
    }

    @Test
    void replicaSetDoesNothingWhileItsCreatesAreInFlight() {
        Reconciled r = ReplicaSetController.replicaSets().sync(replicaSet(3), List.of(), false, NOW, () -> "x");
        assertThat(of(r, Action.Create.class)).isEmpty();
    }

    @Test
    void replicaSetDeletesUnscheduledThenNotReadyThenNewestFirst() {
        List<CachedObject> pods = List.of(
                pod("ns", "old-ready", LABELS, RS_OWNER, "n1", true, "2026-01-01T00:00:00Z"),
                pod("ns", "new-ready", LABELS, RS_OWNER, "n1", true, "2026-01-01T00:05:00Z"),
                pod("ns", "not-ready", LABELS, RS_OWNER, "n1", false, "2026-01-01T00:01:00Z"),
                pod("ns", "unscheduled", LABELS, RS_OWNER, null, false, "2026-01-01T00:00:00Z"));
        Reconciled r = ReplicaSetController.replicaSets().sync(replicaSet(1), pods, true, NOW, () -> "x");
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("unscheduled", "not-ready", "new-ready");
    }

    @Test
    void replicaSetAdoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        List<CachedObject> pods = List.of(
                pod("ns", "orphan", LABELS, null, "n1", true, "2026-01-01T00:00:00Z"),
                pod("ns", "relabelled", "{\"app\":\"other\"}", RS_OWNER, "n1", true, "2026-01-01T00:00:00Z"),
                pod("ns", "foreign", LABELS, ownerRef("apps/v1", "ReplicaSet", "x", "x-uid"), "n1", true, "2026-01-01T00:00:00Z"));
        Reconciled r = ReplicaSetController.replicaSets().sync(replicaSet(1), pods, true, NOW, () -> "x");
        List<Action.Update> updates = of(r, Action.Update.class);
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0).target().getName()).isEqualTo("orphan");
        assertThat(updates.get(0).object().at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("rs-uid");
        assertThat(updates.get(1).target().getName()).isEqualTo("relabelled");
        assertThat(updates.get(1).object().at("/metadata").has("ownerReferences")).isFalse();
        assertThat(of(r, Action.Create.class)).isEmpty();
        assertThat(of(r, Action.Delete.class)).isEmpty();
        assertThat(of(r, Action.UpdateStatus.class).get(0).object().at("/status/readyReplicas").asInt()).isEqualTo(1);
    }

    private static CachedObject deployment(int replicas, String image, String annotations) {
        return cached("apps", "Deployment", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"ns\",\"uid\":\"d-uid\",\"generation\":1" + (annotations == null ? "" : ",\"annotations\":" + annotations)
                + "},\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":" + LABELS + "},"
                + "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":1}},"
                + "\"template\":{\"metadata\":{\"labels\":" + LABELS + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}}}");
    }

    private static CachedObject rsOf(CachedObject d, String image, int replicas, int revision) {
        ObjectNode template = Json.parse("{\"metadata\":{\"labels\":" + LABELS + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}");
        String hash = DeploymentController.templateHash(template, 0);
        template.with("metadata").with("labels").put("pod-template-hash", hash);
        return cached("apps", "ReplicaSet", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"web-" + hash
                + "\",\"namespace\":\"ns\",\"uid\":\"rs-" + image + "\",\"creationTimestamp\":\"2026-01-01T00:0" + revision + ":00Z\","
                + "\"annotations\":{\"deployment.kubernetes.io/revision\":\"" + revision + "\"},"
                + "\"ownerReferences\":[" + ownerRef("apps/v1", "Deployment", "web", "d-uid") + "]},"
                + "\"spec\":{\"replicas\":" + replicas + ",\"template\":" + Json.write(template) + "}}");
    }

    private static List<CachedObject> readyPods(CachedObject rs, int count) {
        List<CachedObject> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(pod("ns", rs.name() + "-" + i, LABELS, ownerRef("apps/v1", "ReplicaSet", rs.name(), rs.uid()), "n1", true,
                    "2026-01-01T00:00:00Z"));
        }
        return pods;
    }

    @Test
    void deploymentCreatesItsFirstReplicaSetWithHashAndRevision() {
        CachedObject d = deployment(3, "v1", null);
        Reconciled r = DeploymentController.sync(d, List.of(), Map.of(), NOW);
        Action.Create create = of(r, Action.Create.class).get(0);
        String hash = DeploymentController.templateHash(d.object().at("/spec/template"), 0);
        assertThat(create.target().getName()).isEqualTo("web-" + hash);
        assertThat(create.object().at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(create.object().at("/spec/selector/matchLabels/pod-template-hash").asText()).isEqualTo(hash);
        assertThat(Json.annotations(create.object())).containsEntry(DeploymentController.REVISION, "1");
        assertThat(of(r, Action.Update.class)).singleElement()
                .satisfies(u -> assertThat(Json.annotations(u.object())).containsEntry(DeploymentController.REVISION, "1"));
    }

    @Test
    void rollingUpdateSurgesFirstThenScalesTheOldDownWithinMaxUnavailable() {
        CachedObject d = deployment(4, "v2", "{\"deployment.kubernetes.io/revision\":\"1\"}");
        CachedObject old = rsOf(d, "v1", 4, 1);
        // step 1: no new ReplicaSet yet → created with the surge (1)
        Reconciled first = DeploymentController.sync(d, List.of(old), Map.of(old.uid(), readyPods(old, 4)), NOW);
        assertThat(of(first, Action.Create.class).get(0).object().at("/spec/replicas").asInt()).isEqualTo(1);
        // step 2: the new ReplicaSet has 1 pod not yet ready: the old one may lose 1 (maxUnavailable) → 3
        CachedObject fresh = rsOf(d, "v2", 1, 2);
        Map<String, List<CachedObject>> pods = new HashMap<>();
        pods.put(old.uid(), readyPods(old, 4));
        pods.put(fresh.uid(), List.of(pod("ns", "new-0", LABELS, ownerRef("apps/v1", "ReplicaSet", fresh.name(), fresh.uid()), "n1", false,
                "2026-01-01T00:09:00Z")));
        Reconciled second = DeploymentController.sync(d, List.of(old, fresh), pods, NOW);
        List<Action.Update> scaled = of(second, Action.Update.class).stream().filter(u -> u.target().getKind().equals("ReplicaSet")).toList();
        assertThat(scaled).singleElement().satisfies(u -> {
            assertThat(u.target().getName()).isEqualTo(old.name());
            assertThat(u.object().at("/spec/replicas").asInt()).isEqualTo(3);
        });
        // step 3: old spec already 3 but its 4 pods still present: no more surge for the new one
        CachedObject oldAt3 = rsOf(d, "v1", 3, 1);
        Map<String, List<CachedObject>> pods3 = new HashMap<>(pods);
        pods3.put(oldAt3.uid(), readyPods(oldAt3, 4));
        Reconciled third = DeploymentController.sync(d, List.of(oldAt3, fresh), pods3, NOW);
        assertThat(of(third, Action.Update.class).stream().filter(u -> u.target().getKind().equals("ReplicaSet"))).isEmpty();
    }

    @Test
    void rollbackAnnotationRestoresThePreviousTemplate() {
        CachedObject d = deployment(2, "v2", "{\"deployment.kubernetes.io/revision\":\"2\",\"deprecated.deployment.rollback.to\":\"0\"}");
        Reconciled r = DeploymentController.sync(d, List.of(rsOf(d, "v1", 0, 1), rsOf(d, "v2", 2, 2)), Map.of(), NOW);
        Action.Update update = of(r, Action.Update.class).get(0);
        assertThat(update.object().at("/spec/template/spec/containers/0/image").asText()).isEqualTo("v1");
        assertThat(update.object().at("/spec/template/metadata/labels").has("pod-template-hash")).isFalse();
        assertThat(Json.annotations(update.object())).doesNotContainKey(DeploymentController.ROLLBACK_TO);
    }

    @Test
    void progressDeadlineExceededWhenNothingMovesForTooLong() {
        CachedObject d = cached("apps", "Deployment", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"ns\",\"uid\":\"d-uid\",\"generation\":1,\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"}},"
                + "\"spec\":{\"replicas\":1,\"progressDeadlineSeconds\":60,\"selector\":{\"matchLabels\":" + LABELS + "},"
                + "\"template\":{\"metadata\":{\"labels\":" + LABELS + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"v1\"}]}}},"
                + "\"status\":{\"observedGeneration\":1,\"replicas\":1,\"updatedReplicas\":1,\"readyReplicas\":0,\"availableReplicas\":0,"
                + "\"conditions\":[{\"type\":\"Progressing\",\"status\":\"True\",\"reason\":\"ReplicaSetUpdated\",\"message\":\"m\","
                + "\"lastUpdateTime\":\"2026-01-01T00:00:00Z\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}");
        CachedObject rs = rsOf(d, "v1", 1, 1);
        CachedObject notReady = pod("ns", "p", LABELS, ownerRef("apps/v1", "ReplicaSet", rs.name(), rs.uid()), "n1", false, "2026-01-01T00:00:00Z");
        Reconciled r = DeploymentController.sync(d, List.of(rs), Map.of(rs.uid(), List.of(notReady)), NOW);
        ObjectNode status = of(r, Action.UpdateStatus.class).get(0).object();
        assertThat(Json.text(Json.condition(status, "Progressing"), "reason")).isEqualTo("ProgressDeadlineExceeded");
        assertThat(Json.text(Json.condition(status, "Available"), "status")).isEqualTo("False");
    }

    @Test
    void garbageCollectorDeletesDependentsOfGoneOwnersAndFinishesForegroundDeletion() {
        CachedObject dependent = pod("ns", "p", LABELS, RS_OWNER, "n1", true, "2026-01-01T00:00:00Z");
        Reconciled gone = GarbageCollector.sync(dependent, List.of(), ref -> Optional.empty(), x -> false);
        assertThat(of(gone, Action.Delete.class)).singleElement().satisfies(d -> assertThat(d.uid()).isEqualTo(dependent.uid()));
        Reconciled present = GarbageCollector.sync(dependent, List.of(), ref -> Optional.of(replicaSet(1)), x -> false);
        assertThat(present.actions()).isEmpty();

        CachedObject owner = cached("apps", "ReplicaSet", "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"uid\":\"rs-uid\","
                + "\"deletionTimestamp\":\"2026-01-01T00:00:00Z\",\"finalizers\":[\"foregroundDeletion\"]}}");
        Reconciled waiting = GarbageCollector.sync(owner, List.of(dependent), ref -> Optional.empty(), x -> false);
        assertThat(of(waiting, Action.Delete.class)).hasSize(1);
        assertThat(of(waiting, Action.Update.class)).isEmpty();
        Reconciled done = GarbageCollector.sync(owner, List.of(), ref -> Optional.empty(), x -> false);
        assertThat(of(done, Action.Update.class)).singleElement()
                .satisfies(u -> assertThat(u.object().at("/metadata").has("finalizers")).isFalse());

        CachedObject orphaning = cached("apps", "ReplicaSet", "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"uid\":\"rs-uid\","
                + "\"deletionTimestamp\":\"2026-01-01T00:00:00Z\",\"finalizers\":[\"orphan\"]}}");
        Reconciled released = GarbageCollector.sync(orphaning, List.of(dependent), ref -> Optional.empty(), x -> false);
        assertThat(of(released, Action.Update.class)).singleElement()
                .satisfies(u -> assertThat(u.object().at("/metadata").has("ownerReferences")).isFalse());
    }

    @Test
    void namespaceTerminatesDeletesItsContentsThenDropsItsFinalizer() {
        String ns = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"},"
                + "\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"%s\"}}";
        Reconciled first = NamespaceController.sync(cached("", "Namespace", ns.formatted("Active")), List.of());
        assertThat(of(first, Action.UpdateStatus.class).get(0).object().at("/status/phase").asText()).isEqualTo("Terminating");
        CachedObject terminating = cached("", "Namespace", ns.formatted("Terminating"));
        CachedObject cm = cached("", "ConfigMap", "{\"metadata\":{\"name\":\"c\",\"namespace\":\"ns\"}}");
        assertThat(of(NamespaceController.sync(terminating, List.of(cm)), Action.Delete.class)).hasSize(1);
        Reconciled last = NamespaceController.sync(terminating, List.of());
        assertThat(of(last, Action.Update.class).get(0).object().at("/spec/finalizers").size()).isZero();
    }

    @Test
    void nodeLifecycleMarksUnknownTaintsThenEvictsAfterTheToleration() {
        NodeLifecycleController.Settings settings = new NodeLifecycleController.Settings(Duration.ofSeconds(5), Duration.ofSeconds(40), 300);
        String nodeJson = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"},\"spec\":{%s},"
                + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"%s\"}]}}";
        CachedObject healthy = cached("", "Node", nodeJson.formatted("", "True"));
        Instant lastSeen = NOW.minusSeconds(30);
        assertThat(NodeLifecycleController.sync(healthy, lastSeen, List.of(), NOW, settings).actions()).isEmpty();

        Instant stale = NOW.minusSeconds(41);
        Reconciled unknown = NodeLifecycleController.sync(healthy, stale, List.of(), NOW, settings);
        assertThat(of(unknown, Action.UpdateStatus.class).get(0).object().at("/status/conditions/0/status").asText()).isEqualTo("Unknown");

        CachedObject unknownNode = cached("", "Node", nodeJson.formatted("", "Unknown"));
        Reconciled tainted = NodeLifecycleController.sync(unknownNode, stale, List.of(), NOW, settings);
        assertThat(of(tainted, Action.Update.class).get(0).object().at("/spec/taints").findValuesAsText("effect"))
                .containsExactly("NoSchedule", "NoExecute");

        String taints = "\"taints\":[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\",\"timeAdded\":\"2026-01-01T00:09:00Z\"},"
                + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"2026-01-01T00:09:00Z\"}]";
        CachedObject taintedNode = cached("", "Node", nodeJson.formatted(taints, "Unknown"));
        CachedObject defaultPod = pod("ns", "default", LABELS, null, "n1", true, "2026-01-01T00:00:00Z");
        CachedObject shortPod = cached("", "Pod", Json.write(withToleration(defaultPod, 30)));
        Reconciled evictions = NodeLifecycleController.sync(taintedNode, stale, List.of(defaultPod, shortPod), NOW, settings);
        // tainted 60 s ago: the pod tolerating 30 s goes, the one with the default 300 s stays
        assertThat(of(evictions, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("default-tol");
        assertThat(of(evictions, Action.UpdateStatus.class)).hasSize(2); // both marked not ready
        assertThat(evictions.requeueAfter()).isLessThanOrEqualTo(Duration.ofSeconds(5));

        Reconciled recovered = NodeLifecycleController.sync(taintedNode, NOW, List.of(), NOW, settings);
        assertThat(of(recovered, Action.Update.class).get(0).object().at("/spec").has("taints")).isFalse();
    }

    private static ObjectNode withToleration(CachedObject pod, long seconds) {
        ObjectNode copy = pod.copy();
        Json.metadata(copy).put("name", "default-tol");
        Json.metadata(copy).remove("uid");
        copy.with("spec").putArray("tolerations").addObject().put("key", NodeLifecycleController.UNREACHABLE)
                .put("operator", "Exists").put("effect", "NoExecute").put("tolerationSeconds", seconds);
        return copy;
    }

    @Test
    void workQueueHandsAKeyToOneWorkerAtATimeAndRequeuesWhatArrivedMeanwhile() throws Exception {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            WorkQueue q = new WorkQueue(timers, Duration.ofMillis(5), Duration.ofSeconds(1));
            q.add("a");
            q.add("a");
            q.add("b");
            assertThat(q.length()).isEqualTo(2);
            assertThat(q.take()).isEqualTo("a");
            q.add("a"); // while processing: queued again once done
            assertThat(q.take()).isEqualTo("b");
            q.done("b");
            assertThat(q.length()).isZero();
            q.done("a");
            assertThat(q.take()).isEqualTo("a");
            q.done("a");
            q.addRateLimited("c");
            q.addRateLimited("c");
            assertThat(q.failures("c")).isEqualTo(2);
            assertThat(q.take()).isEqualTo("c"); // arrives after its back-off
            q.forget("c");
            assertThat(q.failures("c")).isZero();
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void expectationsHoldUntilObservedOrExpired() {
        MutableClock clock = new MutableClock(NOW);
        Expectations e = new Expectations(clock, Duration.ofMinutes(5));
        e.expectCreate("rs", "pod-a");
        e.expectDelete("rs", "pod-b");
        assertThat(e.satisfied("rs")).isFalse();
        e.created("pod-a");
        assertThat(e.satisfied("rs")).isFalse();
        e.deleted("pod-b");
        assertThat(e.satisfied("rs")).isTrue();
        e.expectCreate("rs", "pod-c");
        clock.advance(Duration.ofMinutes(6));
        assertThat(e.satisfied("rs")).isTrue();
    }
}
