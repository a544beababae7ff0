package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.batch.JobController;
import io.kronika.controllers.batch.PodFailurePolicy;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.kronika.controllers.testing.Objects.cached;
import static io.kronika.controllers.testing.Objects.ownerRef;
import static io.kronika.controllers.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** A Job's podFailurePolicy and backoffLimitPerIndex in the pure Job reconcile. */
class JobPodFailurePolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final String POLICY = "\"podFailurePolicy\":{\"rules\":["
            + "{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"main\",\"operator\":\"In\",\"values\":[42]}},"
            + "{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]},"
            + "{\"action\":\"FailIndex\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[7]}},"
            + "{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[42,7]}}]}";

    private static <T> List<T> of(Reconciled r, Class<T> type) {
        return r.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static CachedObject job(String spec) {
        return cached("batch", "Job", "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"pi\",\"namespace\":\"ns\","
                + "\"uid\":\"job-uid\"},\"spec\":{" + spec + ",\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
                + "\"containers\":[{\"name\":\"side\",\"image\":\"i\"},{\"name\":\"main\",\"image\":\"i\"}]}}}}");
    }

    /** A pod of the job in {@code phase}; {@code exits} are the exit codes of side and main (null: still running). */
    private static CachedObject jobPod(String name, String phase, Integer index, Integer sideExit, Integer mainExit, String condition) {
        ObjectNode p = pod("ns", name, "{}", ownerRef("batch/v1", "Job", "pi", "job-uid"), "n1", false, "2026-01-01T00:00:00Z").copy();
        ObjectNode status = p.with("status");
        status.put("phase", phase);
        var statuses = status.putArray("containerStatuses");
        statuses.add(containerStatus("side", sideExit));
        statuses.add(containerStatus("main", mainExit));
        if (condition != null) {
            status.withArray("conditions").addObject().put("type", condition).put("status", "True").put("reason", "DeletionByTaintManager");
        }
        if (index != null) {
            Json.metadata(p).with("annotations").put(JobController.COMPLETION_INDEX, String.valueOf(index));
        }
        return cached("", "Pod", Json.write(p));
    }

    private static ObjectNode containerStatus(String name, Integer exit) {
        ObjectNode s = Json.object().put("name", name);
        if (exit == null) {
            s.with("state").putObject("running");
        } else {
            s.with("state").putObject("terminated").put("exitCode", exit).put("reason", exit == 0 ? "Completed" : "Error");
        }
        return s;
    }

    private static ObjectNode status(Reconciled r) {
        return of(r, Action.UpdateStatus.class).get(0).object();
    }

    @Test
    void rulesMatchInOrderOnExitCodesOfTheNamedContainerAndOnPodConditions() {
        String policyJson = "{" + POLICY + "}";
        var policy = Json.parse(policyJson).get("podFailurePolicy");
        // exit 42 of main: FailJob (rule 0), with Kubernetes' message
        PodFailurePolicy.Decision failJob = PodFailurePolicy.decide(policy, jobPod("a", "Failed", null, 0, 42, null).object());
        assertThat(failJob.action()).isEqualTo("FailJob");
        assertThat(failJob.message()).isEqualTo("Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 0");
        // exit 42 of side: rule 0 names main only; NotIn [42,7] does not match 42 either... so nothing matches: Count
        assertThat(PodFailurePolicy.decide(policy, jobPod("b", "Failed", null, 42, 0, null).object()).action()).isEqualTo("Count");
        // a disruption wins over the exit codes of later rules
        PodFailurePolicy.Decision ignored = PodFailurePolicy.decide(policy, jobPod("c", "Failed", null, 7, 1, "DisruptionTarget").object());
        assertThat(ignored.action()).isEqualTo("Ignore");
        assertThat(ignored.message()).isEqualTo("Pod ns/c has condition DisruptionTarget matching Ignore rule at index 1");
        // exit 7 of any container: FailIndex; exit 3: Count through NotIn; exit 0 never matches NotIn
        assertThat(PodFailurePolicy.decide(policy, jobPod("d", "Failed", null, 7, 0, null).object()).action()).isEqualTo("FailIndex");
        assertThat(PodFailurePolicy.decide(policy, jobPod("e", "Failed", null, 0, 3, null).object()).message())
                .isEqualTo("Container main for pod ns/e failed with exit code 3 matching Count rule at index 3");
        assertThat(PodFailurePolicy.decide(policy, jobPod("f", "Failed", null, 0, 0, null).object()).message()).isNull();
        assertThat(PodFailurePolicy.decide(null, jobPod("g", "Failed", null, 0, 42, null).object()).action()).isEqualTo("Count");
    }

    @Test
    void failJobFailsTheJobAtOnceWithReasonPodFailurePolicyAndDeletesActivePods() {
        List<CachedObject> pods = List.of(jobPod("a", "Failed", null, 0, 42, null), jobPod("r", "Running", null, null, null, null));
        Reconciled r = JobController.sync(job("\"completions\":3,\"parallelism\":2,\"backoffLimit\":6," + POLICY), pods, true, NOW, () -> "x");
        ObjectNode status = status(r);
        ObjectNode failed = Json.condition(status, "Failed");
        assertThat(Json.text(failed, "status")).isEqualTo("True");
        assertThat(Json.text(failed, "reason")).isEqualTo("PodFailurePolicy");
        assertThat(Json.text(failed, "message")).isEqualTo("Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 0");
        assertThat(Json.text(Json.condition(status, "FailureTarget"), "reason")).isEqualTo("PodFailurePolicy");
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("r");
        assertThat(of(r, Action.Create.class)).isEmpty();
    }

    @Test
    void ignoredFailuresDoNotCountTowardsTheBackoffLimitAndAreReplaced() {
        List<CachedObject> pods = List.of(jobPod("d1", "Failed", null, 1, 1, "DisruptionTarget"),
                jobPod("d2", "Failed", null, 1, 1, "DisruptionTarget"), jobPod("c1", "Failed", null, 0, 3, null));
        Reconciled r = JobController.sync(job("\"completions\":1,\"backoffLimit\":1," + POLICY), pods, true, NOW, () -> "x");
        assertThat(Json.condition(status(r), "Failed")).isNull();
        assertThat(status(r).at("/status/failed").asInt()).isEqualTo(1);
        assertThat(of(r, Action.Create.class)).hasSize(1);
        // without the policy the same three failures pass the backoff limit of 1
        Reconciled counted = JobController.sync(job("\"completions\":1,\"backoffLimit\":1"), pods, true, NOW, () -> "x");
        assertThat(Json.text(Json.condition(status(counted), "Failed"), "reason")).isEqualTo("BackoffLimitExceeded");
    }

    @Test
    void failIndexAndBackoffLimitPerIndexStopRetryingAnIndexAndFailTheJobWhenAllIndexesFinished() {
        String spec = "\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\",\"backoffLimitPerIndex\":1," + POLICY;
        // index 0 failed with exit 7 (FailIndex), index 1 failed once (within its limit of 1), index 2 succeeded
        List<CachedObject> pods = List.of(jobPod("pi-0", "Failed", 0, 7, 0, null), jobPod("pi-1", "Failed", 1, 0, 3, null),
                jobPod("pi-2", "Succeeded", 2, 0, 0, null));
        Reconciled r = JobController.sync(job(spec), pods, true, NOW, () -> "x");
        assertThat(of(r, Action.Create.class)).extracting(c -> c.object().at("/metadata/annotations").get(JobController.COMPLETION_INDEX).asText())
                .containsExactly("1");
        assertThat(status(r).at("/status/failedIndexes").asText()).isEqualTo("0");
        assertThat(Json.condition(status(r), "Failed")).isNull();
        // index 1 fails a second time: past its per-index limit, every index has finished and the job fails
        List<CachedObject> later = List.of(pods.get(0), pods.get(1), pods.get(2), jobPod("pi-1b", "Failed", 1, 0, 3, null));
        Reconciled failed = JobController.sync(job(spec), later, true, NOW, () -> "x");
        assertThat(status(failed).at("/status/failedIndexes").asText()).isEqualTo("0,1");
        assertThat(status(failed).at("/status/completedIndexes").asText()).isEqualTo("2");
        assertThat(Json.text(Json.condition(status(failed), "Failed"), "reason")).isEqualTo("FailedIndexes");
        assertThat(of(failed, Action.Create.class)).isEmpty();
        // maxFailedIndexes 0: the first failed index fails the job
        Reconciled max = JobController.sync(job(spec + ",\"maxFailedIndexes\":0"), pods, true, NOW, () -> "x");
        assertThat(Json.text(Json.condition(status(max), "Failed"), "reason")).isEqualTo("MaxFailedIndexesExceeded");
    }
}
