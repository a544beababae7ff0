package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.util.Json;
import io.kronika.kubelet.util.Quantity;

import java.time.Duration;
import java.util.List;

/** Reads of a pod's spec with Kubernetes' defaults applied. */
public final class PodSpecs {
    private PodSpecs() {
    }

    public static List<JsonNode> initContainers(JsonNode pod) {
        return Json.list(pod, "spec", "initContainers");
    }

    public static List<JsonNode> containers(JsonNode pod) {
        return Json.list(pod, "spec", "containers");
    }

    public static String restartPolicy(JsonNode pod) {
        return Json.textOr(Json.at(pod, "spec"), "restartPolicy", "Always");
    }

    public static long terminationGraceSeconds(JsonNode pod) {
        return Json.longAt(pod, 30, "spec", "terminationGracePeriodSeconds");
    }

    /** The grace period of a deletion: the one the deletion carries when positive, else the pod's. */
    public static Duration deletionGrace(JsonNode pod) {
        long fromDeletion = Json.longAt(pod, -1, "metadata", "deletionGracePeriodSeconds");
        long seconds = fromDeletion > 0 ? fromDeletion : terminationGraceSeconds(pod);
        return Duration.ofSeconds(Math.max(0, seconds));
    }

    public static boolean terminating(JsonNode pod) {
        return Json.text(pod, "metadata", "deletionTimestamp") != null;
    }

    public static String nodeName(JsonNode pod) {
        return Json.text(pod, "spec", "nodeName");
    }

    public static long cpuMillis(JsonNode container, String kind) {
        String q = Json.text(container, "resources", kind, "cpu");
        return q == null ? 0 : Quantity.cpuMillis(q);
    }

    public static long memoryBytes(JsonNode container, String kind) {
        String q = Json.text(container, "resources", kind, "memory");
        return q == null ? 0 : Quantity.bytes(q);
    }

    /** Requests default to limits when only limits are given, as the API server defaults them. */
    public static long cpuRequest(JsonNode container) {
        long request = cpuMillis(container, "requests");
        return request > 0 ? request : cpuMillis(container, "limits");
    }

    public static long memoryRequest(JsonNode container) {
        long request = memoryBytes(container, "requests");
        return request > 0 ? request : memoryBytes(container, "limits");
    }

    /** The pod's effective requests: the larger of the sum over containers and the largest init container. */
    public static long[] podRequests(JsonNode pod) {
        long cpu = 0;
        long memory = 0;
        for (JsonNode c : containers(pod)) {
            cpu += cpuRequest(c);
            memory += memoryRequest(c);
        }
        for (JsonNode c : initContainers(pod)) {
            cpu = Math.max(cpu, cpuRequest(c));
            memory = Math.max(memory, memoryRequest(c));
        }
        return new long[]{cpu, memory};
    }

    /** Guaranteed, Burstable or BestEffort. */
    public static String qosClass(JsonNode pod) {
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : concat(initContainers(pod), containers(pod))) {
            long cpuReq = cpuRequest(c);
            long memReq = memoryRequest(c);
            long cpuLim = cpuMillis(c, "limits");
            long memLim = memoryBytes(c, "limits");
            if (cpuReq > 0 || memReq > 0 || cpuLim > 0 || memLim > 0) {
                any = true;
            }
            if (cpuLim == 0 || memLim == 0 || cpuReq != cpuLim || memReq != memLim) {
                guaranteed = false;
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    public static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
