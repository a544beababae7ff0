package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Templates;
import io.kronika.schemas.ObjectKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * PodGC, as Kubernetes' pod garbage collector: a periodic sweep over every pod that force-deletes (grace 0)
 * <ul>
 *   <li>pods bound to a node that no longer exists (missing for the whole quarantine, so a pod bound just before its
 *   node appears is spared), first marked Failed with the condition DisruptionTarget (reason DeletionByPodGC) since no
 *   kubelet will ever report on them;</li>
 *   <li>terminating pods on a node that is not Ready and carries the {@code node.kubernetes.io/out-of-service}
 *   NoExecute taint, whose kubelet will never finish the deletion;</li>
 *   <li>terminating pods that were never scheduled;</li>
 *   <li>the oldest finished (Succeeded or Failed) pods beyond the terminated-pod threshold.</li>
 * </ul>
 * Pods that were not finished are marked Failed first, so their owners (Jobs) count them as failures.
 */
public final class PodGarbageCollector implements Controller {
    public static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";
    /** The one key this controller reconciles: the whole sweep. */
    public static final String SWEEP = "podgc";
    private static final String NODE_PREFIX = ObjectKeys.kindPrefix("", "Node");
    private static final String POD_PREFIX = ObjectKeys.kindPrefix("", "Pod");

    /** Kubernetes' defaults: a sweep every 20 s, a 40 s quarantine, 12500 finished pods kept. */
    public record Settings(Duration checkPeriod, Duration quarantine, int terminatedPodThreshold) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(20), Duration.ofSeconds(40), 12500);
        }
    }

    private final Settings settings;
    /** Node names pods are bound to that this controller found missing, and since when by its clock. */
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

    public PodGarbageCollector(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "podgc";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        // a node going or tainted out of service, and a pod starting to terminate, are worth a sweep before the period;
        // not every node heartbeat, or a thousand nodes would keep the sweep running
        boolean sweep;
        if (change.key().startsWith(NODE_PREFIX)) {
            sweep = change.deleted() || becameTrue(change, n -> NodeLifecycleController.hasTaint(n, OUT_OF_SERVICE, "NoExecute"));
        } else {
            sweep = change.key().startsWith(POD_PREFIX) && !change.deleted() && becameTrue(change, Json::isTerminating);
        }
        if (sweep) {
            enqueue.accept(SWEEP);
        }
    }

    private static boolean becameTrue(ClusterCache.Change change, java.util.function.Predicate<JsonNode> test) {
        return test.test(change.current().object()) && (change.previous() == null || !test.test(change.previous().object()));
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return List.of(SWEEP);
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        Instant now = context.clock().instant();
        Map<String, JsonNode> nodes = context.cache().listKind("", "Node").stream()
                .collect(Collectors.toMap(CachedObject::name, CachedObject::object, (a, b) -> b));
        List<CachedObject> pods = context.cache().listKind("", "Pod");
        Set<String> missing = pods.stream().map(p -> Pods.nodeName(p.object()))
                .filter(n -> !n.isEmpty() && !nodes.containsKey(n)).collect(Collectors.toSet());
        missingSince.keySet().retainAll(missing);
        missing.forEach(n -> missingSince.putIfAbsent(n, now));
        return sync(pods, nodes, Map.copyOf(missingSince), now, settings);
    }

    /**
     * The pure sweep: every pod, the nodes by name, since when each missing node a pod is bound to has been missing,
     * the time.
     */
    public static Reconciled sync(List<CachedObject> pods, Map<String, JsonNode> nodes, Map<String, Instant> missingSince, Instant now,
                                  Settings settings) {
        List<Action> actions = new ArrayList<>();
        Set<String> collected = new HashSet<>();
        Duration next = settings.checkPeriod();
        String nowText = Json.timestamp(now);
        List<CachedObject> finished = new ArrayList<>();
        for (CachedObject pod : pods) {
            JsonNode p = pod.object();
            String nodeName = Pods.nodeName(p);
            String phase = Pods.phase(p);
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                finished.add(pod);
            }
            if (!nodeName.isEmpty() && !nodes.containsKey(nodeName)) {
                Instant since = missingSince.getOrDefault(nodeName, now);
                Instant due = since.plus(settings.quarantine());
                if (now.isBefore(due)) {
                    Duration left = Duration.between(now, due).plusMillis(50);
                    next = left.compareTo(next) < 0 ? left : next;
                } else {
                    forceDelete(pod, "PodGC: node no longer exists", nowText, actions);
                    collected.add(pod.uid());
                }
            } else if (Json.isTerminating(p) && (nodeName.isEmpty() || outOfService(nodes.get(nodeName)))) {
                forceDelete(pod, null, nowText, actions);
                collected.add(pod.uid());
            }
        }
        int excess = finished.size() - settings.terminatedPodThreshold();
        if (excess > 0) {
            finished.sort(Comparator.comparing((CachedObject p) -> String.valueOf(Json.text(p.object(), "metadata", "creationTimestamp")))
                    .thenComparing(CachedObject::key));
            for (CachedObject pod : finished) {
                if (excess <= 0) {
                    break;
                }
                if (collected.add(pod.uid())) {
                    actions.add(new Action.Delete(pod.ref(), pod.uid(), 0L, null));
                }
                excess--;
            }
        }
        return Reconciled.of(actions).after(next);
    }

    /** Not Ready and tainted out-of-service with NoExecute: its pods will not be stopped by a kubelet. */
    static boolean outOfService(JsonNode node) {
        return node != null && !Json.conditionTrue(node, "Ready") && NodeLifecycleController.hasTaint(node, OUT_OF_SERVICE, "NoExecute");
    }

    /** Marks an unfinished pod Failed (with DisruptionTarget when {@code disruption} names why), then deletes it with grace 0. */
    private static void forceDelete(CachedObject pod, String disruption, String now, List<Action> actions) {
        String phase = Pods.phase(pod.object());
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            ObjectNode status = pod.object().has("status") && pod.object().get("status").isObject()
                    ? ((ObjectNode) pod.object().get("status")).deepCopy() : Json.object();
            status.put("phase", "Failed");
            if (disruption != null) {
                Templates.setCondition(status, pod.object(), "DisruptionTarget", "True", "DeletionByPodGC", disruption, now);
            }
            Action update = Templates.statusUpdate(pod, status);
            if (update != null) {
                actions.add(update);
            }
        }
        actions.add(new Action.Delete(pod.ref(), pod.uid(), 0L, null));
    }
}
