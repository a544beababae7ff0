package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectKeys;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs of one pod, parsed once from its JSON: identity, requests (Kubernetes' rules for init
 * containers, sidecars and overhead), placement constraints and the priority it runs at.
 */
public final class PodInfo {
    /** Kubernetes' defaults for containers without a cpu/memory request, used for scoring only. */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public record WeightedNodeTerm(int weight, NodeSelectorTerm term) {
    }

    private final String key;
    private final String namespace;
    private final String name;
    private final String uid;
    private final long revision;
    private final String json;
    private final Map<String, String> labels;
    private final String nodeName;
    private final String schedulerName;
    private final Integer specPriority;
    private final String priorityClassName;
    private String preemptionPolicy;
    private final String phase;
    private final boolean terminating;
    private final boolean gated;
    private final String nominatedNodeName;
    private final long creationMillis;
    private final Resources requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final Map<String, String> nodeSelector;
    /** Required node affinity terms (ORed), or null when the pod has none. */
    private final List<NodeSelectorTerm> requiredNodeAffinity;
    private final List<WeightedNodeTerm> preferredNodeAffinity;
    private final List<Toleration> tolerations;
    private final List<PodAffinityTerm> requiredAffinity;
    private final List<PodAffinityTerm> requiredAntiAffinity;
    private final List<PodAffinityTerm> preferredAffinity;
    private final List<PodAffinityTerm> preferredAntiAffinity;
    private final List<TopologySpreadConstraint> spreadConstraints;
    private final List<HostPort> hostPorts;
    private final String podScheduledMessage;
    private int priority;

