package io.kronika.controllers.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Revisions;
import io.kronika.controllers.framework.Templates;
import io.kronika.schemas.ObjectKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * DaemonSet: one pod on every eligible node — the template's nodeSelector matches the node's labels and every
 * NoSchedule/NoExecute taint of the node is tolerated (by the template or by the tolerations every daemon pod gets).
 * Pods are bound to their node at creation; pods on nodes that left or stopped being eligible, extra pods and failed
 * pods are deleted. A RollingUpdate replaces pods of older revisions while at most maxUnavailable nodes lack an
 * available pod.
 */
public final class DaemonSetController implements Controller {
    private static final String DS_PREFIX = ObjectKeys.kindPrefix("apps", "DaemonSet");
    private static final String NODE_PREFIX = ObjectKeys.kindPrefix("", "Node");
    /** The tolerations the daemon set controller adds to every daemon pod, as Kubernetes does. */
    static final String[][] AUTOMATIC_TOLERATIONS = {
            {"node.kubernetes.io/not-ready", "NoExecute"}, {"node.kubernetes.io/unreachable", "NoExecute"},
            {"node.kubernetes.io/disk-pressure", "NoSchedule"}, {"node.kubernetes.io/memory-pressure", "NoSchedule"},
            {"node.kubernetes.io/pid-pressure", "NoSchedule"}, {"node.kubernetes.io/unschedulable", "NoSchedule"}};

    private volatile ClusterCache cache;

