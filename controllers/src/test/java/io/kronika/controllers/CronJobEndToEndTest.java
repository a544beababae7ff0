package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.MutableClock;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A CronJob fires when its controller's clock is moved past its schedule, and with Forbid starts nothing while its job runs. */
class CronJobEndToEndTest {
    @Test
    void firesOnAMovedClockAndHonoursForbid() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("cron");
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (ControllerManager cron = cluster.startWithClock(Set.of(ControllerManager.CRONJOB), clock)) {
            String key = ObjectKeys.of("batch", "CronJob", ns, "tick");
            cluster.create("batch", "CronJob", ns, "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":\"tick\"},"
                    + "\"spec\":{\"schedule\":\"@hourly\",\"concurrencyPolicy\":\"Forbid\",\"jobTemplate\":{\"spec\":{\"template\":{"
                    + "\"metadata\":{\"annotations\":{\"sim.kronika.io/run-duration\":\"3600s\"}},\"spec\":{\"restartPolicy\":\"Never\","
                    + "\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"c\",\"image\":\"tick:v1\"}]}}}}}}");
            cluster.await(key, c -> true, "the cron job");
            assertThat(jobs(cluster, ns)).as("no job before the clock moves").isEmpty();

            clock.advance(Duration.ofMinutes(61));
            touch(cluster, key, "1");
            ControllerCluster.waitUntil(() -> jobs(cluster, ns).size() == 1, "the first job");
            ObjectNode first = jobs(cluster, ns).get(0);
            Instant due = clock.instant().truncatedTo(ChronoUnit.HOURS);
            assertThat(Json.name(first)).isEqualTo("tick-" + due.getEpochSecond() / 60);
            cluster.await(key, c -> c.at("/status/active").size() == 1 && Json.timestamp(due).equals(Json.text(c, "status", "lastScheduleTime")),
                    "the job active in the status");
            cluster.await(ObjectKeys.of("batch", "Job", ns, Json.name(first)), j -> j.at("/status/active").asInt() == 1, "the job running");

            clock.advance(Duration.ofHours(1));
            touch(cluster, key, "2");
            ControllerCluster.waitUntil(() -> cluster.list(ObjectKeys.namespacePrefix("", "Event", ns)).stream()
                    .anyMatch(e -> "JobAlreadyActive".equals(Json.text(e, "reason"))), "the JobAlreadyActive event");
            assertThat(jobs(cluster, ns)).as("Forbid: no second job while the first runs").hasSize(1);
        }
    }

    private static void touch(ControllerCluster cluster, String key, String value) throws Exception {
        cluster.modify(key, c -> Json.metadata(c).with("annotations").put("test.kronika.io/touch", value));
    }

    private static List<ObjectNode> jobs(ControllerCluster cluster, String ns) {
        return cluster.list(ObjectKeys.namespacePrefix("batch", "Job", ns));
    }
}
