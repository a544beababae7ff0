package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Node lifecycle: a node whose Lease in kube-node-lease has not been renewed for {@code gracePeriod} (as measured by
 * this controller's clock from when it last saw the lease change, as Kubernetes' probe timestamps) gets its
 * conditions set to Unknown, its pods marked not ready, and the {@code node.kubernetes.io/unreachable} taints
 * (NoSchedule, NoExecute); its pods are evicted (deleted) once their toleration of the NoExecute taint runs out
 * ({@code defaultTolerationSeconds} when they have none, as the DefaultTolerationSeconds admission plugin gives).
 * When the lease is renewed again the taints are removed; the kubelet posts Ready itself.
 */
public final class NodeLifecycleController implements Controller {
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    /** Durations; Kubernetes' defaults are 5 s, 40 s and 300 s. */
    public record Settings(Duration monitorPeriod, Duration gracePeriod, long defaultTolerationSeconds) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(40), 300);
        }
    }

    /** When this controller last saw the lease (or the node's Ready heartbeat) change, by its clock. */
    record Probe(String renewTime, Instant observedAt) {
    }

    private static final String NODE_PREFIX = ObjectKeys.kindPrefix("", "Node");
    public static final String LEASE_GROUP = "coordination.k8s.io";
    private static final String LEASE_PREFIX = ObjectKeys.namespacePrefix(LEASE_GROUP, "Lease", "kube-node-lease");
    private final Settings settings;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();

    public NodeLifecycleController(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "nodelifecycle";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(NODE_PREFIX)) {
            if (change.deleted()) {
                probes.remove(change.previous().name());
            } else {
                enqueue.accept(change.key());
            }
        } else if (change.key().startsWith(LEASE_PREFIX)) {
            enqueue.accept(ObjectKeys.of("", "Node", "", change.latest().name()));
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return cache.listKind("", "Node").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        CachedObject node = context.cache().get(key).orElse(null);
        if (node == null) {
            return Reconciled.nothing();
        }
        Instant now = context.clock().instant();
        // a probe is a renewal of the node's lease or a new heartbeat time in its Ready condition
        String renew = context.cache().get(LEASE_GROUP, "Lease", "kube-node-lease", node.name())
                .map(l -> Json.text(l.object(), "spec", "renewTime")).orElse("") + "|"
                + Json.text(Json.condition(node.object(), "Ready"), "lastHeartbeatTime");
        Probe probe = probes.compute(node.name(), (n, p) -> p == null || !java.util.Objects.equals(p.renewTime(), renew)
                ? new Probe(renew, now) : p);
        List<CachedObject> pods = context.cache().listKind("", "Pod").stream()
                .filter(p -> node.name().equals(Pods.nodeName(p.object()))).toList();
        return sync(node, probe.observedAt(), pods, now, settings);
    }

    /** The pure reconcile: the node, when its lease last changed, its pods, the time. */
    public static Reconciled sync(CachedObject node, Instant lastSeen, List<CachedObject> pods, Instant now, Settings settings) {
        List<Action> actions = new ArrayList<>();
        boolean unreachable = Duration.between(lastSeen, now).compareTo(settings.gracePeriod()) > 0;
        JsonNode n = node.object();
        String nowText = Json.timestamp(now);
        if (!unreachable) {
            if (hasTaint(n, UNREACHABLE, "NoSchedule") || hasTaint(n, UNREACHABLE, "NoExecute")) {
                actions.add(new Action.Update(node.ref(), withoutTaints(n, UNREACHABLE), node.revision()));
                actions.add(new Action.RecordEvent(node.ref(), node.uid(), "v1", "Normal", "NodeReachable",
                        "Node " + node.name() + " renews its lease again"));
            }
            Duration untilStale = settings.gracePeriod().minus(Duration.between(lastSeen, now)).plusMillis(50);
            Duration next = untilStale.compareTo(settings.monitorPeriod()) < 0 ? untilStale : settings.monitorPeriod();
            return Reconciled.of(actions).after(next);
        }
        // 1. conditions Unknown
        if (!"Unknown".equals(Json.text(Json.condition(n, "Ready"), "status"))) {
            ObjectNode updated = node.copy();
            JsonNode conditions = Json.at(updated, "status", "conditions");
            if (conditions != null && conditions.isArray()) {
                for (JsonNode c : conditions) {
                    ObjectNode cond = (ObjectNode) c;
                    if (!"Unknown".equals(Json.text(cond, "status"))) {
                        cond.put("status", "Unknown");
                        cond.put("reason", "NodeStatusUnknown");
                        cond.put("message", "Kubelet stopped posting node status.");
                        cond.put("lastTransitionTime", nowText);
                    }
                }
            } else {
                ObjectNode ready = updated.with("status").putArray("conditions").addObject();
                ready.put("type", "Ready");
                ready.put("status", "Unknown");
                ready.put("reason", "NodeStatusUnknown");
                ready.put("message", "Kubelet never posted node status.");
                ready.put("lastTransitionTime", nowText);
            }
            actions.add(new Action.UpdateStatus(node.ref(), updated, node.revision()));
            actions.add(new Action.RecordEvent(node.ref(), node.uid(), "v1", "Normal", "NodeNotReady",
                    "Node " + node.name() + " status is now: NodeNotReady"));
            return Reconciled.of(actions).after(Duration.ZERO);
        }
        // 2. taints
        if (!hasTaint(n, UNREACHABLE, "NoSchedule") || !hasTaint(n, UNREACHABLE, "NoExecute")) {
            ObjectNode updated = withoutTaints(n, UNREACHABLE);
            ArrayNode taints = updated.with("spec").withArray("taints");
            for (String effect : new String[]{"NoSchedule", "NoExecute"}) {
                ObjectNode t = taints.addObject();
                t.put("key", UNREACHABLE);
                t.put("effect", effect);
                t.put("timeAdded", nowText);
            }
            actions.add(new Action.Update(node.ref(), updated, node.revision()));
            return Reconciled.of(actions).after(Duration.ZERO);
        }
        // 3. pods not ready, then evicted when their toleration runs out
        Instant taintedAt = taintTime(n, UNREACHABLE, "NoExecute", now);
        Duration next = settings.monitorPeriod();
        for (CachedObject pod : pods) {
            JsonNode p = pod.object();
            if (Json.isTerminating(p) || !Pods.isActive(p)) {
                continue;
            }
            if (Json.conditionTrue(p, "Ready")) {
                ObjectNode updated = pod.copy();
                ObjectNode ready = Json.condition(updated, "Ready");
                ready.put("status", "False");
                ready.put("reason", "NodeNotReady");
                ready.put("lastTransitionTime", nowText);
                actions.add(new Action.UpdateStatus(pod.ref(), updated, pod.revision()));
            }
            Long seconds = tolerationSeconds(p, UNREACHABLE, settings.defaultTolerationSeconds());
            if (seconds == null) {
                continue; // tolerates the taint for ever
            }
            Instant evictAt = taintedAt.plusSeconds(Math.max(0, seconds));
            if (!now.isBefore(evictAt)) {
                actions.add(new Action.Delete(pod.ref(), pod.uid(), null, null));
                actions.add(new Action.RecordEvent(pod.ref(), pod.uid(), "v1", "Normal", "TaintManagerEviction",
                        "Marking for deletion Pod " + pod.namespace() + "/" + pod.name()));
            } else {
                Duration left = Duration.between(now, evictAt).plusMillis(50);
                next = left.compareTo(next) < 0 ? left : next;
            }
        }
        return Reconciled.of(actions).after(next);
    }

    static boolean hasTaint(JsonNode node, String key, String effect) {
        JsonNode taints = Json.at(node, "spec", "taints");
        if (taints != null && taints.isArray()) {
            for (JsonNode t : taints) {
                if (key.equals(Json.text(t, "key")) && effect.equals(Json.text(t, "effect"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Instant taintTime(JsonNode node, String key, String effect, Instant fallback) {
        for (JsonNode t : node.path("spec").path("taints")) {
            if (key.equals(Json.text(t, "key")) && effect.equals(Json.text(t, "effect"))) {
                Instant at = Json.instant(Json.text(t, "timeAdded"));
                return at == null ? fallback : at;
            }
        }
        return fallback;
    }

    private static ObjectNode withoutTaints(JsonNode node, String key) {
        ObjectNode copy = node.deepCopy();
        ArrayNode kept = Json.array();
        for (JsonNode t : node.path("spec").path("taints")) {
            if (!key.equals(Json.text(t, "key"))) {
                kept.add(t);
            }
        }
        if (kept.isEmpty()) {
            copy.with("spec").remove("taints");
        } else {
            copy.with("spec").set("taints", kept);
        }
        return copy;
    }

    /** Seconds the pod tolerates a NoExecute taint {@code key}; null for ever; the default when no toleration matches. */
    static Long tolerationSeconds(JsonNode pod, String key, long defaultSeconds) {
        for (JsonNode t : pod.path("spec").path("tolerations")) {
            String tk = Json.text(t, "key");
            String op = Json.text(t, "operator");
            String effect = Json.text(t, "effect");
            boolean keyMatches = tk == null || tk.isEmpty() ? "Exists".equals(op) : tk.equals(key);
            boolean effectMatches = effect == null || effect.isEmpty() || "NoExecute".equals(effect);
            if (keyMatches && effectMatches) {
                JsonNode s = t.get("tolerationSeconds");
                return s == null || s.isNull() ? null : s.asLong();
            }
        }
        return defaultSeconds;
    }
}
