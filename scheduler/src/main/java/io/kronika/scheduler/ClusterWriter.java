package io.kronika.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.scheduler.model.Json;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** The commands the scheduler sends: bindings, pod status, evictions and core/v1 Events. */
final class ClusterWriter {
    static final Actor ACTOR = Commands.actor("system:kube-scheduler", "scheduler", "system:authenticated");

    private final CommandClient client;
    private final String instance;
    private final AtomicLong eventCounter = new AtomicLong();

    ClusterWriter(CommandClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    static ObjectRef podRef(PodInfo pod) {
        return ObjectKeys.ref("", "Pod", pod.namespace(), pod.name());
    }

    /** BIND the pod to the node; the decision rides along as the command's (and so the event's) cause. */
    CompletableFuture<CommandResult> bind(PodInfo pod, String node, String decision) {
        Command command = Commands.bind(podRef(pod), pod.uid(), node, ACTOR);
        command.setCause(decision);
        return client.submit(command);
    }

    /**
     * Sets PodScheduled=False/Unschedulable with {@code message} and status.nominatedNodeName, on condition that the
     * pod is still the version we saw (a newer version gets its own attempt).
     */
    CompletableFuture<CommandResult> markUnschedulable(PodInfo pod, String message, String nominatedNode, String decision) {
        ObjectNode object = Json.parseObject(pod.json());
        ObjectNode status = object.with("status");
        if (status.path("phase").isMissingNode()) {
            status.put("phase", "Pending");
        }
        JsonNode existing = status.get("conditions");
        ArrayNode conditions = existing instanceof ArrayNode a ? a : status.putArray("conditions");
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if ("PodScheduled".equals(Json.text(c, "type")) && c instanceof ObjectNode o) {
                condition = o;
            }
        }
        String now = timestamp();
        if (condition == null) {
            condition = conditions.addObject();
            condition.put("type", "PodScheduled");
        }
        if (!"False".equals(Json.text(condition, "status"))) {
            condition.put("lastTransitionTime", now);
        }
        condition.put("status", "False");
        condition.putNull("lastProbeTime");
        condition.put("reason", "Unschedulable");
        condition.put("message", message);
        if (nominatedNode != null && !nominatedNode.isEmpty()) {
            status.put("nominatedNodeName", nominatedNode);
        }
        Command command = Commands.updateStatus(podRef(pod), Json.write(object), pod.revision(), ACTOR);
        command.setCause(decision);
        return client.submit(command);
    }

    /**
     * Evicts a preemption victim as kube-scheduler does: marks it DisruptionTarget=True (PreemptionByScheduler), then
     * deletes it on condition of its uid. A bound pod is deleted gracefully: it keeps its room until its kubelet has
     * stopped it and the deletion completes.
     */
    CompletableFuture<CommandResult> evict(PodInfo victim, String preemptorScheduler, String cause) {
        ObjectNode object = Json.parseObject(victim.json());
        ObjectNode status = object.with("status");
        JsonNode existing = status.get("conditions");
        ArrayNode conditions = existing instanceof ArrayNode a ? a : status.putArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if ("DisruptionTarget".equals(Json.text(conditions.get(i), "type"))) {
                conditions.remove(i);
            }
        }
        ObjectNode condition = conditions.addObject();
        condition.put("type", "DisruptionTarget");
        condition.put("status", "True");
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", timestamp());
        condition.put("reason", "PreemptionByScheduler");
        condition.put("message", preemptorScheduler + ": preempting to accommodate a higher priority pod");
        Command mark = Commands.updateStatus(podRef(victim), Json.write(object), null, ACTOR);
        mark.setCause(cause);
        mark.setExpectedUid(victim.uid());
        client.submit(mark);
        Command delete = Commands.delete(podRef(victim), null, victim.uid(), ACTOR);
        delete.setCause(cause);
        return client.submit(delete);
    }

    /** A core/v1 Event about a pod, as kube-scheduler records them (FailedScheduling, Scheduled, Preempted). */
    CompletableFuture<CommandResult> event(PodInfo pod, String type, String reason, String action, String message) {
        return event(pod, pod.schedulerName(), type, reason, action, message);
    }

    /** As {@link #event(PodInfo, String, String, String, String)}, reported by the profile {@code component}. */
    CompletableFuture<CommandResult> event(PodInfo pod, String component, String type, String reason, String action, String message) {
        Instant now = Instant.now();
        String name = pod.name() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano() + eventCounter.incrementAndGet());
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("apiVersion", "v1");
        e.put("kind", "Event");
        e.putObject("metadata").put("name", name).put("namespace", pod.namespace());
        ObjectNode involved = e.putObject("involvedObject");
        involved.put("apiVersion", "v1").put("kind", "Pod").put("namespace", pod.namespace()).put("name", pod.name())
                .put("uid", pod.uid()).put("resourceVersion", String.valueOf(pod.revision()));
        e.put("reason", reason);
        e.put("message", message);
        e.put("type", type);
        e.putObject("source").put("component", component);
        String ts = timestamp(now);
        e.put("firstTimestamp", ts);
        e.put("lastTimestamp", ts);
        e.put("count", 1);
        e.put("eventTime", now.truncatedTo(ChronoUnit.MICROS).toString());
        e.put("action", action);
        e.put("reportingComponent", component);
        e.put("reportingInstance", instance);
        return client.submit(Commands.create(ObjectKeys.ref("", "Event", pod.namespace(), name), Json.write(e), ACTOR));
    }

    private static String timestamp() {
        return timestamp(Instant.now());
    }

    private static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
