package io.kronika.gateway.table;

import io.kronika.gateway.api.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The pod STATUS, READY and RESTARTS cells and the ages, as kubectl users know them. */
class PodColumnsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static PodColumns.State state(String json) {
        return PodColumns.state(Json.object(json), NOW);
    }

    @Test
    void pendingRunningAndTerminating() {
        assertThat(state("{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\"}}"))
                .isEqualTo(new PodColumns.State("0/1", "Pending", "0"));
        assertThat(state("""
                {"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                 "containerStatuses":[{"name":"a","ready":true,"restartCount":2,"state":{"running":{}},
                   "lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-01-01T11:55:00Z"}}},
                  {"name":"b","ready":true,"restartCount":0,"state":{"running":{}}}]}}"""))
                .isEqualTo(new PodColumns.State("2/2", "Running", "2 (5m ago)"));
        assertThat(state("{\"metadata\":{\"deletionTimestamp\":\"2026-01-01T12:00:30Z\"},\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\"}}").reason())
                .isEqualTo("Terminating");
    }

    @Test
    void waitingReasonsAndInitContainers() {
        assertThat(state("""
                {"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
                 "containerStatuses":[{"name":"a","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""").reason())
                .isEqualTo("CrashLoopBackOff");
        assertThat(state("""
                {"spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending",
                 "initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":0}}},{"name":"i2","state":{"running":{}}}]}}""").reason())
                .isEqualTo("Init:1/2");
        assertThat(state("""
                {"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed",
                 "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137}}}]}}""").reason())
                .isEqualTo("ExitCode:137");
    }

    @Test
    void humanDurations() {
        assertThat(HumanDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(HumanDuration.format(Duration.ofSeconds(200))).isEqualTo("3m20s");
        assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(HumanDuration.format(Duration.ofMinutes(310))).isEqualTo("5h10m");
        assertThat(HumanDuration.format(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(HumanDuration.format(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(HumanDuration.format(Duration.ofDays(400))).isEqualTo("400d");
        assertThat(HumanDuration.format(Duration.ofDays(800))).isEqualTo("2y70d");
    }

    @Test
    void customColumnsFollowTheirJsonPath() {
        var columns = CustomColumns.of(Json.object("""
                {"additionalPrinterColumns":[{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\\"Ready\\")].status"},
                 {"name":"Replicas","type":"integer","jsonPath":".spec.replicas"}]}"""));
        var object = Json.object("{\"metadata\":{\"name\":\"w\"},\"spec\":{\"replicas\":3},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        assertThat(columns).extracting(Column::name).containsExactly("Name", "Ready", "Replicas");
        assertThat(columns.get(1).cell().apply(object, NOW)).isEqualTo("True");
        assertThat(columns.get(2).cell().apply(object, NOW)).isEqualTo(3L);
    }
}
