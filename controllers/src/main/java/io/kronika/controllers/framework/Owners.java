package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Owner references: the controller reference, adoption and release. */
public final class Owners {
    private Owners() {
    }

    public record OwnerRef(String apiVersion, String kind, String name, String uid, boolean controller, boolean blockOwnerDeletion) {
        /** The API group of the owner ("" for core). */
        public String group() {
            int slash = apiVersion.indexOf('/');
            return slash < 0 ? "" : apiVersion.substring(0, slash);
        }
    }

    public static List<OwnerRef> refs(JsonNode object) {
        List<OwnerRef> out = new ArrayList<>();
        JsonNode refs = Json.at(object, "metadata", "ownerReferences");
        if (refs != null && refs.isArray()) {
            for (JsonNode r : refs) {
                out.add(new OwnerRef(String.valueOf(Json.text(r, "apiVersion")), Json.text(r, "kind"), Json.text(r, "name"),
                        Json.text(r, "uid"), r.path("controller").asBoolean(false), r.path("blockOwnerDeletion").asBoolean(false)));
            }
        }
        return out;
    }

    /** The reference with controller=true, or null. */
    public static OwnerRef controllerOf(JsonNode object) {
        for (OwnerRef r : refs(object)) {
            if (r.controller()) {
                return r;
            }
        }
        return null;
    }

    /**
     * For a change of a dependent (a pod, a revision): enqueues the key of its controller, before and after the change,
     * when that controller is of {@code group}/{@code kind} — the usual way a workload hears of its dependents.
     */
    public static void enqueueController(ClusterCache.Change change, String group, String kind, java.util.function.Consumer<String> enqueue) {
        for (CachedObject o : new CachedObject[]{change.previous(), change.current()}) {
            if (o == null) {
                continue;
            }
            OwnerRef r = controllerOf(o.object());
            if (r != null && kind.equals(r.kind()) && group.equals(r.group())) {
                enqueue.accept(io.kronika.schemas.ObjectKeys.of(group, kind, o.namespace(), r.name()));
            }
        }
    }

    public static boolean isControlledBy(JsonNode object, String ownerUid) {
        OwnerRef r = controllerOf(object);
        return r != null && ownerUid.equals(r.uid());
    }

    public static ObjectNode controllerRef(String apiVersion, String kind, String name, String uid) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", apiVersion);
        ref.put("kind", kind);
        ref.put("name", name);
        ref.put("uid", uid);
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }

    /** A copy of {@code object} with {@code ref} added as its controller reference. */
    public static ObjectNode adopt(JsonNode object, ObjectNode ref) {
        ObjectNode copy = object.deepCopy();
        ArrayNode refs = Json.metadata(copy).withArray("ownerReferences");
        refs.add(ref);
        return copy;
    }

    /** A copy of {@code object} without the references to {@code ownerUid}. */
    public static ObjectNode release(JsonNode object, String ownerUid) {
        ObjectNode copy = object.deepCopy();
        ObjectNode meta = Json.metadata(copy);
        JsonNode refs = meta.get("ownerReferences");
        if (refs != null && refs.isArray()) {
            ArrayNode kept = Json.array();
            refs.forEach(r -> {
                if (!ownerUid.equals(Json.text(r, "uid"))) {
                    kept.add(r);
                }
            });
            if (kept.isEmpty()) {
                meta.remove("ownerReferences");
            } else {
                meta.set("ownerReferences", kept);
            }
        }
        return copy;
    }

    public static List<String> finalizers(JsonNode object) {
        return Labels.strings(Json.at(object, "metadata", "finalizers"));
    }

    /** A copy of {@code object} without finalizer {@code name}. */
    public static ObjectNode withoutFinalizer(JsonNode object, String name) {
        ObjectNode copy = object.deepCopy();
        ObjectNode meta = Json.metadata(copy);
        ArrayNode kept = Json.array();
        finalizers(object).stream().filter(f -> !f.equals(name)).forEach(kept::add);
        if (kept.isEmpty()) {
            meta.remove("finalizers");
        } else {
            meta.set("finalizers", kept);
        }
        return copy;
    }
}
