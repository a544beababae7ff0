package io.kronika.scheduler.cache;

import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.model.NodeModel;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.model.Resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's picture of the cluster, folded from the event log: nodes with the pods bound to them, plus the
 * pods this scheduler has assumed onto nodes whose BIND has not come back as an event yet (so the next pod does not
 * take the same room). An assumed pod is confirmed by its bind event, dropped when its bind is refused, and expires
 * if its event does not arrive within the TTL after the bind was accepted.
 * Also: namespace labels (for namespaceSelector), PriorityClasses, and the pods nominated by preemption.
 * Not thread-safe: the scheduling loop owns it; it is the {@link Snapshot} every attempt reads.
 */
public final class SchedulerCache implements Snapshot, Framework.Nominator {
    private static final class PodState {
        PodInfo pod;
        boolean assumed;
        long expiresAtMillis;

        PodState(PodInfo pod, boolean assumed) {
            this.pod = pod;
            this.assumed = assumed;
        }
    }

    public record PriorityClass(int value, boolean globalDefault, String preemptionPolicy) {
    }

    private final long assumedTtlMillis;
    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    private final List<NodeInfo> nodeList = new ArrayList<>();
    private boolean nodeListDirty;
    private final Map<String, PodState> pods = new HashMap<>();
    /** Keys of the assumed pods (few: those whose binding is in flight). */
    private final java.util.Set<String> assumedKeys = new java.util.HashSet<>();
    private int podsWithScoringAffinity;
    private int podsWithRequiredAntiAffinity;
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Map<String, PriorityClass> priorityClasses = new HashMap<>();
    private final Map<String, List<PodInfo>> nominatedByNode = new HashMap<>();
    private final Map<String, String> nominatedNodeOfPod = new HashMap<>();

    public SchedulerCache(long assumedTtlMillis) {
        this.assumedTtlMillis = assumedTtlMillis;
    }

    // ---- nodes ----

    /** Adds or replaces a node; returns whether anything a filter reads changed. */
    public boolean upsertNode(NodeModel node) {
        NodeInfo info = nodes.get(node.name());
        if (info == null) {
            info = new NodeInfo(node);
            nodes.put(node.name(), info);
            nodeListDirty = true;
            return true;
        }
        NodeModel previous = info.node();
        boolean ghost = previous.revision() < 0;
        info.setNode(node);
        if (ghost) {
            nodeListDirty = true;
        }
        return ghost || node.schedulingPropertiesDiffer(previous);
    }

    public void removeNode(String name) {
        NodeInfo info = nodes.get(name);
        if (info == null) {
            return;
        }
        if (info.pods().isEmpty()) {
            nodes.remove(name);
        } else {
            info.setNode(ghost(name));
        }
        nodeListDirty = true;
    }

    /** A node we know of only because pods are bound to it: not schedulable, not in the snapshot. */
    private static NodeModel ghost(String name) {
        return new NodeModel(name, Map.of(), List.of(), true, new Resources(), -1);
    }

    private NodeInfo nodeForPod(String name) {
        NodeInfo info = nodes.get(name);
        if (info == null) {
            info = new NodeInfo(ghost(name));
            nodes.put(name, info);
        }
        return info;
    }

    @Override
    public List<NodeInfo> nodes() {
        if (nodeListDirty) {
            nodeList.clear();
            for (NodeInfo n : nodes.values()) {
                if (n.node().revision() >= 0) {
                    nodeList.add(n);
                }
            }
            nodeListDirty = false;
        }
        return Collections.unmodifiableList(nodeList);
    }

    @Override
    public NodeInfo node(String name) {
        NodeInfo info = nodes.get(name);
        return info == null || info.node().revision() < 0 ? null : info;
    }

    public int nodeCount() {
        return nodes().size();
    }

    // ---- pods ----

    /** A pod the log says is bound (confirms an assumption, or moves it if someone else bound it elsewhere). */
    public void addOrUpdateBoundPod(PodInfo pod) {
        PodState state = pods.get(pod.key());
        if (state != null) {
            unplace(state.pod);
            state.pod = pod;
            state.assumed = false;
            assumedKeys.remove(pod.key());
        } else {
            pods.put(pod.key(), new PodState(pod, false));
        }
        place(pod);
        removeNomination(pod.key());
    }

    /** Removes a pod (deleted, or finished); returns the version that was placed, or null. */
    public PodInfo removePod(String key) {
        PodState state = pods.remove(key);
        removeNomination(key);
        if (state == null) {
            return null;
        }
        assumedKeys.remove(key);
        unplace(state.pod);
        NodeInfo node = nodes.get(state.pod.nodeName());
        if (node != null && node.node().revision() < 0 && node.pods().isEmpty()) {
            nodes.remove(node.name());
        }
        return state.pod;
    }

    /** Places {@code pod} on {@code node} before its binding is confirmed. */
    public PodInfo assume(PodInfo pod, String node) {
        if (pods.containsKey(pod.key())) {
            throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
        }
        PodInfo bound = pod.boundTo(node);
        pods.put(pod.key(), new PodState(bound, true));
        assumedKeys.add(pod.key());
        place(bound);
        removeNomination(pod.key());
        return bound;
    }

