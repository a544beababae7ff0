package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.controllers.framework.Json;

import java.time.Duration;
import java.time.Instant;

/** Pod facts controllers share: active, ready, available. */
public final class Pods {
    private Pods() {
    }

    public static String phase(JsonNode pod) {
        String p = Json.text(pod, "status", "phase");
        return p == null ? "Pending" : p;
    }

    /** Not terminating and not finished. */
    public static boolean isActive(JsonNode pod) {
        String phase = phase(pod);
        return !Json.isTerminating(pod) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    public static boolean isReady(JsonNode pod) {
        return Json.conditionTrue(pod, "Ready");
    }

    /** Ready for at least {@code minReadySeconds} as of {@code now}. */
    public static boolean isAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        Instant since = Json.instant(Json.text(Json.condition(pod, "Ready"), "lastTransitionTime"));
        return since == null || !since.plusSeconds(minReadySeconds).isAfter(now);
    }

    /** How long until a ready pod becomes available, or null if it is not ready or already available. */
    public static Duration untilAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (!isReady(pod) || minReadySeconds <= 0) {
            return null;
        }
        Instant since = Json.instant(Json.text(Json.condition(pod, "Ready"), "lastTransitionTime"));
        if (since == null) {
            return null;
        }
        Duration left = Duration.between(now, since.plusSeconds(minReadySeconds));
        return left.isNegative() || left.isZero() ? null : left.plusMillis(100);
    }

    public static int restarts(JsonNode pod) {
        int n = 0;
        JsonNode statuses = Json.at(pod, "status", "containerStatuses");
        if (statuses != null && statuses.isArray()) {
            for (JsonNode s : statuses) {
                n += s.path("restartCount").asInt(0);
            }
        }
        return n;
    }

    public static String nodeName(JsonNode pod) {
        String n = Json.text(pod, "spec", "nodeName");
        return n == null ? "" : n;
    }
}
