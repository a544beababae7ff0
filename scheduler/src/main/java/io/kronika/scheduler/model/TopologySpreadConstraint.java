package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A v1.TopologySpreadConstraint of a pod, with matchLabelKeys merged into its selector. */
public record TopologySpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, LabelSelector selector,
                                       int minDomains, boolean honorNodeAffinity, boolean honorNodeTaints) {

    public static TopologySpreadConstraint parse(JsonNode node, Map<String, String> ownLabels) {
        LabelSelector selector = LabelSelector.parse(node.get("labelSelector"));
        List<LabelSelector.Requirement> extra = new ArrayList<>();
        for (String key : Json.strings(node.get("matchLabelKeys"))) {
            String v = ownLabels.get(key);
            if (v != null) {
                extra.add(new LabelSelector.Requirement(key, "In", List.of(v)));
            }
        }
        selector = selector.and(extra);
        return new TopologySpreadConstraint(
                Math.max(1, node.path("maxSkew").asInt(1)),
                Json.text(node, "topologyKey", ""),
                !"ScheduleAnyway".equals(Json.text(node, "whenUnsatisfiable", "DoNotSchedule")),
                selector,
                Math.max(1, node.path("minDomains").asInt(1)),
                !"Ignore".equals(Json.text(node, "nodeAffinityPolicy", "Honor")),
                "Honor".equals(Json.text(node, "nodeTaintsPolicy", "Ignore")));
    }
}