    /** The BIND was accepted: its event is on its way; expire the assumption if it never arrives. */
    public void finishBinding(String key, long nowMillis) {
        PodState state = pods.get(key);
        if (state != null && state.assumed) {
            state.expiresAtMillis = nowMillis + assumedTtlMillis;
        }
    }

    /** The BIND failed: drop the assumption (a confirmed placement is left alone). */
    public boolean forget(String key) {
        PodState state = pods.get(key);
        if (state == null || !state.assumed) {
            return false;
        }
        removePod(key);
        return true;
    }

    public boolean isAssumed(String key) {
        PodState state = pods.get(key);
        return state != null && state.assumed;
    }

    /** Whether the pod is placed (bound or assumed). */
    public boolean isPlaced(String key) {
        return pods.containsKey(key);
    }

    public PodInfo placed(String key) {
        PodState state = pods.get(key);
        return state == null ? null : state.pod;
    }

    private void place(PodInfo pod) {
        nodeForPod(pod.nodeName()).addPod(pod);
        if (pod.hasScoringAffinityTerms()) {
            podsWithScoringAffinity++;
        }
        if (!pod.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity++;
        }
    }

    private void unplace(PodInfo pod) {
        NodeInfo node = nodes.get(pod.nodeName());
        if (node != null && node.removePod(pod)) {
            if (pod.hasScoringAffinityTerms()) {
                podsWithScoringAffinity--;
            }
            if (!pod.requiredAntiAffinity().isEmpty()) {
                podsWithRequiredAntiAffinity--;
            }
        }
    }

    @Override
    public boolean anyPodWithScoringAffinityTerms() {
        return podsWithScoringAffinity > 0;
    }

    @Override
    public boolean anyPodWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity > 0;
    }

    /** Drops assumptions whose event did not arrive in time; returns their keys. */
    public List<String> cleanupExpiredAssumptions(long nowMillis) {
        List<String> expired = new ArrayList<>();
        for (String key : assumedKeys) {
            PodState s = pods.get(key);
            if (s != null && s.assumed && s.expiresAtMillis > 0 && s.expiresAtMillis <= nowMillis) {
                expired.add(key);
            }
        }
        expired.forEach(this::removePod);
        return expired;
    }

    /** Keys of every placed pod (a copy). */
    public List<String> podKeys() {
        return new ArrayList<>(pods.keySet());
    }

    /** Names of every known node, ghosts included (a copy). */
    public List<String> nodeNames() {
        return new ArrayList<>(nodes.keySet());
    }

    public int podCount() {
        return pods.size();
    }

    public int assumedCount() {
        return assumedKeys.size();
    }

    // ---- namespaces and priority classes ----

    public void upsertNamespace(String name, Map<String, String> labels) {
        namespaceLabels.put(name, labels);
    }

    public void removeNamespace(String name) {
        namespaceLabels.remove(name);
    }

    @Override
    public Map<String, String> of(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    public void upsertPriorityClass(String name, PriorityClass pc) {
        priorityClasses.put(name, pc);
    }

    public void removePriorityClass(String name) {
        priorityClasses.remove(name);
    }

    /**
     * Sets the priority a pod runs at, as the Priority admission plugin would: spec.priority when present, else its
     * PriorityClass's value, else the global default class's, else 0; and the class's preemption policy if the pod
     * has none.
     */
    public PodInfo resolvePriority(PodInfo pod) {
        PriorityClass pc = null;
        if (!pod.priorityClassName().isEmpty()) {
            pc = priorityClasses.get(pod.priorityClassName());
        } else {
            for (PriorityClass c : priorityClasses.values()) {
                if (c.globalDefault()) {
                    pc = c;
                    break;
                }
            }
        }
        if (pod.specPriority() != null) {
            pod.setPriority(pod.specPriority());
        } else {
            pod.setPriority(pc == null ? 0 : pc.value());
        }
        if (pod.preemptionPolicy() == null && pc != null && pc.preemptionPolicy() != null) {
            pod.setPreemptionPolicy(pc.preemptionPolicy());
        }
        return pod;
    }

    // ---- nominated pods ----

    /** Records that {@code pod} is nominated to run on {@code node} (empty: not nominated). */
    public void nominate(PodInfo pod, String node) {
        removeNomination(pod.key());
        if (node == null || node.isEmpty()) {
            return;
        }
        nominatedByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
        nominatedNodeOfPod.put(pod.key(), node);
    }

    public void removeNomination(String podKey) {
        String node = nominatedNodeOfPod.remove(podKey);
        if (node != null) {
            List<PodInfo> list = nominatedByNode.get(node);
            if (list != null) {
                list.removeIf(p -> p.key().equals(podKey));
                if (list.isEmpty()) {
                    nominatedByNode.remove(node);
                }
            }
        }
    }

    public String nominatedNode(String podKey) {
        return nominatedNodeOfPod.get(podKey);
    }

    @Override
    public List<PodInfo> nominatedPods(String nodeName) {
        List<PodInfo> list = nominatedByNode.get(nodeName);
        return list == null ? List.of() : list;
    }
}