    @Override
    public String name() {
        return "daemonset";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        String key = change.key();
        if (key.startsWith(DS_PREFIX)) {
            enqueue.accept(key);
        } else if (key.startsWith(NODE_PREFIX)) {
            ClusterCache c = cache;
            if (c != null) {
                c.listKind("apps", "DaemonSet").forEach(ds -> enqueue.accept(ds.key()));
            }
        } else if (key.startsWith(ObjectKeys.kindPrefix("", "Pod"))
                || key.startsWith(ObjectKeys.kindPrefix("apps", "ControllerRevision"))) {
            Owners.enqueueController(change, "apps", "DaemonSet", enqueue);
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        this.cache = cache;
        return cache.listKind("apps", "DaemonSet").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        this.cache = context.cache();
        CachedObject ds = context.cache().get(key).orElse(null);
        if (ds == null) {
            context.expectations().forget(key);
            return Reconciled.nothing();
        }
        List<CachedObject> pods = context.cache().listKind("", "Pod", ds.namespace()).stream()
                .filter(p -> Owners.isControlledBy(p.object(), ds.uid())).toList();
        List<CachedObject> revisions = context.cache().listKind("apps", "ControllerRevision", ds.namespace()).stream()
                .filter(r -> Owners.isControlledBy(r.object(), ds.uid())).toList();
        return sync(ds, pods, context.cache().listKind("", "Node"), revisions, context.expectations().satisfied(key),
                context.clock().instant(), ReplicaSetController::randomSuffix);
    }

    /** Whether a daemon pod of {@code template} belongs on {@code node}. */
    public static boolean eligible(JsonNode template, JsonNode node) {
        if (Json.isTerminating(node)) {
            return false;
        }
        Map<String, String> labels = Json.labels(node);
        for (Map.Entry<String, String> e : Json.stringMap(Json.at(template, "spec", "nodeSelector")).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        JsonNode taints = Json.at(node, "spec", "taints");
        if (taints != null && taints.isArray()) {
            for (JsonNode taint : taints) {
                String effect = Json.text(taint, "effect");
                if (("NoSchedule".equals(effect) || "NoExecute".equals(effect)) && !tolerated(template, taint)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean tolerated(JsonNode template, JsonNode taint) {
        String key = Json.text(taint, "key");
        String value = Json.text(taint, "value") == null ? "" : Json.text(taint, "value");
        String effect = Json.text(taint, "effect");
        for (String[] auto : AUTOMATIC_TOLERATIONS) {
            if (auto[0].equals(key) && auto[1].equals(effect)) {
                return true;
            }
        }
        JsonNode tolerations = Json.at(template, "spec", "tolerations");
        if (tolerations != null && tolerations.isArray()) {
            for (JsonNode t : tolerations) {
                String tk = Json.text(t, "key");
                String te = Json.text(t, "effect");
                boolean exists = "Exists".equals(Json.text(t, "operator"));
                boolean keyOk = tk == null || tk.isEmpty() ? exists : tk.equals(key);
                boolean valueOk = exists || value.equals(Json.text(t, "value") == null ? "" : Json.text(t, "value"));
                boolean effectOk = te == null || te.isEmpty() || te.equals(effect);
                if (keyOk && valueOk && effectOk) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The pure reconcile: the daemon set, the pods and revisions it controls, every node, whether its earlier creates
     * and deletes have been seen, the time and a source of name suffixes.
     */
    public static Reconciled sync(CachedObject ds, List<CachedObject> pods, List<CachedObject> nodes, List<CachedObject> revisions,
                                  boolean expectationsSatisfied, Instant now, Supplier<String> suffixes) {
        JsonNode d = ds.object();
        if (Json.isTerminating(d)) {
            return Reconciled.nothing();
        }
        List<Action> actions = new ArrayList<>();
        JsonNode template = Json.at(d, "spec", "template");
        String hash = Revisions.hash(template, Json.longAt(d, 0, "status", "collisionCount"));
        if (Revisions.find(revisions, Revisions.name(ds, hash)) == null) {
            actions.add(Revisions.create(ds, "apps/v1", "DaemonSet", template, hash, revisions));
        }
        long minReady = Json.longAt(d, 0, "spec", "minReadySeconds");
        Map<String, List<CachedObject>> byNode = new LinkedHashMap<>();
        for (CachedObject p : pods) {
            if (!Json.isTerminating(p.object())) {
                byNode.computeIfAbsent(Pods.nodeName(p.object()), n -> new ArrayList<>()).add(p);
            }
        }
        Map<String, CachedObject> eligibleNodes = new LinkedHashMap<>();
        for (CachedObject n : nodes) {
            if (eligible(template, n.object())) {
                eligibleNodes.put(n.name(), n);
            }
        }
        java.util.Set<String> nodeNames = new java.util.HashSet<>();
        nodes.forEach(n -> nodeNames.add(n.name()));
        int scheduled = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        int unavailable = 0;
        List<CachedObject> oldOnEligible = new ArrayList<>();
        for (Map.Entry<String, List<CachedObject>> e : byNode.entrySet()) {
            boolean ok = eligibleNodes.containsKey(e.getKey());
            List<CachedObject> onNode = new ArrayList<>(e.getValue());
            onNode.sort(Comparator.comparing((CachedObject p) -> String.valueOf(Json.text(p.object(), "metadata", "creationTimestamp")))
                    .thenComparingLong(CachedObject::revision));
            for (int i = 0; i < onNode.size(); i++) {
                CachedObject p = onNode.get(i);
                boolean failed = "Failed".equals(Pods.phase(p.object()));
                if (!ok || i > 0 || failed) {
                    if (expectationsSatisfied) {
                        // a pod bound to a node that no longer exists has no kubelet to confirm its end: removed at once
                        Long grace = nodeNames.contains(e.getKey()) ? null : 0L;
                        actions.add(new Action.Delete(p.ref(), p.uid(), grace, ds.key()));
                    }
                    if (!ok) {
                        misscheduled++;
                    }
                }
            }
            if (ok) {
                CachedObject p = onNode.get(0);
                scheduled++;
                if (Pods.isReady(p.object())) {
                    ready++;
                }
                boolean isAvailable = Pods.isAvailable(p.object(), minReady, now);
                if (isAvailable) {
                    available++;
                } else {
                    unavailable++;
                }
                if (hash.equals(Json.labels(p.object()).get(Revisions.HASH_LABEL))) {
                    updated++;
                } else if (!"Failed".equals(Pods.phase(p.object()))) {
                    oldOnEligible.add(p);
                }
            }
        }
        for (String node : eligibleNodes.keySet()) {
            if (!byNode.containsKey(node)) {
                unavailable++;
                if (expectationsSatisfied) {
                    actions.add(create(ds, template, hash, node, suffixes.get()));
                }
            }
        }
        boolean onDelete = "OnDelete".equals(Json.text(d, "spec", "updateStrategy", "type"));
        if (!onDelete && expectationsSatisfied && !oldOnEligible.isEmpty()) {
            int maxUnavailable = Math.max(1, Json.intOrPercent(
                    Json.at(d, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable"), eligibleNodes.size(), false, "1"));
            int budget = maxUnavailable - unavailable;
            for (CachedObject p : oldOnEligible) {
                boolean isAvailable = Pods.isAvailable(p.object(), minReady, now);
                if (!isAvailable) {
                    actions.add(new Action.Delete(p.ref(), p.uid(), null, ds.key())); // already unavailable: costs nothing
                } else if (budget > 0) {
                    actions.add(new Action.Delete(p.ref(), p.uid(), null, ds.key()));
                    budget--;
                }
            }
        }
        ObjectNode status = Json.object();
        status.put("currentNumberScheduled", scheduled);
        status.put("numberMisscheduled", misscheduled);
        status.put("desiredNumberScheduled", eligibleNodes.size());
        status.put("numberReady", ready);
        status.put("observedGeneration", Json.longAt(d, 1, "metadata", "generation"));
        status.put("updatedNumberScheduled", updated);
        status.put("numberAvailable", available);
        status.put("numberUnavailable", unavailable);
        Action statusUpdate = Templates.statusUpdate(ds, status);
        if (statusUpdate != null) {
            actions.add(statusUpdate);
        }
        Reconciled r = Reconciled.of(actions);
        return minReady > 0 && available < scheduled ? r.after(java.time.Duration.ofSeconds(1)) : r;
    }

    private static Action create(CachedObject ds, JsonNode template, String hash, String node, String suffix) {
        String prefix = Templates.generateName(ds.name());
        ObjectNode pod = Templates.pod(ds, "apps/v1", "DaemonSet", template, prefix + suffix, prefix);
        Json.metadata(pod).with("labels").put(Revisions.HASH_LABEL, hash);
        ObjectNode spec = pod.with("spec");
        spec.put("nodeName", node);
        ArrayNode tolerations = spec.withArray("tolerations");
        for (String[] auto : AUTOMATIC_TOLERATIONS) {
            ObjectNode t = tolerations.addObject();
            t.put("key", auto[0]);
            t.put("operator", "Exists");
            t.put("effect", auto[1]);
        }
        return new Action.Create(ObjectKeys.ref("", "Pod", ds.namespace(), Json.name(pod)), pod, ds.key());
    }
}
