package io.kronika.scheduler.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.scheduler.framework.FitError;
import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.model.Json;
import io.kronika.scheduler.model.PodInfo;

import java.util.List;
import java.util.Map;

/**
 * The reasons of one scheduling decision, as compact JSON. It travels as the {@code cause} of the command that
 * carries the decision (the BIND, or the status update that marks the pod unschedulable), so the event that records
 * the change in the log also says why (docs/decisions/005-scheduling-decisions.md):
 * <pre>
 * {"kind":"SchedulingDecision","scheduler":"default-scheduler","instance":"…","result":"Scheduled","node":"n3",
 *  "attempt":1,"nodes":{"total":5000,"evaluated":527,"feasible":500},"filtered":{"Insufficient cpu":27},
 *  "chosen":{"node":"n3","score":412,"plugins":{"NodeResourcesFit":97,…}},"runnerUp":{"node":"n9","score":405,…}}
 * </pre>
 */
public final class SchedulingDecision {
    public static final String KIND = "SchedulingDecision";

    private SchedulingDecision() {
    }

    public static String scheduled(String scheduler, String instance, PodInfo pod, int attempt, Framework.Result r) {
        ObjectNode d = base(scheduler, instance, pod, attempt, "Scheduled");
        d.put("node", r.node());
        nodes(d, r.allNodes(), r.evaluatedNodes(), r.feasibleNodes());
        filtered(d, r.rejected());
        if (r.nominatedNodeUsed()) {
            d.put("nominatedNode", true);
        }
        if (r.chosen() != null) {
            d.set("chosen", score(r.chosen()));
        }
        if (r.runnerUp() != null) {
            d.set("runnerUp", score(r.runnerUp()));
        }
        return Json.write(d);
    }

    public static String unschedulable(String scheduler, String instance, PodInfo pod, int attempt, Framework.Result r,
                                       FitError fitError, String preemptionNode, List<PodInfo> victims) {
        ObjectNode d = base(scheduler, instance, pod, attempt, "Unschedulable");
        d.put("message", fitError.message());
        nodes(d, r.allNodes(), r.evaluatedNodes(), 0);
        filtered(d, fitError.reasonHistogram());
        if (preemptionNode != null) {
            ObjectNode p = d.putObject("preemption");
            p.put("nominatedNode", preemptionNode);
            var list = p.putArray("victims");
            for (PodInfo v : victims) {
                list.addObject().put("pod", v.namespace() + "/" + v.name()).put("uid", v.uid()).put("priority", v.priority());
            }
        }
        return Json.write(d);
    }

    private static ObjectNode base(String scheduler, String instance, PodInfo pod, int attempt, String result) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("kind", KIND);
        d.put("scheduler", scheduler);
        d.put("instance", instance);
        d.put("pod", pod.namespace() + "/" + pod.name());
        d.put("priority", pod.priority());
        d.put("result", result);
        d.put("attempt", attempt);
        return d;
    }

    private static void nodes(ObjectNode d, int total, int evaluated, int feasible) {
        d.putObject("nodes").put("total", total).put("evaluated", evaluated).put("feasible", feasible);
    }

    private static void filtered(ObjectNode d, Map<String, Integer> histogram) {
        if (!histogram.isEmpty()) {
            ObjectNode f = d.putObject("filtered");
            histogram.forEach(f::put);
        }
    }

    private static JsonNode score(Framework.NodeScore s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("node", s.node());
        n.put("score", s.total());
        ObjectNode plugins = n.putObject("plugins");
        s.byPlugin().forEach(plugins::put);
        return n;
    }

    /** Parses a decision from an event's cause; null when the cause is not one. */
    public static ObjectNode parse(String cause) {
        if (cause == null || !cause.startsWith("{")) {
            return null;
        }
        try {
            ObjectNode node = Json.parseObject(cause);
            return KIND.equals(Json.text(node, "kind")) ? node : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
