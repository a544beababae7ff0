package io.kronika.gateway.fieldmanager;

import io.kronika.gateway.api.JsonValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.util.Collection;
import java.util.List;

/**
 * The bridge from client-side to server-side apply that kube-apiserver builds for kubectl (manager "kubectl"): a
 * server-side apply may take over fields the client-side apply manager owns when they still hold the values of the
 * last-applied-configuration annotation, and while that annotation exists it follows each server-side apply.
 */
final class LastApplied {
    static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
    private static final String KUBECTL = "kubectl";

    private LastApplied() {
    }

    /** True when every conflicting field is one the last-applied configuration set and still holds. */
    static boolean allowsConflicts(Schema schema, JsonNode live, String manager, Collection<FieldSet> conflicts) {
        if (!KUBECTL.equals(manager) || live == null) {
            return false;
        }
        JsonNode annotation = live.path("metadata").path("annotations").get(ANNOTATION);
        if (annotation == null || !annotation.isTextual()) {
            return false;
        }
        JsonNode lastApplied;
        try {
            lastApplied = Json.MAPPER.readTree(annotation.asText());
        } catch (Exception e) {
            return false;
        }
        if (!(lastApplied instanceof ObjectNode)) {
            return false;
        }
        FieldSet allowed = new FieldSet();
        for (List<String> path : Paths.of(schema, lastApplied).paths()) {
            if (JsonValues.same(Paths.at(lastApplied, path), Paths.at(live, path)) || isItem(path) && Paths.at(live, path) != null) {
                allowed.add(path);
            }
        }
        for (FieldSet conflict : conflicts) {
            if (!conflict.difference(allowed).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** After a server-side apply by kubectl, an existing annotation becomes the configuration just applied. */
    static void update(ObjectNode merged, ObjectNode config, String manager) {
        if (!KUBECTL.equals(manager) || !(merged.path("metadata").path("annotations") instanceof ObjectNode annotations)
                || !annotations.has(ANNOTATION)) {
            return;
        }
        ObjectNode applied = config.deepCopy();
        if (applied.path("metadata").path("annotations") instanceof ObjectNode own) {
            own.remove(ANNOTATION);
        }
        annotations.put(ANNOTATION, Json.write(applied));
    }

    private static boolean isItem(List<String> path) {
        String last = path.get(path.size() - 1);
        return last.startsWith("k:") || last.startsWith("v:");
    }
}
