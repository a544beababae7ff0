package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** What the scheduler needs of one Node: labels, taints, cordon flag and allocatable resources. */
public record NodeModel(String name, Map<String, String> labels, List<Taint> taints, boolean unschedulable,
                        Resources allocatable, long revision) {

    public static NodeModel parse(String json) {
        return parse(Json.parseObject(json));
    }

    /** Allocatable comes from status.allocatable, falling back to status.capacity for each missing resource. */
    public static NodeModel parse(ObjectNode node) {
        JsonNode meta = node.path("metadata");
        JsonNode spec = node.path("spec");
        JsonNode status = node.path("status");
        JsonNode allocatableNode = status.get("allocatable");
        Resources allocatable = Resources.parse(status.get("capacity"));
        if (allocatableNode != null && allocatableNode.isObject()) {
            Resources a = Resources.parse(allocatableNode);
            allocatableNode.fieldNames().forEachRemaining(name -> allocatable.set(name, a.get(name)));
        }
        String rv = Json.text(meta, "resourceVersion", "0");
        long revision;
        try {
            revision = Long.parseLong(rv);
        } catch (NumberFormatException e) {
            revision = 0;
        }
        return new NodeModel(Json.text(meta, "name", ""), Json.stringMap(meta.get("labels")),
                Json.list(spec.get("taints"), Taint::parse), spec.path("unschedulable").asBoolean(false), allocatable, revision);
    }

    /** Whether a change from {@code previous} to this can make a pod schedulable (or not): the fields filters read. */
    public boolean schedulingPropertiesDiffer(NodeModel previous) {
        return previous == null || unschedulable != previous.unschedulable || !labels.equals(previous.labels)
                || !taints.equals(previous.taints) || !allocatable.equals(previous.allocatable);
    }
}
