package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectKeys;

import java.util.List;

/**
 * ControllerRevisions of StatefulSets and DaemonSets: a revision holds the pod template ({@code data.spec.template})
 * under the name {@code <owner>-<hash of the template>}, and a number one above the owner's highest.
 */
public final class Revisions {
    public static final String HASH_LABEL = "controller-revision-hash";

    private Revisions() {
    }

    /** The hash naming the revision of {@code template}. */
    public static String hash(JsonNode template, long collisionCount) {
        return Templates.hash(template, collisionCount);
    }

    public static String name(CachedObject owner, String hash) {
        return owner.name() + "-" + hash;
    }

    /** The revision named {@code name} among {@code revisions}, or null. */
    public static CachedObject find(List<CachedObject> revisions, String name) {
        return revisions.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    public static long highest(List<CachedObject> revisions) {
        return revisions.stream().mapToLong(r -> r.object().path("revision").asLong(0)).max().orElse(0);
    }

    /** The template a revision holds. */
    public static JsonNode template(CachedObject revision) {
        return Json.at(revision.object(), "data", "spec", "template");
    }

    /** A Create of the revision of {@code template} for {@code owner}, numbered one above the highest of {@code revisions}. */
    public static Action.Create create(CachedObject owner, String ownerApiVersion, String ownerKind, JsonNode template, String hash,
                                       List<CachedObject> revisions) {
        ObjectNode cr = Json.object();
        cr.put("apiVersion", "apps/v1");
        cr.put("kind", "ControllerRevision");
        ObjectNode meta = cr.putObject("metadata");
        String name = name(owner, hash);
        meta.put("name", name);
        meta.put("namespace", owner.namespace());
        ObjectNode labels = Json.object();
        JsonNode selectorLabels = Json.at(owner.object(), "spec", "selector", "matchLabels");
        if (selectorLabels != null && selectorLabels.isObject()) {
            labels.setAll((ObjectNode) selectorLabels.deepCopy());
        }
        labels.put(HASH_LABEL, hash);
        meta.set("labels", labels);
        meta.putArray("ownerReferences").add(Owners.controllerRef(ownerApiVersion, ownerKind, owner.name(), owner.uid()));
        cr.putObject("data").putObject("spec").set("template", template == null ? Json.object() : template.deepCopy());
        cr.put("revision", highest(revisions) + 1);
        return new Action.Create(ObjectKeys.ref("apps", "ControllerRevision", owner.namespace(), name), cr, null);
    }
}
