package io.kronika.controllers.apps;

import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scaling a Deployment whose replicas changed, as Kubernetes' deployment controller does: one active ReplicaSet (or
 * none: the newest) takes the new count; a saturated new ReplicaSet leaves the old ones at zero; in the middle of a
 * rolling update the replicas added or removed are spread over the active ReplicaSets in proportion to their size,
 * each ReplicaSet's share measured against the {@code max-replicas} the deployment had when it last sized it.
 */
final class DeploymentScaling {
    private DeploymentScaling() {
    }

    /** Whether {@code replicas} differs from the desired-replicas annotation of some active ReplicaSet. */
    static boolean isScalingEvent(int replicas, List<CachedObject> replicaSets) {
        for (CachedObject rs : replicaSets) {
            String desired = Json.annotations(rs.object()).get(DeploymentController.DESIRED_REPLICAS);
            if (size(rs) > 0 && desired != null && !desired.equals(String.valueOf(replicas))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The size each ReplicaSet that is sized now gets (by uid, in Kubernetes' order), the others staying as they are.
     *
     * @param newRs          the ReplicaSet of the current template, or null
     * @param old            the other ReplicaSets
     * @param replicas       the deployment's spec.replicas
     * @param maxSurge       its resolved maxSurge (0 for Recreate)
     * @param rolling        whether the strategy is RollingUpdate (only then is anything proportional)
     * @param statusReplicas the deployment's status.replicas, the base of ReplicaSets without a max-replicas annotation
     * @param newAvailable   available replicas of the new ReplicaSet
     */
    static Map<String, Integer> targets(CachedObject newRs, List<CachedObject> old, int replicas, int maxSurge, boolean rolling,
                                        int statusReplicas, int newAvailable) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        List<CachedObject> all = new ArrayList<>(old);
        if (newRs != null) {
            all.add(newRs);
        }
        List<CachedObject> active = all.stream().filter(rs -> size(rs) > 0).toList();
        if (active.size() <= 1) {
            CachedObject only = !active.isEmpty() ? active.get(0) : newRs != null ? newRs
                    : old.stream().max(newestFirst().reversed()).orElse(null);
            if (only != null) {
                sizes.put(only.uid(), replicas);
            }
            return sizes;
        }
        if (newRs != null && saturated(newRs, replicas, newAvailable)) {
            active.stream().filter(rs -> rs != newRs).forEach(rs -> sizes.put(rs.uid(), 0));
            return sizes;
        }
        if (!rolling) {
            return sizes;
        }
        int allowed = replicas > 0 ? replicas + maxSurge : 0;
        int toAdd = allowed - active.stream().mapToInt(DeploymentScaling::size).sum();
        // larger first; among equals the newer grow first and the older shrink first
        Comparator<CachedObject> bySize = Comparator.comparingInt(DeploymentScaling::size).reversed();
        List<CachedObject> ordered = active.stream().sorted(bySize.thenComparing(toAdd > 0 ? newestFirst() : newestFirst().reversed())).toList();
        int added = 0;
        for (CachedObject rs : ordered) {
            int share = toAdd == 0 ? 0 : proportion(rs, replicas, maxSurge, statusReplicas, toAdd, added);
            sizes.put(rs.uid(), size(rs) + share);
            added += share;
        }
        if (toAdd != 0) {
            // what rounding left over goes to (or comes from) the largest
            String largest = ordered.get(0).uid();
            sizes.put(largest, Math.max(0, sizes.get(largest) + toAdd - added));
        }
        return sizes;
    }

    /** GetProportion: this ReplicaSet's share of {@code toAdd}, never past what is still to add (or remove). */
    private static int proportion(CachedObject rs, int replicas, int maxSurge, int statusReplicas, int toAdd, int added) {
        if (size(rs) == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, replicas, maxSurge, statusReplicas);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** getReplicaSetFraction: size × (new max replicas / max replicas it was sized for) − size, rounded half away from 0. */
    private static int fraction(CachedObject rs, int replicas, int maxSurge, int statusReplicas) {
        int size = size(rs);
        if (replicas == 0) {
            return -size;
        }
        long before;
        try {
            before = Long.parseLong(Json.annotations(rs.object()).getOrDefault(DeploymentController.MAX_REPLICAS, "0"));
        } catch (NumberFormatException e) {
            before = 0;
        }
        if (before == 0) {
            before = statusReplicas;
            if (before == 0) {
                return 0;
            }
        }
        double scaled = (double) size * (replicas + maxSurge) / before;
        return (int) Math.round(scaled) - size;
    }

    private static boolean saturated(CachedObject rs, int replicas, int available) {
        return String.valueOf(replicas).equals(Json.annotations(rs.object()).get(DeploymentController.DESIRED_REPLICAS))
                && size(rs) == replicas && available >= replicas;
    }

    private static Comparator<CachedObject> newestFirst() {
        return Comparator.comparing((CachedObject rs) -> String.valueOf(Json.text(rs.object(), "metadata", "creationTimestamp")))
                .thenComparing(CachedObject::name).reversed();
    }

    private static int size(CachedObject rs) {
        return (int) Json.longAt(rs.object(), 1, "spec", "replicas");
    }
}
