package io.kronika.kubelet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.kubelet.util.Json;

import java.util.List;
import java.util.function.Consumer;

/** Pod manifests for tests, and reads of their status. */
public final class Pods {
    private Pods() {
    }

    public static ObjectNode pod(String name, String restartPolicy, ObjectNode... containers) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.putObject("metadata").put("name", name);
        ObjectNode spec = pod.putObject("spec");
        spec.put("restartPolicy", restartPolicy);
        spec.put("terminationGracePeriodSeconds", 5);
        ArrayNode list = spec.putArray("containers");
        for (ObjectNode c : containers) {
            list.add(c);
        }
        return pod;
    }

    public static ObjectNode container(String name, String image, String... command) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("image", image);
        if (command.length > 0) {
            ArrayNode cmd = c.putArray("command");
            for (String part : command) {
                cmd.add(part);
            }
        }
        return c;
    }

    public static ObjectNode annotate(ObjectNode pod, String key, String value) {
        ((ObjectNode) pod.get("metadata")).with("annotations").put(key, value);
        return pod;
    }

    public static ObjectNode with(ObjectNode node, Consumer<ObjectNode> change) {
        change.accept(node);
        return node;
    }

    public static String phase(JsonNode pod) {
        return Json.text(pod, "status", "phase");
    }

    public static JsonNode containerStatus(JsonNode pod, String container) {
        for (JsonNode cs : Json.list(pod, "status", "containerStatuses")) {
            if (container.equals(Json.text(cs, "name"))) {
                return cs;
            }
        }
        return Json.object();
    }

    public static String waitingReason(JsonNode pod, String container) {
        return Json.text(containerStatus(pod, container), "state", "waiting", "reason");
    }

    public static int restartCount(JsonNode pod, String container) {
        return containerStatus(pod, container).path("restartCount").asInt();
    }

    public static String condition(JsonNode pod, String type) {
        for (JsonNode c : Json.list(pod, "status", "conditions")) {
            if (type.equals(Json.text(c, "type"))) {
                return Json.text(c, "status");
            }
        }
        return null;
    }

    public static boolean running(JsonNode pod) {
        return "Running".equals(phase(pod)) && "True".equals(condition(pod, "Ready"));
    }

    public static List<String> list(String... items) {
        return List.of(items);
    }
}
