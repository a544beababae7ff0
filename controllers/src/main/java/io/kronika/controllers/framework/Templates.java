package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** Pods made from a workload's pod template, and the template hash workloads name revisions by. */
public final class Templates {
    private static final JsonMapper CANONICAL = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private Templates() {
    }

    /**
     * A pod named {@code name} from {@code template} (labels, annotations, spec), controlled by {@code owner};
     * {@code generateName} (nullable) is recorded as the pod's generateName.
     */
    public static ObjectNode pod(CachedObject owner, String ownerApiVersion, String ownerKind, JsonNode template, String name,
                                 String generateName) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name);
        if (generateName != null) {
            meta.put("generateName", generateName);
        }
        meta.put("namespace", owner.namespace());
        JsonNode templateMeta = template == null ? null : template.get("metadata");
        if (templateMeta != null) {
            if (templateMeta.has("labels")) {
                meta.set("labels", templateMeta.get("labels").deepCopy());
            }
            if (templateMeta.has("annotations")) {
                meta.set("annotations", templateMeta.get("annotations").deepCopy());
            }
        }
        meta.putArray("ownerReferences").add(Owners.controllerRef(ownerApiVersion, ownerKind, owner.name(), owner.uid()));
        JsonNode spec = template == null ? null : template.get("spec");
        pod.set("spec", spec == null ? Json.object() : spec.deepCopy());
        return pod;
    }

    /** A name prefix of at most 58 characters ending in '-', for a suffix of 5. */
    public static String generateName(String ownerName) {
        String prefix = ownerName + "-";
        return prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
    }

    /**
     * {@code node} as Kubernetes' semantic equality sees it: without null fields and without empty objects and arrays,
     * which a Go client writes for zero values ({@code "creationTimestamp": null}, {@code "resources": {}}) and which
     * decode to the same typed object as their absence. Compare and hash templates in this form, or a template that
     * went through such a client (kubectl rollout undo) no longer matches the one it came from.
     */
    public static JsonNode semantic(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = Json.object();
            node.fields().forEachRemaining(e -> {
                JsonNode value = semantic(e.getValue());
                if (value != null) {
                    out.set(e.getKey(), value);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (node.isArray()) {
            var out = Json.array();
            for (JsonNode item : node) {
                JsonNode value = semantic(item);
                out.add(value == null ? Json.object() : value);
            }
            return out.isEmpty() ? null : out;
        }
        return node;
    }

    /** FNV-32a of the canonical JSON (and the collision count), in Kubernetes' safe alphabet. */
    public static String hash(JsonNode node, long collisionCount) {
        String canonical;
        try {
            Object tree = CANONICAL.treeToValue(node == null ? Json.object() : node, Object.class);
            canonical = CANONICAL.writeValueAsString(tree);
        } catch (Exception e) {
            canonical = String.valueOf(node);
        }
        int hash = 0x811c9dc5;
        for (byte b : (canonical + (collisionCount > 0 ? "#" + collisionCount : "")).getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        String digits = Long.toString(Integer.toUnsignedLong(hash));
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder();
        for (char c : digits.toCharArray()) {
            sb.append(alphabet.charAt((c - '0') % alphabet.length()));
        }
        return sb.toString();
    }

    /** An UpdateStatus setting {@code status} on {@code object}, or null when the status is already that. */
    public static Action statusUpdate(CachedObject object, ObjectNode status) {
        if (status.equals(object.object().get("status"))) {
            return null;
        }
        ObjectNode updated = object.copy();
        updated.set("status", status);
        return new Action.UpdateStatus(object.ref(), updated, object.revision());
    }

    /** Sets condition {@code type} in {@code status.conditions}, keeping its transition time while its status is unchanged. */
    public static void setCondition(ObjectNode status, JsonNode oldObject, String type, String value, String reason, String message,
                                    String now) {
        ObjectNode old = oldObject == null ? null : Json.condition(oldObject, type);
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", value);
        c.put("reason", reason);
        c.put("message", message);
        String since = old != null && value.equals(Json.text(old, "status")) && Json.text(old, "lastTransitionTime") != null
                ? Json.text(old, "lastTransitionTime") : now;
        c.put("lastProbeTime", old != null && value.equals(Json.text(old, "status")) && Json.text(old, "lastProbeTime") != null
                ? Json.text(old, "lastProbeTime") : now);
        c.put("lastTransitionTime", since);
        var conditions = status.withArray("conditions");
        for (int i = 0; i < conditions.size(); i++) {
            if (type.equals(Json.text(conditions.get(i), "type"))) {
                conditions.set(i, c);
                return;
            }
        }
        conditions.add(c);
    }
}
