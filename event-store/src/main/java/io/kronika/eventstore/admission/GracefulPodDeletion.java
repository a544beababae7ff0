package io.kronika.eventstore.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectRef;

/** Kubernetes' graceful deletion of pods: only pods a kubelet runs wait for it to stop them. */
final class GracefulPodDeletion {
    static final long DEFAULT_GRACE_SECONDS = 30;

    private GracefulPodDeletion() {
    }

    static boolean applies(ObjectRef ref, ObjectNode pod) {
        if (!"Pod".equals(ref.getKind()) || !ref.getGroup().isEmpty()) {
            return false;
        }
        String node = ObjectJson.text(pod.path("spec"), "nodeName");
        return node != null && !node.isEmpty();
    }

    /** The requested grace period, else the pod's terminationGracePeriodSeconds, else 30; never negative. */
    static long gracePeriod(Long requested, ObjectNode pod) {
        if (requested != null) {
            return Math.max(0, requested);
        }
        return Math.max(0, pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS));
    }
}
