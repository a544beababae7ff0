package io.kronika.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.PodGarbageCollector;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.kronika.controllers.testing.Objects.cached;
import static io.kronika.controllers.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The pod garbage collector's sweep on hand-built states. */
class PodGarbageCollectorTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final PodGarbageCollector.Settings SETTINGS = new PodGarbageCollector.Settings(Duration.ofSeconds(20), Duration.ofSeconds(40), 2);

    private static <T> List<T> of(Reconciled r, Class<T> type) {
        return r.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static JsonNode node(String name, String ready, String taintKey) {
        return Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + (taintKey == null ? "" : "\"taints\":[{\"key\":\"" + taintKey + "\",\"value\":\"nodeshutdown\",\"effect\":\"NoExecute\"}]")
                + "},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + ready + "\"}]}}");
    }

    private static CachedObject podOn(String name, String node, boolean terminating, String phase, String created) {
        ObjectNode p = pod("ns", name, "{}", null, node, true, created).copy();
        if (terminating) {
            Json.metadata(p).put("deletionTimestamp", "2026-01-01T00:09:00Z").put("deletionGracePeriodSeconds", 30);
        }
        if (phase != null) {
            p.with("status").put("phase", phase);
        }
        return cached("", "Pod", Json.write(p));
    }

    @Test
    void forceDeletesOrphansAfterTheQuarantineAndTerminatingPodsNoKubeletWillFinish() {
        Map<String, JsonNode> nodes = Map.of(
                "alive", node("alive", "True", null),
                "out", node("out", "False", PodGarbageCollector.OUT_OF_SERVICE),
                "unreachable", node("unreachable", "Unknown", "node.kubernetes.io/unreachable"));
        List<CachedObject> pods = List.of(
                podOn("orphan", "gone", false, null, "2026-01-01T00:00:00Z"),
                podOn("fresh-orphan", "late", false, null, "2026-01-01T00:00:00Z"),
                podOn("stuck", "out", true, null, "2026-01-01T00:00:00Z"),
                podOn("running-on-out", "out", false, null, "2026-01-01T00:00:00Z"),
                podOn("stuck-unreachable", "unreachable", true, null, "2026-01-01T00:00:00Z"),
                podOn("never-scheduled", null, true, "Pending", "2026-01-01T00:00:00Z"),
                podOn("healthy", "alive", false, null, "2026-01-01T00:00:00Z"));
        Map<String, Instant> missingSince = Map.of("gone", NOW.minusSeconds(41), "late", NOW.minusSeconds(30));
        Reconciled r = PodGarbageCollector.sync(pods, nodes, missingSince, NOW, SETTINGS);

        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("orphan", "stuck", "never-scheduled")
                .hasSize(3);
        assertThat(of(r, Action.Delete.class)).allSatisfy(d -> assertThat(d.gracePeriodSeconds()).isZero());
        // unfinished pods are marked Failed first; the orphan also says why it was disrupted
        List<Action.UpdateStatus> failed = of(r, Action.UpdateStatus.class);
        assertThat(failed).extracting(u -> u.target().getName()).containsExactly("orphan", "stuck", "never-scheduled");
        assertThat(failed).allSatisfy(u -> assertThat(u.object().at("/status/phase").asText()).isEqualTo("Failed"));
        ObjectNode disruption = Json.condition(failed.get(0).object(), "DisruptionTarget");
        assertThat(Json.text(disruption, "status")).isEqualTo("True");
        assertThat(Json.text(disruption, "reason")).isEqualTo("DeletionByPodGC");
        assertThat(Json.text(disruption, "message")).isEqualTo("PodGC: node no longer exists");
        assertThat(Json.condition(failed.get(1).object(), "DisruptionTarget")).isNull();
        // the orphan of a node missing for 30 s is looked at again when its 40 s quarantine ends, before the 20 s period
        assertThat(r.requeueAfter()).isEqualTo(Duration.ofSeconds(10).plusMillis(50));
    }

    @Test
    void keepsOnlyTheNewestFinishedPodsBeyondTheThreshold() {
        Map<String, JsonNode> nodes = Map.of("alive", node("alive", "True", null));
        List<CachedObject> pods = List.of(
                podOn("done-2", "alive", false, "Succeeded", "2026-01-01T00:02:00Z"),
                podOn("done-1", "alive", false, "Failed", "2026-01-01T00:01:00Z"),
                podOn("done-3", "alive", false, "Succeeded", "2026-01-01T00:03:00Z"),
                podOn("running", "alive", false, "Running", "2026-01-01T00:00:00Z"));
        Reconciled r = PodGarbageCollector.sync(pods, nodes, Map.of(), NOW, SETTINGS);
        assertThat(of(r, Action.Delete.class)).extracting(d -> d.target().getName()).containsExactly("done-1");
        assertThat(of(r, Action.UpdateStatus.class)).isEmpty();
        assertThat(r.requeueAfter()).isEqualTo(SETTINGS.checkPeriod());
    }
}
