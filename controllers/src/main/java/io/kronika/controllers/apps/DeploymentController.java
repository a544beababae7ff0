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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deployments: one ReplicaSet per pod template (named by its pod-template-hash), RollingUpdate (maxSurge,
 * maxUnavailable, minReadySeconds) and Recreate, revisions in {@code deployment.kubernetes.io/revision}, rollback via
 * the {@code deprecated.deployment.rollback.to} annotation, pause/resume, revisionHistoryLimit, the Available and
 * Progressing conditions with progressDeadlineSeconds.
 *
 * <p>Counting is conservative so the rollout bounds hold at every revision of the log, not only in ReplicaSet
 * specs: a ReplicaSet counts as {@code max(spec.replicas, active pods)} towards the surge and
 * {@code min(spec.replicas, available pods)} towards availability.
 */
public final class DeploymentController implements Controller {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    public static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
    public static final String HASH_LABEL = "pod-template-hash";
    private static final String RS_PREFIX = ObjectKeys.kindPrefix("apps", "ReplicaSet");
    private static final String POD_PREFIX = ObjectKeys.kindPrefix("", "Pod");
    private static final String DEPLOY_PREFIX = ObjectKeys.kindPrefix("apps", "Deployment");

    @Override
    public String name() {
        return "deployment";
    }

