package io.kronika.eventstore.admission;

import io.kronika.schemas.k8s.Quantity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The limits per namespace, applied by the sequencer so that no two commands can both fit the last unit of a quota:
 * LimitRange defaults and bounds for new pods, then every ResourceQuota of the namespace for the new object (or, for a
 * pod update, for what its resources grow by). Usage is computed from the objects of the namespace, never from a
 * quota's status.
 */
final class NamespacePolicies {
    private NamespacePolicies() {
    }

    /** CREATE of a namespaced object; may fill defaults into {@code object}; throws 403 when refused. */
    static void admitCreate(ObjectRef ref, ObjectNode object, AdmissionDecider.CurrentState state, long timestamp) {
        if (ref.getNamespace().isEmpty()) {
            return;
        }
        if (isPod(ref)) {
            LimitRanges.admit(ref, object, objects(state, ObjectKeys.namespacePrefix("", "LimitRange", ref.getNamespace()), null));
        }
        Instant now = Instant.ofEpochMilli(timestamp);
        checkQuota(ref, object, ResourceQuotas.usage(ref.getGroup(), ref.getKind(), object, now), state, now, ObjectKeys.of(ref));
    }

    /** UPDATE of a pod's spec: quota is checked for what its resources grow by (in-place resize). */
    static void admitUpdate(ObjectRef ref, ObjectNode next, ObjectNode current, AdmissionDecider.CurrentState state, long timestamp) {
        if (!isPod(ref)) {
            return;
        }
        Instant now = Instant.ofEpochMilli(timestamp);
        Map<String, Quantity> before = ResourceQuotas.usage("", "Pod", current, now);
        Map<String, Quantity> after = ResourceQuotas.usage("", "Pod", next, now);
        Map<String, Quantity> growth = new TreeMap<>();
        after.forEach((r, q) -> {
            Quantity delta = q.subtract(before.getOrDefault(r, Quantity.ZERO));
            if (delta.isPositive()) {
                growth.put(r, delta);
            }
        });
        if (!growth.isEmpty()) {
            checkQuota(ref, next, growth, state, now, null); // used counts the pod as it is now
        }
    }

    private static void checkQuota(ObjectRef ref, JsonNode object, Map<String, Quantity> requested,
                                   AdmissionDecider.CurrentState state, Instant now, String exceptKey) {
        if (requested.isEmpty()) {
            return;
        }
        List<JsonNode> quotas = objects(state, ResourceQuotas.quotaPrefix(ref.getNamespace()), null);
        if (quotas.isEmpty()) {
            return;
        }
        List<JsonNode> others = objects(state, ObjectKeys.namespacePrefix(ref.getGroup(), ref.getKind(), ref.getNamespace()), exceptKey);
        ResourceQuotas.check(ref, object, requested, quotas, others, now);
    }

    private static List<JsonNode> objects(AdmissionDecider.CurrentState state, String prefix, String exceptKey) {
        List<JsonNode> out = new ArrayList<>();
        for (ObjectEvent e : state.scan(prefix)) {
            if (exceptKey == null || !exceptKey.equals(ObjectKeys.of(e.getRef()))) {
                out.add(ObjectJson.parse(e.getObject()));
            }
        }
        return out;
    }

    private static boolean isPod(ObjectRef ref) {
        return ref.getGroup().isEmpty() && "Pod".equals(ref.getKind());
    }
}
