package io.kronika.eventstore.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectRef;

/**
 * What holds an object back from deletion: {@code metadata.finalizers}, and for a Namespace also
 * {@code spec.finalizers} (the namespace controller removes "kubernetes" once the namespace is empty).
 */
final class Finalizers {
    private Finalizers() {
    }

    static boolean pending(ObjectRef ref, ObjectNode object) {
        return ObjectJson.hasFinalizers(object) || isNamespace(ref) && nonEmpty(object.path("spec").get("finalizers"));
    }

    /** A namespace being deleted shows phase Terminating, as in Kubernetes. */
    static void markTerminating(ObjectRef ref, ObjectNode object) {
        if (isNamespace(ref)) {
            object.with("status").put("phase", "Terminating");
        }
    }

    private static boolean isNamespace(ObjectRef ref) {
        return "Namespace".equals(ref.getKind()) && ref.getGroup().isEmpty();
    }

    private static boolean nonEmpty(JsonNode list) {
        return list != null && list.isArray() && !list.isEmpty();
    }
}