    private PodInfo(ObjectNode pod, String json, String nodeNameOverride) {
        JsonNode meta = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        this.namespace = Json.text(meta, "namespace", "");
        this.name = Json.text(meta, "name", "");
        this.key = ObjectKeys.of("", "Pod", namespace, name);
        this.uid = Json.text(meta, "uid", "");
        String rv = Json.text(meta, "resourceVersion");
        this.revision = rv == null || rv.isEmpty() ? 0 : parseLong(rv);
        this.json = json;
        this.labels = Json.stringMap(meta.get("labels"));
        String specNode = Json.text(spec, "nodeName", "");
        this.nodeName = nodeNameOverride != null ? nodeNameOverride : specNode;
        String scheduler = Json.text(spec, "schedulerName", "");
        this.schedulerName = scheduler.isEmpty() ? DEFAULT_SCHEDULER_NAME : scheduler;
        this.specPriority = spec.hasNonNull("priority") ? spec.get("priority").asInt() : null;
        this.priorityClassName = Json.text(spec, "priorityClassName", "");
        this.preemptionPolicy = Json.text(spec, "preemptionPolicy");
        this.phase = Json.text(status, "phase", "");
        this.terminating = meta.hasNonNull("deletionTimestamp");
        JsonNode gates = spec.get("schedulingGates");
        this.gated = gates != null && gates.isArray() && !gates.isEmpty();
        this.nominatedNodeName = Json.text(status, "nominatedNodeName", "");
        this.creationMillis = parseTime(Json.text(meta, "creationTimestamp"));
        this.podScheduledMessage = podScheduledMessage(status);

        Resources[] computed = computeRequests(spec);
        this.requests = computed[0];
        this.nonZeroMilliCpu = computed[1].milliCpu;
        this.nonZeroMemory = computed[1].memory;

        this.nodeSelector = Json.stringMap(spec.get("nodeSelector"));
        JsonNode affinity = spec.path("affinity");
        JsonNode nodeAffinity = affinity.path("nodeAffinity");
        JsonNode required = Json.path(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution");
        this.requiredNodeAffinity = required == null ? null : Json.list(required.get("nodeSelectorTerms"), NodeSelectorTerm::parse);
        this.preferredNodeAffinity = Json.list(nodeAffinity.get("preferredDuringSchedulingIgnoredDuringExecution"),
                n -> new WeightedNodeTerm(n.path("weight").asInt(0), NodeSelectorTerm.parse(n.path("preference"))));
        this.tolerations = Json.list(spec.get("tolerations"), Toleration::parse);
        JsonNode podAffinity = affinity.path("podAffinity");
        JsonNode podAntiAffinity = affinity.path("podAntiAffinity");
        this.requiredAffinity = requiredTerms(podAffinity);
        this.requiredAntiAffinity = requiredTerms(podAntiAffinity);
        this.preferredAffinity = preferredTerms(podAffinity);
        this.preferredAntiAffinity = preferredTerms(podAntiAffinity);
        this.spreadConstraints = Json.list(spec.get("topologySpreadConstraints"), n -> TopologySpreadConstraint.parse(n, labels));
        this.hostPorts = hostPorts(spec);
        this.priority = specPriority == null ? 0 : specPriority;
    }

    /** Parses a pod object. */
    public static PodInfo parse(String json) {
        return new PodInfo(Json.parseObject(json), json, null);
    }

    public static PodInfo parse(ObjectNode pod) {
        return new PodInfo(pod, Json.write(pod), null);
    }

    /** This pod as if bound to {@code node} (an assumed binding, or a what-if during preemption). */
    public PodInfo boundTo(String node) {
        return new PodInfo(this, node);
    }

    private PodInfo(PodInfo o, String node) {
        this.key = o.key;
        this.namespace = o.namespace;
        this.name = o.name;
        this.uid = o.uid;
        this.revision = o.revision;
        this.json = o.json;
        this.labels = o.labels;
        this.nodeName = node;
        this.schedulerName = o.schedulerName;
        this.specPriority = o.specPriority;
        this.priorityClassName = o.priorityClassName;
        this.preemptionPolicy = o.preemptionPolicy;
        this.phase = o.phase;
        this.terminating = o.terminating;
        this.gated = o.gated;
        this.nominatedNodeName = o.nominatedNodeName;
        this.creationMillis = o.creationMillis;
        this.podScheduledMessage = o.podScheduledMessage;
        this.requests = o.requests;
        this.nonZeroMilliCpu = o.nonZeroMilliCpu;
        this.nonZeroMemory = o.nonZeroMemory;
        this.nodeSelector = o.nodeSelector;
        this.requiredNodeAffinity = o.requiredNodeAffinity;
        this.preferredNodeAffinity = o.preferredNodeAffinity;
        this.tolerations = o.tolerations;
        this.requiredAffinity = o.requiredAffinity;
        this.requiredAntiAffinity = o.requiredAntiAffinity;
        this.preferredAffinity = o.preferredAffinity;
        this.preferredAntiAffinity = o.preferredAntiAffinity;
        this.spreadConstraints = o.spreadConstraints;
        this.hostPorts = o.hostPorts;
        this.priority = o.priority;
    }

    private List<PodAffinityTerm> requiredTerms(JsonNode affinity) {
        return Json.list(affinity.get("requiredDuringSchedulingIgnoredDuringExecution"),
                t -> PodAffinityTerm.parse(t, 0, namespace, labels));
    }

    private List<PodAffinityTerm> preferredTerms(JsonNode affinity) {
        return Json.list(affinity.get("preferredDuringSchedulingIgnoredDuringExecution"),
                t -> PodAffinityTerm.parse(t.path("podAffinityTerm"), t.path("weight").asInt(0), namespace, labels));
    }

    /**
     * [requests, non-zero requests]: the larger of the sum of the containers (plus sidecars) and the largest init
     * container step (each with the sidecars started before it), plus the pod overhead.
     */
    private static Resources[] computeRequests(JsonNode spec) {
        Resources reqs = new Resources();
        Resources nonZero = new Resources();
        for (JsonNode c : iterable(spec.get("containers"))) {
            reqs.add(containerRequests(c, false));
            nonZero.add(containerRequests(c, true));
        }
        Resources sidecars = new Resources();
        Resources sidecarsNonZero = new Resources();
        Resources initMax = new Resources();
        Resources initMaxNonZero = new Resources();
        for (JsonNode c : iterable(spec.get("initContainers"))) {
            Resources r = containerRequests(c, false);
            Resources nz = containerRequests(c, true);
            if ("Always".equals(Json.text(c, "restartPolicy"))) {
                reqs.add(r);
                nonZero.add(nz);
                sidecars.add(r);
                sidecarsNonZero.add(nz);
                r = sidecars.copy();
                nz = sidecarsNonZero.copy();
            } else {
                r.add(sidecars);
                nz.add(sidecarsNonZero);
            }
            initMax.setMax(r);
            initMaxNonZero.setMax(nz);
        }
        reqs.setMax(initMax);
        nonZero.setMax(initMaxNonZero);
        JsonNode overhead = spec.get("overhead");
        if (overhead != null && overhead.isObject()) {
            Resources o = Resources.parse(overhead);
            reqs.add(o);
            nonZero.add(o);
        }
        return new Resources[]{reqs, nonZero};
    }

    private static Resources containerRequests(JsonNode container, boolean nonZero) {
        JsonNode requests = Json.path(container, "resources", "requests");
        Resources r = Resources.parse(requests);
        if (nonZero) {
            if (requests == null || !requests.has(Resources.CPU)) {
                r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
            }
            if (requests == null || !requests.has(Resources.MEMORY)) {
                r.memory = DEFAULT_MEMORY_REQUEST;
            }
        }
        return r;
    }

    private static List<HostPort> hostPorts(JsonNode spec) {
        List<HostPort> ports = new ArrayList<>();
        for (JsonNode c : iterable(spec.get("containers"))) {
            addHostPorts(c, ports);
        }
        for (JsonNode c : iterable(spec.get("initContainers"))) {
            if ("Always".equals(Json.text(c, "restartPolicy"))) {
                addHostPorts(c, ports);
            }
        }
        return ports.isEmpty() ? List.of() : List.copyOf(ports);
    }

    private static void addHostPorts(JsonNode container, List<HostPort> ports) {
        for (JsonNode p : iterable(container.get("ports"))) {
            int hostPort = p.path("hostPort").asInt(0);
            if (hostPort > 0) {
                String ip = Json.text(p, "hostIP", "");
                ports.add(new HostPort(ip.isEmpty() ? HostPort.ANY_IP : ip, Json.text(p, "protocol", "TCP"), hostPort));
            }
        }
    }

    private static String podScheduledMessage(JsonNode status) {
        for (JsonNode c : iterable(status.get("conditions"))) {
            if ("PodScheduled".equals(Json.text(c, "type"))) {
                return Json.text(c, "status", "") + "/" + Json.text(c, "reason", "") + "/" + Json.text(c, "message", "");
            }
        }
        return "";
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : node;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseTime(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    // ---- accessors ----

    public String key() { return key; }
    public String namespace() { return namespace; }
    public String name() { return name; }
    public String uid() { return uid; }
    /** metadata.resourceVersion of this version of the pod. */
    public long revision() { return revision; }
    public String json() { return json; }
    public Map<String, String> labels() { return labels; }
    public String nodeName() { return nodeName; }
    public boolean isBound() { return !nodeName.isEmpty(); }
    public String schedulerName() { return schedulerName; }
    public Integer specPriority() { return specPriority; }
    public String priorityClassName() { return priorityClassName; }
    /** spec.preemptionPolicy, or null when the pod does not say (its PriorityClass then decides). */
    public String preemptionPolicy() { return preemptionPolicy; }
    public String phase() { return phase; }
    public boolean isTerminal() { return "Succeeded".equals(phase) || "Failed".equals(phase); }
    public boolean isTerminating() { return terminating; }
    public boolean isGated() { return gated; }
    public String nominatedNodeName() { return nominatedNodeName; }
    public long creationMillis() { return creationMillis; }
    /** Status, reason and message of the PodScheduled condition, "" without one. */
    public String podScheduledCondition() { return podScheduledMessage; }
    public Resources requests() { return requests; }
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public Map<String, String> nodeSelector() { return nodeSelector; }
    public List<NodeSelectorTerm> requiredNodeAffinity() { return requiredNodeAffinity; }
    public List<WeightedNodeTerm> preferredNodeAffinity() { return preferredNodeAffinity; }
    public List<Toleration> tolerations() { return tolerations; }
    public List<PodAffinityTerm> requiredAffinity() { return requiredAffinity; }
    public List<PodAffinityTerm> requiredAntiAffinity() { return requiredAntiAffinity; }
    public List<PodAffinityTerm> preferredAffinity() { return preferredAffinity; }
    public List<PodAffinityTerm> preferredAntiAffinity() { return preferredAntiAffinity; }
    public boolean hasAffinityTerms() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }
    /** Whether other pods' scores depend on this pod's terms (required affinity, preferred (anti-)affinity). */
    public boolean hasScoringAffinityTerms() {
        return !requiredAffinity.isEmpty() || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }
    public List<TopologySpreadConstraint> spreadConstraints() { return spreadConstraints; }
    public List<HostPort> hostPorts() { return hostPorts; }
    public int priority() { return priority; }

    /** Sets the priority the pod runs at (spec.priority, else its PriorityClass's value, else the global default). */
    public void setPriority(int priority) {
        this.priority = priority;
    }

    /** Sets the effective preemption policy when the pod does not say (from its PriorityClass). */
    public void setPreemptionPolicy(String policy) {
        this.preemptionPolicy = policy;
    }

    /** Whether the pod's placement constraints differ from {@code other}'s (labels, spec), ignoring status. */
    public boolean schedulingSpecEquals(PodInfo other) {
        JsonNode a = Json.parseObject(json);
        JsonNode b = Json.parseObject(other.json);
        return a.path("spec").equals(b.path("spec")) && a.path("metadata").path("labels").equals(b.path("metadata").path("labels"));
    }

    @Override
    public String toString() {
        return namespace + "/" + name + (nodeName.isEmpty() ? "" : "@" + nodeName);
    }
}
