package io.kronika.scheduler.framework;

import io.kronika.scheduler.model.HostPort;
import io.kronika.scheduler.model.NodeModel;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.model.Resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One node and what is placed on it: the pods (bound or assumed), the sum of their requests (and of their
 * non-zero requests, for scoring), the host ports in use, and the pods with (anti-)affinity terms.
 */
public final class NodeInfo {
    private NodeModel node;
    private final List<PodInfo> pods;
    private final List<PodInfo> podsWithAffinity;
    private final List<PodInfo> podsWithRequiredAntiAffinity;
    private final List<HostPort> usedPorts;
    private final Resources requested;
    private long nonZeroMilliCpu;
    private long nonZeroMemory;
    private final List<PodInfo> podsView;
    private final List<PodInfo> podsWithAffinityView;
    private final List<PodInfo> podsWithRequiredAntiAffinityView;
    private final List<HostPort> usedPortsView;

    public NodeInfo(NodeModel node) {
        this.node = node;
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>();
        this.podsWithRequiredAntiAffinity = new ArrayList<>();
        this.usedPorts = new ArrayList<>();
        this.requested = new Resources();
        this.podsView = Collections.unmodifiableList(pods);
        this.podsWithAffinityView = Collections.unmodifiableList(podsWithAffinity);
        this.podsWithRequiredAntiAffinityView = Collections.unmodifiableList(podsWithRequiredAntiAffinity);
        this.usedPortsView = Collections.unmodifiableList(usedPorts);
    }

    private NodeInfo(NodeInfo other) {
        this.node = other.node;
        this.pods = new ArrayList<>(other.pods);
        this.podsWithAffinity = new ArrayList<>(other.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(other.podsWithRequiredAntiAffinity);
        this.usedPorts = new ArrayList<>(other.usedPorts);
        this.requested = other.requested.copy();
        this.nonZeroMilliCpu = other.nonZeroMilliCpu;
        this.nonZeroMemory = other.nonZeroMemory;
        this.podsView = Collections.unmodifiableList(pods);
        this.podsWithAffinityView = Collections.unmodifiableList(podsWithAffinity);
        this.podsWithRequiredAntiAffinityView = Collections.unmodifiableList(podsWithRequiredAntiAffinity);
        this.usedPortsView = Collections.unmodifiableList(usedPorts);
    }

    /** An independent copy, for what-if evaluation (preemption, nominated pods). */
    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    public NodeModel node() {
        return node;
    }

    public void setNode(NodeModel node) {
        this.node = node;
    }

    public String name() {
        return node.name();
    }

    public Map<String, String> labels() {
        return node.labels();
    }

    public Resources allocatable() {
        return node.allocatable();
    }

    public List<PodInfo> pods() {
        return podsView;
    }

    public List<PodInfo> podsWithAffinity() {
        return podsWithAffinityView;
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinityView;
    }

    public List<HostPort> usedPorts() {
        return usedPortsView;
    }

    /** Sum of the requests of the pods here; {@code pods} counts them. */
    public Resources requested() {
        return requested;
    }

    public long nonZeroRequestedMilliCpu() {
        return nonZeroMilliCpu;
    }

    public long nonZeroRequestedMemory() {
        return nonZeroMemory;
    }

    public void addPod(PodInfo pod) {
        pods.add(pod);
        if (pod.hasAffinityTerms()) {
            podsWithAffinity.add(pod);
        }
        if (!pod.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity.add(pod);
        }
        usedPorts.addAll(pod.hostPorts());
        requested.add(pod.requests());
        requested.pods += 1;
        nonZeroMilliCpu += pod.nonZeroMilliCpu();
        nonZeroMemory += pod.nonZeroMemory();
    }

    /** Removes the pod with {@code pod}'s key; returns whether it was here. */
    public boolean removePod(PodInfo pod) {
        PodInfo removed = null;
        for (int i = pods.size() - 1; i >= 0; i--) {
            if (pods.get(i).key().equals(pod.key())) {
                removed = pods.remove(i);
                break;
            }
        }
        if (removed == null) {
            return false;
        }
        String key = removed.key();
        podsWithAffinity.removeIf(p -> p.key().equals(key));
        podsWithRequiredAntiAffinity.removeIf(p -> p.key().equals(key));
        for (HostPort port : removed.hostPorts()) {
            usedPorts.remove(port);
        }
        requested.subtract(removed.requests());
        requested.pods -= 1;
        nonZeroMilliCpu -= removed.nonZeroMilliCpu();
        nonZeroMemory -= removed.nonZeroMemory();
        return true;
    }

    @Override
    public String toString() {
        return name() + requested;
    }
}
