package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs on sim pods: 5 completions 2 at a time (never more than 2 running, checked on the log), a failing one stops at
 * its backoffLimit, one whose exit code matches a FailJob rule of its podFailurePolicy fails at its first failure.
 */
class JobEndToEndTest {
    static String job(String name, String spec, String annotations) {
        return "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec + ","
                + "\"template\":{\"metadata\":{\"annotations\":{\"sim.kronika.io/run-duration\":\"300ms\"" + annotations + "}},"
                + "\"spec\":{\"restartPolicy\":\"Never\",\"terminationGracePeriodSeconds\":0,"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"batch:v1\"}]}}}}";
    }

    @Test
    void completesFiveTwoAtATimeAndAFailingJobStopsAtItsBackoffLimit() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("jobs");
        long start = cluster.admission.client().latestRevision();
        cluster.create("batch", "Job", ns, job("five", "\"completions\":5,\"parallelism\":2", ""));
        cluster.create("batch", "Job", ns, job("broken", "\"backoffLimit\":1", ",\"sim.kronika.io/exit-code\":\"3\""));

        ObjectNode done = cluster.await(ObjectKeys.of("batch", "Job", ns, "five"), j -> Json.conditionTrue(j, "Complete")
                && j.at("/status/active").asInt() == 0, "Complete");
        assertThat(done.at("/status/succeeded").asInt()).isEqualTo(5);
        assertThat(done.at("/status/completionTime").isTextual()).isTrue();
        ObjectNode failed = cluster.await(ObjectKeys.of("batch", "Job", ns, "broken"), j -> Json.conditionTrue(j, "Failed"), "Failed");
        assertThat(Json.text(Json.condition(failed, "Failed"), "reason")).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.at("/status/failed").asInt()).isEqualTo(2);

        // at no revision of the log were more than 2 pods of "five" active
        Map<String, ObjectNode> pods = new HashMap<>();
        int maxActive = 0;
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (e.getRevision() <= start || !"Pod".equals(e.getRef().getKind()) || !ns.equals(e.getRef().getNamespace())) {
                continue;
            }
            if (e.getType() == EventType.DELETED) {
                pods.remove(ObjectKeys.of(e.getRef()));
            } else {
                pods.put(ObjectKeys.of(e.getRef()), Json.parse(e.getObject()));
            }
            int active = (int) pods.values().stream().filter(p -> Pods.isActive(p) && "five".equals(Owners.controllerOf(p).name())).count();
            maxActive = Math.max(maxActive, active);
        }
        assertThat(maxActive).isEqualTo(2);

        // podFailurePolicy: the sim container's exit code 42 matches a FailJob rule, so the first failure fails the job
        cluster.create("batch", "Job", ns, job("policy", "\"backoffLimit\":6,\"podFailurePolicy\":{\"rules\":["
                + "{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"c\",\"operator\":\"In\",\"values\":[42]}}]}",
                ",\"sim.kronika.io/exit-code\":\"42\""));
        ObjectNode byPolicy = cluster.await(ObjectKeys.of("batch", "Job", ns, "policy"), j -> Json.conditionTrue(j, "Failed"), "Failed");
        assertThat(Json.text(Json.condition(byPolicy, "Failed"), "reason")).isEqualTo("PodFailurePolicy");
        assertThat(Json.text(Json.condition(byPolicy, "Failed"), "message")).startsWith("Container c for pod " + ns + "/policy-")
                .endsWith("failed with exit code 42 matching FailJob rule at index 0");
        assertThat(byPolicy.at("/status/failed").asInt()).isEqualTo(1);

        // ttlSecondsAfterFinished: a finished job is deleted
        long created = cluster.create("batch", "Job", ns, job("short-lived", "\"ttlSecondsAfterFinished\":1", "")).getRevision();
        String shortLived = ObjectKeys.of("batch", "Job", ns, "short-lived");
        cluster.view.awaitRevision(created, ControllerCluster.TIMEOUT);
        ControllerCluster.waitUntil(() -> cluster.get(shortLived).isEmpty(), "the job deleted");
        // checked on the log rather than by polling, which a 1 s ttl can outrun: Complete first, deleted a second later
        java.time.Instant completedAt = null;
        java.time.Instant deletedAt = null;
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (!ObjectKeys.of(e.getRef()).equals(shortLived)) {
                continue;
            }
            ObjectNode job = Json.parse(e.getObject());
            if (e.getType() == EventType.DELETED) {
                deletedAt = e.getTimestamp();
            } else if (completedAt == null && Json.conditionTrue(job, "Complete")) {
                completedAt = Json.instant(Json.text(job, "status", "completionTime"));
            }
        }
        assertThat(completedAt).as("the job completed before it was deleted").isNotNull();
        assertThat(deletedAt).isAfterOrEqualTo(completedAt.plusSeconds(1));
    }
}
