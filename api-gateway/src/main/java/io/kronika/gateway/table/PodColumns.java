package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pod columns (NAME READY STATUS RESTARTS AGE, and IP NODE NOMINATED NODE READINESS GATES with -o wide), with
 * the STATUS kubectl users know: the phase, overridden by the pod's reason, init container progress
 * ({@code Init:1/2}), a waiting or terminated container's reason, and {@code Terminating}.
 */
final class PodColumns {
    private PodColumns() {
    }

    static List<Column> all() {
        return List.of(
                Column.name("Name must be unique within a namespace."),
                Column.text("Ready", "The aggregate readiness state of this pod for accepting traffic.", o -> state(o, Instant.now()).ready()),
                Column.text("Status", "The aggregate status of the containers in this pod.", o -> state(o, Instant.now()).reason()),
                new Column("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
                        0, (o, now) -> state(o, now).restarts()),
                Column.age(),
                Column.text("IP", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
                        o -> Cells.orNone(Cells.text(o.path("status").path("podIPs").path(0).path("ip")))).wide(),
                Column.text("Node", "NodeName is a request to schedule this pod onto a specific node.",
                        o -> Cells.orNone(Cells.text(o.path("spec").path("nodeName")))).wide(),
                Column.text("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node.",
                        o -> Cells.orNone(Cells.text(o.path("status").path("nominatedNodeName")))).wide(),
                Column.text("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", PodColumns::readinessGates).wide());
    }

    record State(String ready, String reason, String restarts) {
    }

    static State state(JsonNode pod, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        int total = spec.path("containers").size();
        Set<String> sidecars = new HashSet<>();
        for (JsonNode init : spec.path("initContainers")) {
            if ("Always".equals(init.path("restartPolicy").asText())) {
                sidecars.add(init.path("name").asText());
                total++;
            }
        }
        String phase = status.path("phase").asText("");
        String reason = status.path("reason").asText("").isEmpty() ? phase : status.path("reason").asText();
        for (JsonNode condition : status.path("conditions")) {
            if ("PodScheduled".equals(condition.path("type").asText()) && "SchedulingGated".equals(condition.path("reason").asText())) {
                reason = "SchedulingGated";
            }
        }
        int ready = 0;
        long restarts = 0;
        long sidecarRestarts = 0;
        boolean initializing = false;
        JsonNode inits = status.path("initContainerStatuses");
        for (int i = 0; i < inits.size(); i++) {
            JsonNode container = inits.get(i);
            restarts += container.path("restartCount").asLong();
            boolean sidecar = sidecars.contains(container.path("name").asText());
            if (sidecar) {
                sidecarRestarts += container.path("restartCount").asLong();
            }
            JsonNode terminated = container.path("state").path("terminated");
            JsonNode waiting = container.path("state").path("waiting");
            if (terminated.isObject() && terminated.path("exitCode").asLong() == 0) {
                continue;
            }
            if (sidecar && container.path("started").asBoolean(false)) {
                if (container.path("ready").asBoolean(false)) {
                    ready++;
                }
                continue;
            }
            if (terminated.isObject()) {
                reason = terminated.path("reason").asText("").isEmpty() ? "Init:" + exit(terminated) : "Init:" + terminated.path("reason").asText();
            } else if (waiting.isObject() && !waiting.path("reason").asText("").isEmpty()
                    && !"PodInitializing".equals(waiting.path("reason").asText())) {
                reason = "Init:" + waiting.path("reason").asText();
            } else {
                reason = "Init:" + i + "/" + spec.path("initContainers").size();
            }
            initializing = true;
            break;
        }
        if (!initializing || conditionTrue(status, "Initialized")) {
            restarts = sidecarRestarts;
            boolean running = false;
            JsonNode containers = status.path("containerStatuses");
            for (int i = containers.size() - 1; i >= 0; i--) {
                JsonNode container = containers.get(i);
                restarts += container.path("restartCount").asLong();
                JsonNode waiting = container.path("state").path("waiting");
                JsonNode terminated = container.path("state").path("terminated");
                if (waiting.isObject() && !waiting.path("reason").asText("").isEmpty()) {
                    reason = waiting.path("reason").asText();
                } else if (terminated.isObject() && !terminated.path("reason").asText("").isEmpty()) {
                    reason = terminated.path("reason").asText();
                } else if (terminated.isObject()) {
                    reason = exit(terminated);
                } else if (container.path("ready").asBoolean(false) && container.path("state").path("running").isObject()) {
                    running = true;
                    ready++;
                }
            }
            if (reason.equals("Completed") && running) {
                reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
            }
        }
        boolean deleting = pod.path("metadata").path("deletionTimestamp").isTextual();
        if (deleting && "NodeLost".equals(status.path("reason").asText())) {
            reason = "Unknown";
        } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }
        String restartText = Long.toString(restarts);
        JsonNode lastRestart = lastRestart(status);
        if (restarts != 0 && lastRestart != null) {
            restartText = restarts + " (" + Cells.age(lastRestart, now) + " ago)";
        }
        return new State(ready + "/" + total, reason, restartText);
    }

    private static JsonNode lastRestart(JsonNode status) {
        JsonNode latest = null;
        for (String field : new String[]{"initContainerStatuses", "containerStatuses"}) {
            for (JsonNode container : status.path(field)) {
                JsonNode finished = container.path("lastState").path("terminated").path("finishedAt");
                if (finished.isTextual() && (latest == null || finished.asText().compareTo(latest.asText()) > 0)) {
                    latest = finished;
                }
            }
        }
        return latest;
    }

    private static String exit(JsonNode terminated) {
        long signal = terminated.path("signal").asLong();
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asLong();
    }

    private static boolean conditionTrue(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return "True".equals(condition.path("status").asText());
            }
        }
        return false;
    }

    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return Cells.NONE;
        }
        int satisfied = 0;
        for (JsonNode gate : gates) {
            if (conditionTrue(pod.path("status"), gate.path("conditionType").asText())) {
                satisfied++;
            }
        }
        return satisfied + "/" + gates.size();
    }
}
