package io.kronika.controllers.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Labels;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Templates;
import io.kronika.schemas.ObjectKeys;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * ReplicaSet and ReplicationController: keep {@code spec.replicas} active pods matching the selector, adopting
 * matching orphans, releasing owned pods that stopped matching, deleting surplus in Kubernetes' order; report status.
 */
public final class ReplicaSetController implements Controller {
    /** At most this many creates or deletes per sync, as Kubernetes' burstReplicas. */
    public static final int BURST = 500;
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String group;
    private final String kind;
    private final String apiVersion;
    private final String name;

    private ReplicaSetController(String group, String kind, String apiVersion, String name) {
        this.group = group;
        this.kind = kind;
        this.apiVersion = apiVersion;
        this.name = name;
    }

    public static ReplicaSetController replicaSets() {
        return new ReplicaSetController("apps", "ReplicaSet", "apps/v1", "replicaset");
    }

    public static ReplicaSetController replicationControllers() {
        return new ReplicaSetController("", "ReplicationController", "v1", "replicationcontroller");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int workers() {
        return 2;
    }

    private boolean isMine(String key) {
        return key.startsWith(ObjectKeys.kindPrefix(group, kind));
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (isMine(change.key())) {
            enqueue.accept(change.key());
            return;
        }
        if (!change.key().startsWith(ObjectKeys.kindPrefix("", "Pod"))) {
            return;
        }
        for (CachedObject pod : new CachedObject[]{change.previous(), change.current()}) {
            if (pod == null) {
                continue;
            }
            Owners.OwnerRef owner = Owners.controllerOf(pod.object());
            if (owner != null) {
                if (kind.equals(owner.kind()) && group.equals(owner.group())) {
                    enqueue.accept(ObjectKeys.of(group, kind, pod.namespace(), owner.name()));
                }
            } else if (change.current() != null && Pods.isActive(change.current().object())) {
                // an orphan: every selector that matches it may adopt it
                Map<String, String> labels = Json.labels(pod.object());
                // (a cache read from the feed thread: cheap, per namespace)
                enqueueAdopters(new Orphan(pod.namespace(), labels, enqueue));
            }
        }
    }

    private record Orphan(String namespace, Map<String, String> labels, Consumer<String> enqueue) {
    }

    private volatile ClusterCache cacheForOrphans;

    private void enqueueAdopters(Orphan orphan) {
        ClusterCache cache = cacheForOrphans;
        if (cache == null) {
            return;
        }
        for (CachedObject owner : cache.listKind(group, kind, orphan.namespace())) {
            if (selects(owner.object(), orphan.labels())) {
                orphan.enqueue().accept(owner.key());
            }
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        cacheForOrphans = cache;
        return cache.listKind(group, kind).stream().map(CachedObject::key).toList();
    }

    boolean selects(JsonNode owner, Map<String, String> labels) {
        JsonNode selector = Json.at(owner, "spec", "selector");
        if ("ReplicationController".equals(kind)) {
            Map<String, String> map = Json.stringMap(selector);
            if (map.isEmpty()) {
                map = Json.stringMap(Json.at(owner, "spec", "template", "metadata", "labels"));
            }
            return Labels.matchesMap(map, labels);
        }
        return Labels.matches(selector, labels);
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        cacheForOrphans = context.cache();
        CachedObject owner = context.cache().get(key).orElse(null);
        if (owner == null) {
            context.expectations().forget(key);
            return Reconciled.nothing();
        }
        List<CachedObject> pods = context.cache().listKind("", "Pod", owner.namespace());
        return sync(owner, pods, context.expectations().satisfied(key), context.clock().instant(), ReplicaSetController::randomSuffix);
    }

    public static String randomSuffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * The pure reconcile: the owner, the pods of its namespace, whether earlier creates and deletes have all been
     * seen, the time and a source of name suffixes in; the actions and when to look again out.
     */
    public Reconciled sync(CachedObject owner, List<CachedObject> podsInNamespace, boolean expectationsSatisfied, Instant now,
                           Supplier<String> suffixes) {
        JsonNode rs = owner.object();
        List<Action> actions = new ArrayList<>();
        boolean ownerTerminating = Json.isTerminating(rs);
        List<CachedObject> owned = new ArrayList<>();
        for (CachedObject pod : podsInNamespace) {
            JsonNode p = pod.object();
            boolean matches = selects(rs, Json.labels(p));
            Owners.OwnerRef controller = Owners.controllerOf(p);
            if (controller != null) {
                if (!owner.uid().equals(controller.uid())) {
                    continue;
                }
                if (!matches && !Json.isTerminating(p) && !ownerTerminating) {
                    actions.add(new Action.Update(pod.ref(), Owners.release(p, owner.uid()), pod.revision()));
                    continue;
                }
                owned.add(pod);
            } else if (matches && !ownerTerminating && Pods.isActive(p)) {
                ObjectNode adopted = Owners.adopt(p, Owners.controllerRef(apiVersion, kind, owner.name(), owner.uid()));
                actions.add(new Action.Update(pod.ref(), adopted, pod.revision()));
                owned.add(new CachedObject(pod.key(), pod.ref(), pod.revision(), pod.uid(), adopted));
            }
        }
        List<CachedObject> active = owned.stream().filter(p -> Pods.isActive(p.object())).toList();
        int replicas = (int) Json.longAt(rs, 1, "spec", "replicas");
        if (!ownerTerminating && expectationsSatisfied) {
            int diff = active.size() - replicas;
            if (diff < 0) {
                int n = Math.min(-diff, BURST);
                for (int i = 0; i < n; i++) {
                    ObjectNode pod = podFromTemplate(owner, suffixes.get());
                    actions.add(new Action.Create(ObjectKeys.ref("", "Pod", owner.namespace(), Json.name(pod)), pod, owner.key()));
                }
                if (n > 0) {
                    actions.add(event(owner, "Normal", "SuccessfulCreate", "Created " + n + " pod(s)"));
                }
            } else if (diff > 0) {
                List<CachedObject> ranked = new ArrayList<>(active);
                ranked.sort(deletionOrder(now));
                List<CachedObject> doomed = ranked.subList(0, Math.min(diff, BURST));
                for (CachedObject pod : doomed) {
                    actions.add(new Action.Delete(pod.ref(), pod.uid(), null, owner.key()));
                }
                actions.add(event(owner, "Normal", "SuccessfulDelete", "Deleted " + doomed.size() + " pod(s): "
                        + String.join(", ", doomed.stream().map(CachedObject::name).toList())));
            }
        }
        // status
        long minReady = Json.longAt(rs, 0, "spec", "minReadySeconds");
        Map<String, String> templateLabels = Json.stringMap(Json.at(rs, "spec", "template", "metadata", "labels"));
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        Duration recheck = null;
        for (CachedObject pod : active) {
            JsonNode p = pod.object();
            Map<String, String> labels = Json.labels(p);
            if (templateLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                fullyLabeled++;
            }
            if (Pods.isReady(p)) {
                ready++;
            }
            if (Pods.isAvailable(p, minReady, now)) {
                available++;
            } else {
                Duration left = Pods.untilAvailable(p, minReady, now);
                if (left != null && (recheck == null || left.compareTo(recheck) < 0)) {
                    recheck = left;
                }
            }
        }
        ObjectNode status = Json.object();
        status.put("replicas", active.size());
        status.put("fullyLabeledReplicas", fullyLabeled);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", available);
        status.put("observedGeneration", Json.longAt(rs, 1, "metadata", "generation"));
        JsonNode oldConditions = Json.at(rs, "status", "conditions");
        if (oldConditions != null && oldConditions.isArray() && !oldConditions.isEmpty()) {
            status.set("conditions", oldConditions.deepCopy());
        }
        if (!status.equals(rs.get("status"))) {
            ObjectNode updated = owner.copy();
            updated.set("status", status);
            actions.add(new Action.UpdateStatus(owner.ref(), updated, owner.revision()));
        }
        Reconciled result = Reconciled.of(actions);
        return recheck == null ? result : result.after(recheck);
    }

    private Action event(CachedObject owner, String type, String reason, String message) {
        return new Action.RecordEvent(owner.ref(), owner.uid(), apiVersion, type, reason, message);
    }

    private ObjectNode podFromTemplate(CachedObject owner, String suffix) {
        String prefix = Templates.generateName(owner.name());
        return Templates.pod(owner, apiVersion, kind, Json.at(owner.object(), "spec", "template"), prefix + suffix, prefix);
    }

    /** Kubernetes' ActivePods order: the pods to delete first come first. */
    public static Comparator<CachedObject> deletionOrder(Instant now) {
        return (a, b) -> {
            JsonNode x = a.object();
            JsonNode y = b.object();
            boolean xa = !Pods.nodeName(x).isEmpty();
            boolean ya = !Pods.nodeName(y).isEmpty();
            if (xa != ya) {
                return xa ? 1 : -1; // unassigned first
            }
            int px = phaseRank(Pods.phase(x));
            int py = phaseRank(Pods.phase(y));
            if (px != py) {
                return Integer.compare(px, py); // Pending < Unknown < Running
            }
            boolean rx = Pods.isReady(x);
            boolean ry = Pods.isReady(y);
            if (rx != ry) {
                return rx ? 1 : -1; // not ready first
            }
            if (rx) {
                Instant tx = Json.instant(Json.text(Json.condition(x, "Ready"), "lastTransitionTime"));
                Instant ty = Json.instant(Json.text(Json.condition(y, "Ready"), "lastTransitionTime"));
                if (tx != null && ty != null && !tx.equals(ty)) {
                    return ty.compareTo(tx); // ready for less time first
                }
            }
            int cx = Pods.restarts(x);
            int cy = Pods.restarts(y);
            if (cx != cy) {
                return Integer.compare(cy, cx); // more restarts first
            }
            Instant ctx = Json.instant(Json.text(x, "metadata", "creationTimestamp"));
            Instant cty = Json.instant(Json.text(y, "metadata", "creationTimestamp"));
            if (ctx != null && cty != null && !ctx.equals(cty)) {
                return cty.compareTo(ctx); // newer first
            }
            return Long.compare(b.revision(), a.revision());
        };
    }

    private static int phaseRank(String phase) {
        return switch (phase) {
            case "Pending" -> 0;
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 3;
        };
    }
}
