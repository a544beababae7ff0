package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.apps.DaemonSetController;
import io.kronika.controllers.apps.StatefulSetController;
import io.kronika.controllers.batch.CronJobController;
import io.kronika.controllers.batch.CronSchedule;
import io.kronika.controllers.batch.JobController;
import io.kronika.controllers.core.EndpointSliceController;
import io.kronika.controllers.core.EndpointsController;
import io.kronika.controllers.core.ServiceAccountController;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Revisions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kronika.controllers.testing.Objects.cached;
import static io.kronika.controllers.testing.Objects.ownerRef;
import static io.kronika.controllers.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The reconcile functions of the Endpoints, EndpointSlice, Job, StatefulSet, DaemonSet and ServiceAccount controllers. */
class MoreReconcileTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final String LABELS = "{\"app\":\"web\"}";

    private static <T> List<T> of(Reconciled r, Class<T> type) {
        return r.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static CachedObject withIpAndPorts(CachedObject pod, String ip) {
        ObjectNode o = pod.copy();
        o.with("status").put("podIP", ip);
        ((ObjectNode) o.at("/spec/containers/0")).set("ports", Json.parse("{\"a\":[{\"name\":\"http\",\"containerPort\":8080}]}").get("a"));
        return new CachedObject(pod.key(), pod.ref(), pod.revision(), pod.uid(), o);
    }

    private static CachedObject service(String targetPort) {
        return cached("", "Service", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"},"
                + "\"spec\":{\"selector\":" + LABELS + ",\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":" + targetPort + "}]}}");
    }

    private static List<CachedObject> servicePods() {
        return List.of(
                withIpAndPorts(pod("ns", "ready", LABELS, null, "n1", true, "2026-01-01T00:00:00Z"), "10.0.0.1"),
                withIpAndPorts(pod("ns", "starting", LABELS, null, "n1", false, "2026-01-01T00:00:00Z"), "10.0.0.2"),
                withIpAndPorts(pod("ns", "other", "{\"app\":\"db\"}", null, "n1", true, "2026-01-01T00:00:00Z"), "10.0.0.3"),
                pod("ns", "no-ip", LABELS, null, null, false, "2026-01-01T00:00:00Z"));
    }

    @Test
    void endpointsHoldReadyAndNotReadyAddressesWithANamedTargetPortResolved() {
        Reconciled r = EndpointsController.sync(service("\"http\""), null, servicePods());
        Action.Create create = of(r, Action.Create.class).get(0);
        ObjectNode subset = (ObjectNode) create.object().at("/subsets/0");
        assertThat(subset.at("/addresses").findValuesAsText("ip")).containsExactly("10.0.0.1");
        assertThat(subset.at("/notReadyAddresses").findValuesAsText("ip")).containsExactly("10.0.0.2");
        assertThat(subset.at("/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(subset.at("/addresses/0/targetRef/name").asText()).isEqualTo("ready");
        // by number; unchanged → nothing
        Reconciled byNumber = EndpointsController.sync(service("9090"), null, servicePods());
        ObjectNode ep = of(byNumber, Action.Create.class).get(0).object();
        assertThat(ep.at("/subsets/0/ports/0/port").asInt()).isEqualTo(9090);
        CachedObject existing = cached("", "Endpoints", Json.write(ep));
        assertThat(EndpointsController.sync(service("9090"), existing, servicePods()).actions()).isEmpty();
        // the service is gone → its endpoints go
        assertThat(of(EndpointsController.sync(null, existing, List.of()), Action.Delete.class)).hasSize(1);
    }

    @Test
    void endpointSlicesCarryConditionsAndStaleSlicesAreDeleted() {
        CachedObject stale = cached("discovery.k8s.io", "EndpointSlice", "{\"metadata\":{\"name\":\"web-old\",\"namespace\":\"ns\","
                + "\"labels\":{\"kubernetes.io/service-name\":\"web\"}},\"endpoints\":[],\"ports\":[]}");
        Reconciled r = EndpointSliceController.sync(service("\"http\""), List.of(stale), servicePods());
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("web-old");
        ObjectNode slice = of(r, Action.Create.class).get(0).object();
        assertThat(slice.at("/metadata/labels").get(EndpointSliceController.SERVICE_NAME_LABEL).asText()).isEqualTo("web");
        assertThat(slice.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Service");
        assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(slice.get("endpoints")).hasSize(2);
        assertThat(slice.at("/endpoints/0/conditions/ready").asBoolean()).isTrue();
        assertThat(slice.at("/endpoints/1/conditions/ready").asBoolean()).isFalse();
        assertThat(slice.at("/endpoints/1/targetRef/name").asText()).isEqualTo("starting");
    }

    private static CachedObject job(String extraSpec, String status) {
        return cached("batch", "Job", "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"pi\",\"namespace\":\"ns\","
                + "\"uid\":\"job-uid\"},\"spec\":{" + extraSpec + ",\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
                + "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}" + (status == null ? "" : ",\"status\":" + status) + "}");
    }

    private static CachedObject jobPod(String name, String phase, Integer index) {
        ObjectNode p = pod("ns", name, "{}", ownerRef("batch/v1", "Job", "pi", "job-uid"), "n1", false, "2026-01-01T00:00:00Z").copy();
        p.with("status").put("phase", phase);
        if (index != null) {
            Json.metadata(p).with("annotations").put(JobController.COMPLETION_INDEX, String.valueOf(index));
        }
        return cached("", "Pod", Json.write(p));
    }

    @Test
    void jobRunsParallelismPodsUntilCompletionsSucceed() {
        AtomicInteger n = new AtomicInteger();
        Reconciled start = JobController.sync(job("\"completions\":5,\"parallelism\":2", null), List.of(), true, NOW, () -> "s" + n.incrementAndGet());
        assertThat(of(start, Action.Create.class)).hasSize(2)
                .allSatisfy(c -> assertThat(c.object().at("/metadata/labels/job-name").asText()).isEqualTo("pi"));
        assertThat(of(start, Action.UpdateStatus.class).get(0).object().at("/status/startTime").asText()).isEqualTo(Json.timestamp(NOW));

        List<CachedObject> pods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pods.add(jobPod("ok-" + i, "Succeeded", null));
        }
        pods.add(jobPod("running", "Running", null));
        Reconciled nearly = JobController.sync(job("\"completions\":5,\"parallelism\":2", null), pods, true, NOW, () -> "x");
        assertThat(of(nearly, Action.Create.class)).isEmpty(); // one left to succeed, and it is running
        pods.set(4, jobPod("running", "Succeeded", null));
        Reconciled done = JobController.sync(job("\"completions\":5,\"parallelism\":2,\"ttlSecondsAfterFinished\":30", null), pods, true, NOW, () -> "x");
        ObjectNode status = of(done, Action.UpdateStatus.class).get(0).object();
        assertThat(Json.conditionTrue(status, "Complete")).isTrue();
        assertThat(status.at("/status/succeeded").asInt()).isEqualTo(5);
        assertThat(done.requeueAfter()).isEqualTo(Duration.ofSeconds(30).plusMillis(100));
        // finished 30 s ago with a ttl of 30: deleted
        CachedObject finished = job("\"completions\":5,\"ttlSecondsAfterFinished\":30", "{\"completionTime\":\"2026-01-01T00:09:30Z\","
                + "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}");
        assertThat(of(JobController.sync(finished, pods, true, NOW, () -> "x"), Action.Delete.class))
                .extracting(d -> d.target().getKind()).containsExactly("Job");
    }

    @Test
    void jobFailsPastItsBackoffLimitAndItsDeadline() {
        List<CachedObject> pods = List.of(jobPod("f1", "Failed", null), jobPod("f2", "Failed", null), jobPod("r", "Running", null));
        Reconciled r = JobController.sync(job("\"completions\":3,\"backoffLimit\":1", null), pods, true, NOW, () -> "x");
        ObjectNode status = of(r, Action.UpdateStatus.class).get(0).object();
        assertThat(Json.text(Json.condition(status, "Failed"), "reason")).isEqualTo("BackoffLimitExceeded");
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("r");
        assertThat(of(r, Action.Create.class)).isEmpty();

        Reconciled late = JobController.sync(job("\"activeDeadlineSeconds\":60", "{\"startTime\":\"2026-01-01T00:08:00Z\"}"),
                List.of(jobPod("r", "Running", null)), true, NOW, () -> "x");
        assertThat(Json.text(Json.condition(of(late, Action.UpdateStatus.class).get(0).object(), "Failed"), "reason")).isEqualTo("DeadlineExceeded");
    }

    @Test
    void indexedJobCreatesTheLowestMissingIndexesAndReportsCompletedIndexes() {
        List<CachedObject> pods = List.of(jobPod("pi-0", "Succeeded", 0), jobPod("pi-2", "Running", 2));
        Reconciled r = JobController.sync(job("\"completions\":4,\"parallelism\":3,\"completionMode\":\"Indexed\"", null), pods, true, NOW, () -> "x");
        assertThat(of(r, Action.Create.class)).extracting(c -> c.object().at("/metadata/annotations").get(JobController.COMPLETION_INDEX).asText())
                .containsExactly("1", "3");
        assertThat(of(r, Action.Create.class).get(0).object().at("/spec/containers/0/env/0/value").asText()).isEqualTo("1");
        assertThat(of(r, Action.UpdateStatus.class).get(0).object().at("/status/completedIndexes").asText()).isEqualTo("0");
        assertThat(JobController.ranges(new TreeSet<>(List.of(0, 1, 2, 4, 6, 7)))).isEqualTo("0-2,4,6,7");
    }

    private static CachedObject statefulSet(int replicas, String policy, String image, int partition, String status) {
        return cached("apps", "StatefulSet", "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"db\",\"namespace\":\"ns\","
                + "\"uid\":\"sts-uid\"},\"spec\":{\"replicas\":" + replicas + ",\"serviceName\":\"db\",\"podManagementPolicy\":\"" + policy + "\","
                + "\"selector\":{\"matchLabels\":{\"app\":\"db\"}},\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":"
                + partition + "}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"db\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\""
                + image + "\"}]}},\"volumeClaimTemplates\":[{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
                + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}]}" + (status == null ? "" : ",\"status\":" + status) + "}");
    }

    private static CachedObject stsPod(int ordinal, boolean ready, String hash) {
        ObjectNode p = pod("ns", "db-" + ordinal, "{\"app\":\"db\",\"controller-revision-hash\":\"" + hash + "\"}",
                ownerRef("apps/v1", "StatefulSet", "db", "sts-uid"), "n1", ready, "2026-01-01T00:00:00Z").copy();
        return cached("", "Pod", Json.write(p));
    }

    private static String hashOf(CachedObject sts) {
        return Revisions.hash(sts.object().at("/spec/template"), 0);
    }

    @Test
    void orderedReadyStatefulSetCreatesOnePodAtATimeWithItsClaimAndARevision() {
        CachedObject sts = statefulSet(3, "OrderedReady", "db:1", 0, null);
        String hash = hashOf(sts);
        Reconciled first = StatefulSetController.sync(sts, List.of(), List.of(), List.of(), true);
        List<Action.Create> creates = of(first, Action.Create.class);
        assertThat(creates).extracting(c -> c.target().getKind() + "/" + c.target().getName())
                .containsExactly("ControllerRevision/db-" + hash, "PersistentVolumeClaim/data-db-0", "Pod/db-0");
        ObjectNode pod0 = creates.get(2).object();
        assertThat(pod0.at("/spec/volumes/0/persistentVolumeClaim/claimName").asText()).isEqualTo("data-db-0");
        assertThat(pod0.at("/spec/hostname").asText()).isEqualTo("db-0");
        assertThat(pod0.at("/metadata/labels/" + "controller-revision-hash").asText()).isEqualTo(hash);
        // db-0 not ready yet: wait
        assertThat(of(StatefulSetController.sync(sts, List.of(stsPod(0, false, hash)), List.of(), List.of(), true), Action.Create.class)).filteredOn(c -> !c.target().getKind().equals("ControllerRevision")).isEmpty();
        // db-0 ready: db-1 next
        assertThat(of(StatefulSetController.sync(sts, List.of(stsPod(0, true, hash)), List.of(), List.of(), true), Action.Create.class)).filteredOn(c -> !c.target().getKind().equals("ControllerRevision"))
                .extracting(c -> c.target().getName()).containsExactly("data-db-1", "db-1");
        // Parallel: all at once
        assertThat(of(StatefulSetController.sync(statefulSet(3, "Parallel", "db:1", 0, null), List.of(), List.of(), List.of(), true),
                Action.Create.class)).filteredOn(c -> c.target().getKind().equals("Pod")).hasSize(3);
    }

    @Test
    void statefulSetScalesDownInReverseAndRollsUpdatesDownToThePartition() {
        CachedObject sts = statefulSet(1, "OrderedReady", "db:1", 0, null);
        String hash = hashOf(sts);
        List<CachedObject> pods = List.of(stsPod(0, true, hash), stsPod(1, true, hash), stsPod(2, true, hash));
        assertThat(of(StatefulSetController.sync(sts, pods, List.of(), List.of(), true), Action.Delete.class))
                .extracting(d -> d.target().getName()).containsExactly("db-2");

        CachedObject v2 = statefulSet(3, "OrderedReady", "db:2", 1, null);
        Reconciled r = StatefulSetController.sync(v2, pods, List.of(), List.of(), true);
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("db-2");
        List<CachedObject> rolled = List.of(stsPod(0, true, hash), stsPod(1, true, hashOf(v2)), stsPod(2, true, hashOf(v2)));
        assertThat(of(StatefulSetController.sync(v2, rolled, List.of(), List.of(), true), Action.Delete.class))
                .as("db-0 is below the partition").isEmpty();
    }

    private static CachedObject node(String name, String labels, String taints) {
        return cached("", "Node", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels + "},"
                + "\"spec\":{" + (taints == null ? "" : "\"taints\":" + taints) + "}}");
    }

    private static CachedObject daemonSet(String image, String extraPodSpec) {
        return cached("apps", "DaemonSet", "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"agent\",\"namespace\":\"ns\","
                + "\"uid\":\"ds-uid\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"agent\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"agent\"}},\"spec\":{" + (extraPodSpec == null ? "" : extraPodSpec + ",") + "\"containers\":[{\"name\":\"c\",\"image\":\""
                + image + "\"}]}}}}");
    }

    private static CachedObject dsPod(String name, String node, String hash, boolean ready) {
        return pod("ns", name, "{\"app\":\"agent\",\"controller-revision-hash\":\"" + hash + "\"}",
                ownerRef("apps/v1", "DaemonSet", "agent", "ds-uid"), node, ready, "2026-01-01T00:00:00Z");
    }

    @Test
    void daemonSetPutsOnePodOnEachEligibleNodeAndLeavesIneligibleOnes() {
        List<CachedObject> nodes = List.of(node("a", "{\"disk\":\"ssd\"}", null), node("b", "{\"disk\":\"ssd\"}",
                "[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]"), node("c", "{\"disk\":\"hdd\"}", null),
                node("d", "{\"disk\":\"ssd\"}", "[{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoExecute\"}]"));
        CachedObject ds = daemonSet("agent:1", "\"nodeSelector\":{\"disk\":\"ssd\"}");
        String hash = Revisions.hash(ds.object().at("/spec/template"), 0);
        List<CachedObject> pods = List.of(dsPod("on-c", "c", hash, true), dsPod("on-gone", "gone", hash, true));
        AtomicInteger n = new AtomicInteger();
        Reconciled r = DaemonSetController.sync(ds, pods, nodes, List.of(), true, NOW, () -> "s" + n.incrementAndGet());
        assertThat(of(r, Action.Create.class)).filteredOn(c -> c.target().getKind().equals("Pod"))
                .extracting(c -> c.object().at("/spec/nodeName").asText()).containsExactlyInAnyOrder("a", "d");
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactlyInAnyOrder("on-c", "on-gone");
        assertThat(of(r, Action.UpdateStatus.class).get(0).object().at("/status/desiredNumberScheduled").asInt()).isEqualTo(2);
        assertThat(of(r, Action.Delete.class)).filteredOn(d -> d.target().getName().equals("on-gone"))
                .extracting(Action.Delete::gracePeriodSeconds).as("no kubelet will confirm: removed at once").containsExactly(0L);
        CachedObject unreachable = node("u", "{\"disk\":\"ssd\"}", "[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"},"
                + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\"}]");
        assertThat(DaemonSetController.eligible(ds.object().at("/spec/template"), unreachable.object())).isFalse();

        CachedObject tolerant = daemonSet("agent:1", "\"nodeSelector\":{\"disk\":\"ssd\"},\"tolerations\":[{\"key\":\"dedicated\","
                + "\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]");
        assertThat(DaemonSetController.eligible(tolerant.object().at("/spec/template"), nodes.get(1).object())).isTrue();
    }

    @Test
    void daemonSetRollingUpdateReplacesAtMostMaxUnavailableAtATime() {
        List<CachedObject> nodes = List.of(node("a", "{}", null), node("b", "{}", null), node("c", "{}", null));
        CachedObject ds = daemonSet("agent:2", null);
        List<CachedObject> pods = List.of(dsPod("pa", "a", "old", true), dsPod("pb", "b", "old", true), dsPod("pc", "c", "old", true));
        Reconciled r = DaemonSetController.sync(ds, pods, nodes, List.of(), true, NOW, () -> "x");
        assertThat(of(r, Action.Delete.class)).hasSize(1);
        assertThat(of(r, Action.Create.class)).extracting(c -> c.target().getKind()).containsExactly("ControllerRevision");
    }

    @Test
    void serviceAccountControllerCreatesTheDefaultAccountOnce() {
        CachedObject ns = cached("", "Namespace", "{\"metadata\":{\"name\":\"team\"},\"status\":{\"phase\":\"Active\"}}");
        Reconciled r = ServiceAccountController.sync(ns, null);
        assertThat(of(r, Action.Create.class)).singleElement().satisfies(c -> {
            assertThat(c.target().getNamespace()).isEqualTo("team");
            assertThat(c.target().getName()).isEqualTo("default");
        });
        CachedObject sa = cached("", "ServiceAccount", "{\"metadata\":{\"name\":\"default\",\"namespace\":\"team\"}}");
        assertThat(ServiceAccountController.sync(ns, sa).actions()).isEmpty();
        CachedObject terminating = cached("", "Namespace", "{\"metadata\":{\"name\":\"team\"},\"status\":{\"phase\":\"Terminating\"}}");
        assertThat(ServiceAccountController.sync(terminating, null).actions()).isEmpty();
    }

    @Test
    void cronSchedulesParseFieldsMacrosAndTimeZones() {
        Instant t = Instant.parse("2026-01-01T10:07:00Z"); // a Thursday
        assertThat(CronSchedule.parse("*/15 * * * *", null).next(t)).isEqualTo(Instant.parse("2026-01-01T10:15:00Z"));
        assertThat(CronSchedule.parse("@hourly", null).next(t)).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(CronSchedule.parse("0 9 * * MON-FRI", null).next(t)).isEqualTo(Instant.parse("2026-01-02T09:00:00Z"));
        assertThat(CronSchedule.parse("30 2 1 FEB *", null).next(t)).isEqualTo(Instant.parse("2026-02-01T02:30:00Z"));
        assertThat(CronSchedule.parse("0 0 13 * 5", null).next(t)).as("day of month or day of week").isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(CronSchedule.parse("0 12 * * *", "Europe/Paris").next(t)).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(CronSchedule.parse("CRON_TZ=America/New_York 0 12 * * *", null).next(t)).isEqualTo(Instant.parse("2026-01-01T17:00:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static CachedObject cronJob(String policy, String status) {
        return cached("batch", "CronJob", "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":\"tick\",\"namespace\":\"ns\","
                + "\"uid\":\"cj-uid\",\"creationTimestamp\":\"2026-01-01T00:00:30Z\"},\"spec\":{\"schedule\":\"*/5 * * * *\",\"concurrencyPolicy\":\""
                + policy + "\",\"successfulJobsHistoryLimit\":1,\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[]}}}}}"
                + (status == null ? "" : ",\"status\":" + status) + "}");
    }

    private static CachedObject cronChild(String name, String conditions, String scheduled) {
        return cached("batch", "Job", "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"annotations\":{\""
                + CronJobController.SCHEDULED_TIMESTAMP + "\":\"" + scheduled + "\"},\"ownerReferences\":[" + ownerRef("batch/v1", "CronJob", "tick", "cj-uid")
                + "]},\"status\":{\"conditions\":" + conditions + "}}");
    }

    @Test
    void cronJobCreatesTheLatestMissedJobAndHonoursForbidReplaceAndHistory() {
        Reconciled first = CronJobController.sync(cronJob("Allow", null), List.of(), NOW); // 00:10: missed 00:05 and 00:10
        Action.Create create = of(first, Action.Create.class).get(0);
        assertThat(create.target().getName()).isEqualTo("tick-" + NOW.getEpochSecond() / 60);
        assertThat(create.object().at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("CronJob");
        assertThat(of(first, Action.UpdateStatus.class).get(0).object().at("/status/lastScheduleTime").asText()).isEqualTo("2026-01-01T00:10:00Z");
        assertThat(first.requeueAfter()).isEqualTo(Duration.ofMinutes(5).plusMillis(100));

        CachedObject running = cronChild("tick-old", "[]", "2026-01-01T00:05:00Z");
        String status = "{\"lastScheduleTime\":\"2026-01-01T00:05:00Z\"}";
        Reconciled forbid = CronJobController.sync(cronJob("Forbid", status), List.of(running), NOW);
        assertThat(of(forbid, Action.Create.class)).isEmpty();
        assertThat(of(forbid, Action.RecordEvent.class)).extracting(Action.RecordEvent::reason).containsExactly("JobAlreadyActive");
        Reconciled replace = CronJobController.sync(cronJob("Replace", status), List.of(running), NOW);
        assertThat(of(replace, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("tick-old");
        assertThat(of(replace, Action.Create.class)).hasSize(1);

        List<CachedObject> done = List.of(cronChild("tick-a", "[{\"type\":\"Complete\",\"status\":\"True\"}]", "2026-01-01T00:00:00Z"),
                cronChild("tick-b", "[{\"type\":\"Complete\",\"status\":\"True\"}]", "2026-01-01T00:05:00Z"));
        Reconciled history = CronJobController.sync(cronJob("Allow", "{\"lastScheduleTime\":\"2026-01-01T00:10:00Z\"}"), done, NOW);
        assertThat(of(history, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("tick-a");
        assertThat(of(history, Action.Create.class)).isEmpty();
        assertThat(CronJobController.sync(suspended(), List.of(), NOW).actions())
                .filteredOn(a -> a instanceof Action.Create).isEmpty();
    }

    private static CachedObject suspended() {
        ObjectNode o = cronJob("Allow", null).copy();
        o.with("spec").put("suspend", true);
        return cached("batch", "CronJob", Json.write(o));
    }
}