    @Override
    public int workers() {
        return 2;
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        String key = change.key();
        if (key.startsWith(DEPLOY_PREFIX)) {
            enqueue.accept(key);
        } else if (key.startsWith(RS_PREFIX)) {
            Owners.OwnerRef owner = Owners.controllerOf(change.latest().object());
            if (owner != null && "Deployment".equals(owner.kind())) {
                enqueue.accept(ObjectKeys.of("apps", "Deployment", change.latest().namespace(), owner.name()));
            }
        } else if (key.startsWith(POD_PREFIX)) {
            // pods count towards availability and surge: their ReplicaSet's Deployment looks again
            Owners.OwnerRef rs = Owners.controllerOf(change.latest().object());
            if (rs != null && "ReplicaSet".equals(rs.kind())) {
                String hash = Json.labels(change.latest().object()).get(HASH_LABEL);
                if (hash != null && rs.name().endsWith("-" + hash)) {
                    enqueue.accept(ObjectKeys.of("apps", "Deployment", change.latest().namespace(),
                            rs.name().substring(0, rs.name().length() - hash.length() - 1)));
                }
            }
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return cache.listKind("apps", "Deployment").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        CachedObject d = context.cache().get(key).orElse(null);
        if (d == null) {
            return Reconciled.nothing();
        }
        List<CachedObject> rss = context.cache().listKind("apps", "ReplicaSet", d.namespace()).stream()
                .filter(rs -> Owners.isControlledBy(rs.object(), d.uid())).toList();
        Map<String, List<CachedObject>> podsByRs = new HashMap<>();
        for (CachedObject pod : context.cache().listKind("", "Pod", d.namespace())) {
            Owners.OwnerRef owner = Owners.controllerOf(pod.object());
            if (owner != null && "ReplicaSet".equals(owner.kind())) {
                podsByRs.computeIfAbsent(owner.uid(), u -> new ArrayList<>()).add(pod);
            }
        }
        return sync(d, rss, podsByRs, context.clock().instant());
    }

    // ---- the pure reconcile ----

    /** The deployment, its ReplicaSets and their pods (by ReplicaSet uid), the time: actions out. */
    public static Reconciled sync(CachedObject d, List<CachedObject> replicaSets, Map<String, List<CachedObject>> podsByRs, Instant now) {
        JsonNode dep = d.object();
        if (Json.isTerminating(dep)) {
            return Reconciled.nothing();
        }
        List<Action> actions = new ArrayList<>();
        // rollback requested through the annotation
        String rollbackTo = Json.annotations(dep).get(ROLLBACK_TO);
        if (rollbackTo != null) {
            return Reconciled.of(rollback(d, replicaSets, rollbackTo));
        }
        int replicas = (int) Json.longAt(dep, 1, "spec", "replicas");
        long minReady = Json.longAt(dep, 0, "spec", "minReadySeconds");
        boolean paused = dep.path("spec").path("paused").asBoolean(false);
        String strategy = Json.text(dep, "spec", "strategy", "type");
        boolean recreate = "Recreate".equals(strategy);
        JsonNode template = Json.at(dep, "spec", "template");
        long collisionCount = Json.longAt(dep, 0, "status", "collisionCount");
        String hash = templateHash(template, collisionCount);

        CachedObject newRs = null;
        List<CachedObject> old = new ArrayList<>();
        for (CachedObject rs : replicaSets) {
            if (newRs == null && equalIgnoringHash(Json.at(rs.object(), "spec", "template"), template)) {
                newRs = rs;
            } else {
                old.add(rs);
            }
        }
        old.sort(Comparator.comparing((CachedObject rs) -> String.valueOf(Json.text(rs.object(), "metadata", "creationTimestamp")))
                .thenComparingLong(CachedObject::revision));
        long maxOldRevision = old.stream().mapToLong(DeploymentController::revisionOf).max().orElse(0);

        // Counts from pods (conservative, see class doc)
        Map<String, Integer> specOf = new HashMap<>();
        Map<String, Integer> activeOf = new HashMap<>();
        Map<String, Integer> availableOf = new HashMap<>();
        Duration recheck = null;
        for (CachedObject rs : replicaSets) {
            int active = 0;
            int available = 0;
            for (CachedObject pod : podsByRs.getOrDefault(rs.uid(), List.of())) {
                if (!Pods.isActive(pod.object())) {
                    continue;
                }
                active++;
                if (Pods.isAvailable(pod.object(), minReady, now)) {
                    available++;
                } else {
                    Duration left = Pods.untilAvailable(pod.object(), minReady, now);
                    if (left != null && (recheck == null || left.compareTo(recheck) < 0)) {
                        recheck = left;
                    }
                }
            }
            specOf.put(rs.uid(), (int) Json.longAt(rs.object(), 1, "spec", "replicas"));
            activeOf.put(rs.uid(), active);
            availableOf.put(rs.uid(), available);
        }

        boolean progressed = false;
        String newRsName = d.name() + "-" + hash;
        long newRevision;
        if (newRs == null) {
            newRevision = maxOldRevision + 1;
            if (paused) {
                return withStatus(d, null, replicaSets, podsByRs, now, minReady, false, actions, recheck);
            }
            int initial;
            if (recreate) {
                boolean oldPodsLeft = old.stream().anyMatch(rs -> !podsByRs.getOrDefault(rs.uid(), List.of()).isEmpty());
                boolean oldScaledDown = old.stream().allMatch(rs -> specOf.get(rs.uid()) == 0);
                if (!oldScaledDown) {
                    scaleDownAll(old, specOf, actions, replicas);
                    return withStatus(d, null, replicaSets, podsByRs, now, minReady, true, actions, recheck);
                }
                if (oldPodsLeft) {
                    return withStatus(d, null, replicaSets, podsByRs, now, minReady, false, actions, recheck);
                }
                initial = replicas;
            } else {
                int maxSurge = resolve(dep.path("spec").path("strategy").path("rollingUpdate").get("maxSurge"), replicas, true, "25%");
                int current = 0;
                for (CachedObject rs : old) {
                    current += Math.max(specOf.get(rs.uid()), activeOf.get(rs.uid()));
                }
                initial = old.isEmpty() ? replicas : Math.max(0, Math.min(replicas + maxSurge - current, replicas));
            }
            int maxReplicas = recreate ? replicas
                    : replicas + resolve(dep.path("spec").path("strategy").path("rollingUpdate").get("maxSurge"), replicas, true, "25%");
            ObjectNode rs = newReplicaSet(d, newRsName, hash, initial, newRevision, replicas, maxReplicas);
            actions.add(new Action.Create(ObjectKeys.ref("apps", "ReplicaSet", d.namespace(), newRsName), rs, null));
            actions.add(new Action.RecordEvent(d.ref(), d.uid(), "apps/v1", "Normal", "ScalingReplicaSet",
                    "Scaled up replica set " + newRsName + " from 0 to " + initial));
            actions.addAll(revisionAnnotation(d, newRevision));
            return withStatus(d, null, replicaSets, podsByRs, now, minReady, true, actions, recheck);
        }
        newRevision = revisionOf(newRs);
        if (newRevision <= maxOldRevision) {
            // an old template came back (rollback, undo): it becomes the newest revision
            newRevision = maxOldRevision + 1;
            ObjectNode updated = newRs.copy();
            ObjectNode annotations = Json.metadata(updated).with("annotations");
            String previous = Json.annotations(newRs.object()).get(REVISION);
            annotations.put(REVISION, String.valueOf(newRevision));
            if (previous != null) {
                String history = Json.annotations(newRs.object()).get(REVISION_HISTORY);
                annotations.put(REVISION_HISTORY, history == null || history.isEmpty() ? previous : history + "," + previous);
            }
            actions.add(new Action.Update(newRs.ref(), updated, newRs.revision()));
            actions.addAll(revisionAnnotation(d, newRevision));
            return withStatus(d, newRs, replicaSets, podsByRs, now, minReady, true, actions, recheck);
        }
        actions.addAll(revisionAnnotation(d, newRevision));
        int surge = recreate ? 0 : resolve(dep.path("spec").path("strategy").path("rollingUpdate").get("maxSurge"), replicas, true, "25%");
        if (paused || DeploymentScaling.isScalingEvent(replicas, replicaSets)) {
            // replicas changed (or paused): no rollout step, the ReplicaSets are resized, proportionally mid-rollout
            Map<String, Integer> sizes = DeploymentScaling.targets(newRs, old, replicas, surge, !recreate,
                    (int) Json.longAt(dep, 0, "status", "replicas"), Math.min(specOf.get(newRs.uid()), availableOf.get(newRs.uid())));
            for (CachedObject rs : replicaSets) {
                Integer size = sizes.get(rs.uid());
                Map<String, String> annotations = Json.annotations(rs.object());
                if (size != null && (size != specOf.get(rs.uid()) || !String.valueOf(replicas).equals(annotations.get(DESIRED_REPLICAS))
                        || !String.valueOf(replicas + surge).equals(annotations.get(MAX_REPLICAS)))) {
                    actions.add(scale(rs, size, replicas, replicas + surge));
                    if (size != specOf.get(rs.uid())) {
                        actions.add(scaleEvent(d, rs, specOf.get(rs.uid()), size));
                        progressed = true;
                    }
                }
            }
            if (paused || !sizes.isEmpty()) {
                return withStatus(d, newRs, replicaSets, podsByRs, now, minReady, progressed && !paused, actions, recheck);
            }
        }
        int newSpec = specOf.get(newRs.uid());
        if (recreate) {
            if (old.stream().anyMatch(rs -> specOf.get(rs.uid()) > 0)) {
                scaleDownAll(old, specOf, actions, replicas);
                progressed = true;
            } else if (old.stream().noneMatch(rs -> !podsByRs.getOrDefault(rs.uid(), List.of()).isEmpty()) && newSpec != replicas) {
                actions.add(scale(newRs, replicas, replicas, replicas));
                actions.add(scaleEvent(d, newRs, newSpec, replicas));
                progressed = true;
            }
        } else {
            int maxSurge = resolve(dep.path("spec").path("strategy").path("rollingUpdate").get("maxSurge"), replicas, true, "25%");
            int maxUnavailable = resolve(dep.path("spec").path("strategy").path("rollingUpdate").get("maxUnavailable"), replicas, false, "25%");
            if (maxSurge == 0 && maxUnavailable == 0) {
                maxUnavailable = 1;
            }
            // 1. scale the new ReplicaSet up (within the surge) or down (to the replicas)
            if (newSpec > replicas) {
                actions.add(scale(newRs, replicas, replicas, replicas + maxSurge));
                actions.add(scaleEvent(d, newRs, newSpec, replicas));
                progressed = true;
            } else if (newSpec < replicas) {
                int current = 0;
                for (CachedObject rs : replicaSets) {
                    current += Math.max(specOf.get(rs.uid()), activeOf.get(rs.uid()));
                }
                int up = Math.min(replicas + maxSurge - current, replicas - newSpec);
                if (up > 0) {
                    actions.add(scale(newRs, newSpec + up, replicas, replicas + maxSurge));
                    actions.add(scaleEvent(d, newRs, newSpec, newSpec + up));
                    progressed = true;
                }
            }
            // 2. scale old ReplicaSets down, keeping replicas - maxUnavailable available
            if (!progressed) {
                int oldSpecs = old.stream().mapToInt(rs -> specOf.get(rs.uid())).sum();
                if (oldSpecs > 0) {
                    int minAvailable = replicas - maxUnavailable;
                    int newUnavailable = Math.max(0, newSpec - Math.min(newSpec, availableOf.get(newRs.uid())));
                    int all = 0;
                    int available = 0;
                    for (CachedObject rs : replicaSets) {
                        all += Math.max(specOf.get(rs.uid()), activeOf.get(rs.uid()));
                        available += Math.min(specOf.get(rs.uid()), availableOf.get(rs.uid()));
                    }
                    int maxScaledDown = all - minAvailable - newUnavailable;
                    if (maxScaledDown > 0) {
                        Map<String, Integer> target = new HashMap<>(specOf);
                        // unhealthy old replicas go first: they cost no availability
                        int cleanup = maxScaledDown;
                        for (CachedObject rs : old) {
                            if (cleanup <= 0) {
                                break;
                            }
                            int spec = target.get(rs.uid());
                            int unhealthy = spec - Math.min(spec, availableOf.get(rs.uid()));
                            int down = Math.min(cleanup, unhealthy);
                            if (down > 0) {
                                target.put(rs.uid(), spec - down);
                                cleanup -= down;
                            }
                        }
                        int totalDown = Math.min(available - minAvailable, maxScaledDown - (maxScaledDown - cleanup));
                        for (CachedObject rs : old) {
                            if (totalDown <= 0) {
                                break;
                            }
                            int spec = target.get(rs.uid());
                            int down = Math.min(spec, totalDown);
                            if (down > 0) {
                                target.put(rs.uid(), spec - down);
                                totalDown -= down;
                            }
                        }
                        for (CachedObject rs : old) {
                            int from = specOf.get(rs.uid());
                            int to = target.get(rs.uid());
                            if (to != from) {
                                actions.add(scale(rs, to, replicas, replicas + maxSurge));
                                actions.add(scaleEvent(d, rs, from, to));
                                progressed = true;
                            }
                        }
                    }
                }
            }
        }
        // history limit: fully scaled-down old ReplicaSets beyond revisionHistoryLimit are deleted, oldest revision first
        long limit = Json.longAt(dep, 10, "spec", "revisionHistoryLimit");
        List<CachedObject> idle = old.stream().filter(rs -> specOf.get(rs.uid()) == 0 && activeOf.get(rs.uid()) == 0
                && Json.longAt(rs.object(), 0, "status", "replicas") == 0 && !Json.isTerminating(rs.object()))
                .sorted(Comparator.comparingLong(DeploymentController::revisionOf)).toList();
        for (int i = 0; i < idle.size() - limit; i++) {
            actions.add(new Action.Delete(idle.get(i).ref(), idle.get(i).uid(), null, null));
        }
        return withStatus(d, newRs, replicaSets, podsByRs, now, minReady, progressed, actions, recheck);
    }

    private static void scaleDownAll(List<CachedObject> old, Map<String, Integer> specOf, List<Action> actions, int replicas) {
        for (CachedObject rs : old) {
            if (specOf.get(rs.uid()) > 0) {
                actions.add(scale(rs, 0, replicas, replicas));
            }
        }
    }

    private static Action scale(CachedObject rs, int to, int desired, int max) {
        ObjectNode updated = rs.copy();
        updated.with("spec").put("replicas", to);
        ObjectNode annotations = Json.metadata(updated).with("annotations");
        annotations.put(DESIRED_REPLICAS, String.valueOf(desired));
        annotations.put(MAX_REPLICAS, String.valueOf(max));
        return new Action.Update(rs.ref(), updated, rs.revision());
    }

    private static Action scaleEvent(CachedObject d, CachedObject rs, int from, int to) {
        return new Action.RecordEvent(d.ref(), d.uid(), "apps/v1", "Normal", "ScalingReplicaSet",
                "Scaled " + (to > from ? "up" : "down") + " replica set " + rs.name() + " from " + from + " to " + to);
    }

    private static List<Action> revisionAnnotation(CachedObject d, long revision) {
        if (String.valueOf(revision).equals(Json.annotations(d.object()).get(REVISION))) {
            return List.of();
        }
        ObjectNode updated = d.copy();
        Json.metadata(updated).with("annotations").put(REVISION, String.valueOf(revision));
        return List.of(new Action.Update(d.ref(), updated, d.revision()));
    }

    private static List<Action> rollback(CachedObject d, List<CachedObject> replicaSets, String to) {
        long wanted;
        try {
            wanted = Long.parseLong(to);
        } catch (NumberFormatException e) {
            wanted = 0;
        }
        long current = revisionOf(d.object());
        CachedObject target = null;
        if (wanted == 0) {
            // the previous revision: the highest below the current one
            for (CachedObject rs : replicaSets) {
                long r = revisionOf(rs);
                if (r < current && (target == null || r > revisionOf(target))) {
                    target = rs;
                }
            }
        } else {
            for (CachedObject rs : replicaSets) {
                if (revisionOf(rs) == wanted) {
                    target = rs;
                }
            }
        }
        ObjectNode updated = d.copy();
        Json.metadata(updated).with("annotations").remove(ROLLBACK_TO);
        List<Action> actions = new ArrayList<>();
        if (target == null) {
            actions.add(new Action.RecordEvent(d.ref(), d.uid(), "apps/v1", "Warning", "RollbackRevisionNotFound",
                    "Unable to find the revision to rollback to."));
        } else {
            ObjectNode template = Json.at(target.object(), "spec", "template").deepCopy();
            ObjectNode labels = (ObjectNode) template.with("metadata").get("labels");
            if (labels != null) {
                labels.remove(HASH_LABEL);
            }
            updated.with("spec").set("template", template);
            actions.add(new Action.RecordEvent(d.ref(), d.uid(), "apps/v1", "Normal", "DeploymentRollback",
                    "Rolled back deployment \"" + d.name() + "\" to revision " + revisionOf(target)));
        }
        actions.add(0, new Action.Update(d.ref(), updated, d.revision()));
        return actions;
    }

    private static ObjectNode newReplicaSet(CachedObject d, String name, String hash, int replicas, long revision, int desired,
                                            int maxReplicas) {
        JsonNode dep = d.object();
        ObjectNode rs = Json.object();
        rs.put("apiVersion", "apps/v1");
        rs.put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", d.namespace());
        ObjectNode labels = meta.putObject("labels");
        Json.stringMap(Json.at(dep, "spec", "template", "metadata", "labels")).forEach(labels::put);
        labels.put(HASH_LABEL, hash);
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put(REVISION, String.valueOf(revision));
        annotations.put(DESIRED_REPLICAS, String.valueOf(desired));
        annotations.put(MAX_REPLICAS, String.valueOf(maxReplicas));
        meta.putArray("ownerReferences").add(Owners.controllerRef("apps/v1", "Deployment", d.name(), d.uid()));
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", replicas);
        spec.put("minReadySeconds", Json.longAt(dep, 0, "spec", "minReadySeconds"));
        ObjectNode selector = Json.at(dep, "spec", "selector") == null ? Json.object() : Json.at(dep, "spec", "selector").deepCopy();
        selector.with("matchLabels").put(HASH_LABEL, hash);
        spec.set("selector", selector);
        ObjectNode template = Json.at(dep, "spec", "template").deepCopy();
        template.with("metadata").with("labels").put(HASH_LABEL, hash);
        spec.set("template", template);
        return rs;
    }

    // ---- status ----

    private static Reconciled withStatus(CachedObject d, CachedObject newRs, List<CachedObject> replicaSets,
                                         Map<String, List<CachedObject>> podsByRs, Instant now, long minReady,
                                         boolean progressed, List<Action> actions, Duration recheck) {
        JsonNode dep = d.object();
        int replicas = (int) Json.longAt(dep, 1, "spec", "replicas");
        boolean paused = dep.path("spec").path("paused").asBoolean(false);
        int maxUnavailable = "Recreate".equals(Json.text(dep, "spec", "strategy", "type")) ? 0
                : resolve(dep.path("spec").path("strategy").path("rollingUpdate").get("maxUnavailable"), replicas, false, "25%");
        int total = 0;
        int updated = 0;
        int ready = 0;
        int available = 0;
        for (CachedObject rs : replicaSets) {
            for (CachedObject pod : podsByRs.getOrDefault(rs.uid(), List.of())) {
                if (!Pods.isActive(pod.object())) {
                    continue;
                }
                total++;
                if (newRs != null && rs.uid().equals(newRs.uid())) {
                    updated++;
                }
                if (Pods.isReady(pod.object())) {
                    ready++;
                }
                if (Pods.isAvailable(pod.object(), minReady, now)) {
                    available++;
                }
            }
        }
        JsonNode oldStatus = dep.get("status");
        ObjectNode status = Json.object();
        status.put("observedGeneration", Json.longAt(dep, 1, "metadata", "generation"));
        status.put("replicas", total);
        status.put("updatedReplicas", updated);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", available);
        status.put("unavailableReplicas", Math.max(0, replicas - available));
        long collisions = Json.longAt(dep, -1, "status", "collisionCount");
        if (collisions >= 0) {
            status.put("collisionCount", collisions);
        }
        String nowText = Json.timestamp(now);
        List<ObjectNode> conditions = new ArrayList<>();
        boolean isAvailable = available >= replicas - maxUnavailable;
        conditions.add(condition(Json.condition(dep, "Available"), "Available", isAvailable ? "True" : "False",
                isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", nowText, false));
        ObjectNode oldProgressing = Json.condition(dep, "Progressing");
        boolean complete = newRs != null && updated == replicas && total == replicas && available == replicas
                && Json.longAt(newRs.object(), -1, "spec", "replicas") == replicas;
        long deadlineSeconds = Json.longAt(dep, 600, "spec", "progressDeadlineSeconds");
        ObjectNode progressing;
        boolean countsChanged = oldStatus == null || oldStatus.path("updatedReplicas").asInt(-1) != updated
                || oldStatus.path("readyReplicas").asInt(-1) != ready || oldStatus.path("availableReplicas").asInt(-1) != available
                || oldStatus.path("replicas").asInt(-1) != total;
        if (paused) {
            progressing = condition(oldProgressing, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", nowText, false);
        } else if (oldProgressing != null && "DeploymentPaused".equals(Json.text(oldProgressing, "reason")) && !complete) {
            progressing = condition(oldProgressing, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", nowText, true);
        } else if (complete) {
            progressing = condition(oldProgressing, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + newRs.name() + "\" has successfully progressed.", nowText,
                    oldProgressing == null || !"NewReplicaSetAvailable".equals(Json.text(oldProgressing, "reason")));
        } else if (progressed || countsChanged || oldProgressing == null
                || "NewReplicaSetAvailable".equals(Json.text(oldProgressing, "reason"))) {
            String rsName = newRs != null ? newRs.name() : d.name();
            progressing = condition(oldProgressing, "Progressing", "True", newRs == null ? "NewReplicaSetCreated" : "ReplicaSetUpdated",
                    newRs == null ? "Created new replica set \"" + rsName + "\"" : "ReplicaSet \"" + rsName + "\" is progressing.", nowText, true);
        } else {
            progressing = oldProgressing.deepCopy();
            Instant last = Json.instant(Json.text(oldProgressing, "lastUpdateTime"));
            if (!"ProgressDeadlineExceeded".equals(Json.text(oldProgressing, "reason")) && last != null) {
                Instant deadline = last.plusSeconds(deadlineSeconds);
                if (!now.isBefore(deadline)) {
                    progressing = condition(oldProgressing, "Progressing", "False", "ProgressDeadlineExceeded",
                            "ReplicaSet \"" + (newRs != null ? newRs.name() : d.name()) + "\" has timed out progressing.", nowText, true);
                    actions.add(new Action.RecordEvent(d.ref(), d.uid(), "apps/v1", "Warning", "ProgressDeadlineExceeded",
                            "Deployment \"" + d.name() + "\" has timed out progressing."));
                } else {
                    Duration left = Duration.between(now, deadline).plusMillis(100);
                    recheck = recheck == null || left.compareTo(recheck) < 0 ? left : recheck;
                }
            }
        }
        if (!paused && !complete && "True".equals(Json.text(progressing, "status"))) {
            Duration left = Duration.ofSeconds(deadlineSeconds).plusMillis(100);
            recheck = recheck == null || left.compareTo(recheck) < 0 ? left : recheck;
        }
        conditions.add(progressing);
        ObjectNode conditionArray = Json.object();
        conditionArray.putArray("c").addAll(conditions);
        status.set("conditions", conditionArray.get("c"));
        if (!status.equals(oldStatus)) {
            ObjectNode next = d.copy();
            next.set("status", status);
            // the status is written after the other actions, at the revision they will leave the deployment at;
            // sent with the deployment's current revision it is refused when an update of the deployment precedes it
            boolean deploymentUpdated = actions.stream().anyMatch(a -> a instanceof Action.Update u && u.target().equals(d.ref()));
            if (!deploymentUpdated) {
                actions.add(new Action.UpdateStatus(d.ref(), next, d.revision()));
            }
        }
        Reconciled result = Reconciled.of(actions);
        return recheck == null ? result : result.after(recheck);
    }

    private static ObjectNode condition(ObjectNode old, String type, String status, String reason, String message, String now,
                                        boolean touch) {
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", status);
        boolean sameStatus = old != null && status.equals(Json.text(old, "status"));
        boolean same = sameStatus && reason.equals(Json.text(old, "reason")) && message.equals(Json.text(old, "message"));
        c.put("lastUpdateTime", same && !touch ? Json.text(old, "lastUpdateTime") : now);
        c.put("lastTransitionTime", sameStatus ? Json.text(old, "lastTransitionTime") : now);
        c.put("reason", reason);
        c.put("message", message);
        return c;
    }

    // ---- helpers ----

    static long revisionOf(CachedObject rs) {
        return revisionOf(rs.object());
    }

    static long revisionOf(JsonNode object) {
        String r = Json.annotations(object).get(REVISION);
        try {
            return r == null ? 0 : Long.parseLong(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An int-or-percent against {@code total}: surge rounds up, unavailability down, as Kubernetes does. */
    public static int resolve(JsonNode value, int total, boolean roundUp, String fallback) {
        return Json.intOrPercent(value, total, roundUp, fallback);
    }

    static boolean equalIgnoringHash(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return stripHash(a).equals(stripHash(b));
    }

    /** The template in its semantic form (see {@link Templates#semantic}) without the pod-template-hash label. */
    private static JsonNode stripHash(JsonNode template) {
        ObjectNode copy = template.deepCopy();
        JsonNode labels = copy.path("metadata").get("labels");
        if (labels instanceof ObjectNode l) {
            l.remove(HASH_LABEL);
        }
        JsonNode semantic = Templates.semantic(copy);
        return semantic == null ? Json.object() : semantic;
    }

    /** FNV-32a of the canonical template without its hash label (and the collision count), in Kubernetes' safe alphabet. */
    public static String templateHash(JsonNode template, long collisionCount) {
        return Templates.hash(stripHash(template == null ? Json.object() : template), collisionCount);
    }
}
