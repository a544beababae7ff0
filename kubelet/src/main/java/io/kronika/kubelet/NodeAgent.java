package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.CommandRejectedException;
import io.kronika.eventstore.client.Commands;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.NodeFacts;
import io.kronika.kubelet.util.ConditionTransitions;
import io.kronika.kubelet.util.Json;
import io.kronika.kubelet.util.Quantity;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.NodeHeartbeat;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node side of a kubelet: registers the Node (capacity, allocatable, labels, addresses, nodeInfo, conditions),
 * renews its Lease in kube-node-lease and sends a heartbeat record every heartbeat interval, and posts the Node's
 * status when it changes or the report interval passed.
 */
final class NodeAgent {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String ENDPOINT_ANNOTATION = "kronika.io/kubelet-endpoint";
    static final String RUNTIME_ANNOTATION = "kronika.io/runtime";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Kubelet kubelet;
    private final KubeletConfig config;
    private final ContainerRuntime runtime;
    private final KubeletServices services;
    private final ObjectRef nodeRef;
    private final ObjectRef leaseRef;
    private final NodeFacts facts;
    private final ConditionTransitions conditionTransitions = new ConditionTransitions();
    private volatile Instant lastStatusPost = Instant.EPOCH;
    private volatile String lastConditionsKey = "";
    private final AtomicBoolean leaseInFlight = new AtomicBoolean();
    private final AtomicBoolean statusInFlight = new AtomicBoolean();
    private volatile boolean leaseExists;
    /** The registered Node's uid: the Lease's owner reference needs it, or the garbage collector deems the owner gone. */
    private volatile String nodeUid;

    NodeAgent(Kubelet kubelet) {
        this.kubelet = kubelet;
        this.config = kubelet.config();
        this.runtime = kubelet.runtime();
        this.services = kubelet.services();
        this.nodeRef = ObjectKeys.ref("", "Node", "", config.nodeName());
        this.leaseRef = ObjectKeys.ref("coordination.k8s.io", "Lease", LEASE_NAMESPACE, config.nodeName());
        this.facts = runtime.nodeFacts();
    }

    String hostIp() {
        return facts.internalIp() != null ? facts.internalIp() : services.advertisedHost();
    }

    /** Creates the Node, or brings an existing one (a restart) up to date; blocks until the log has it. */
    void register() throws Exception {
        ObjectNode node = nodeObject();
        CommandResult created = services.commands().submit(Commands.create(nodeRef, Json.write(node), kubelet.actor()))
                .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (created.getOutcome() == Outcome.ACCEPTED) {
            nodeUid = uidOf(created.getObject());
            lastStatusPost = Instant.now();
            LOG.info("Registered node {} ({} runtime)", config.nodeName(), runtime.type());
        } else if ("AlreadyExists".equals(created.getReason())) {
            updateExisting(node);
            LOG.info("Node {} was registered before; updated it ({} runtime)", config.nodeName(), runtime.type());
        } else {
            throw new CommandRejectedException(created);
        }
        renewLease();
    }

    /** Merges our labels and annotations into the stored Node (keeping its spec: taints, unschedulable), then status. */
    private void updateExisting(ObjectNode fresh) throws Exception {
        String key = ObjectKeys.of(nodeRef);
        for (int attempt = 0; attempt < 10; attempt++) {
            services.view().awaitRevision(services.commands().latestRevision(), COMMAND_TIMEOUT);
            Optional<StoredObject> stored = services.view().get(key);
            if (stored.isEmpty()) {
                CommandResult created = services.commands().submit(Commands.create(nodeRef, Json.write(fresh), kubelet.actor()))
                        .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (created.getOutcome() == Outcome.ACCEPTED) {
                    nodeUid = uidOf(created.getObject());
                    return;
                }
                continue;
            }
            ObjectNode current = Json.parse(stored.get().json());
            ObjectNode meta = (ObjectNode) current.get("metadata");
            ObjectNode labels = meta.with("labels");
            fresh.with("metadata").with("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
            ObjectNode annotations = meta.with("annotations");
            fresh.with("metadata").with("annotations").fields().forEachRemaining(e -> annotations.set(e.getKey(), e.getValue()));
            CommandResult updated = services.commands().submit(Commands.update(nodeRef, Json.write(current), stored.get().revision(), kubelet.actor()))
                    .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (updated.getOutcome() == Outcome.ACCEPTED) {
                nodeUid = uidOf(updated.getObject());
                postStatus(true).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            if (!"Conflict".equals(updated.getReason()) && !"NotFound".equals(updated.getReason())) {
                throw new CommandRejectedException(updated);
            }
        }
        throw new IllegalStateException("Could not update node " + config.nodeName() + " after 10 attempts");
    }

    /** Heartbeat record and Lease renewal; status when due. Called every heartbeat interval. */
    void tick() {
        try {
            services.heartbeat(NodeHeartbeat.newBuilder()
                    .setNodeName(config.nodeName())
                    .setTimestamp(Instant.now())
                    .setReady(true)
                    .setRunningPods(kubelet.runningPods())
                    .setUsage(kubelet.usage())
                    .setKubeletVersion(config.kubeletVersion())
                    .build());
            renewLease();
            boolean changed = !conditionsKey().equals(lastConditionsKey);
            if (changed || Duration.between(lastStatusPost, Instant.now()).compareTo(config.statusReportInterval()) >= 0) {
                postStatus(false);
            }
        } catch (RuntimeException e) {
            LOG.warn("Node {}: heartbeat failed: {}", config.nodeName(), e.toString());
        }
    }

    private void renewLease() {
        if (!leaseInFlight.compareAndSet(false, true)) {
            return;
        }
        String json = Json.write(leaseObject());
        Command command = leaseExists
                ? Commands.builder(Operation.UPDATE, leaseRef, kubelet.actor()).setObject(json).setStatusSubresource(false).build()
                : Commands.builder(Operation.CREATE, leaseRef, kubelet.actor()).setObject(json).setStatusSubresource(false).build();
        services.commands().submit(command).whenComplete((result, error) -> {
            leaseInFlight.set(false);
            if (error != null) {
                LOG.debug("Node {}: lease renewal failed: {}", config.nodeName(), error.toString());
                return;
            }
            if (result.getOutcome() == Outcome.ACCEPTED) {
                leaseExists = true;
            } else if ("AlreadyExists".equals(result.getReason())) {
                leaseExists = true;
                renewLease();
            } else if ("NotFound".equals(result.getReason())) {
                leaseExists = false;
                renewLease();
            } else {
                LOG.warn("Node {}: lease renewal refused: {} {}", config.nodeName(), result.getReason(), result.getMessage());
            }
        });
    }

    CompletableFuture<?> postStatus(boolean force) {
        if (!statusInFlight.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        ObjectNode body = Json.object();
        body.put("apiVersion", "v1");
        body.put("kind", "Node");
        body.putObject("metadata").put("name", config.nodeName());
        body.set("status", status());
        String conditions = conditionsKey();
        return services.commands().submit(Commands.updateStatus(nodeRef, Json.write(body), null, kubelet.actor()))
                .whenComplete((result, error) -> {
                    statusInFlight.set(false);
                    if (error == null && result.getOutcome() == Outcome.ACCEPTED) {
                        lastStatusPost = Instant.now();
                        lastConditionsKey = conditions;
                    } else if (error == null && "NotFound".equals(result.getReason())) {
                        // Someone deleted our Node: register again, as a kubelet does.
                        services.blocking().execute(() -> {
                            try {
                                register();
                            } catch (Exception e) {
                                LOG.warn("Node {}: registering again failed: {}", config.nodeName(), e.toString());
                            }
                        });
                    } else {
                        LOG.debug("Node {}: status update failed: {}", config.nodeName(), error != null ? error.toString() : result.getMessage());
                    }
                });
    }

    private String conditionsKey() {
        ContainerRuntime.LimitsSupport limits = runtime.limitsSupport();
        return limits.enforced() + "|" + limits.message();
    }

    ObjectNode nodeObject() {
        ObjectNode node = Json.object();
        node.put("apiVersion", "v1");
        node.put("kind", "Node");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", config.nodeName());
        ObjectNode labels = meta.putObject("labels");
        labels.put("beta.kubernetes.io/arch", facts.architecture());
        labels.put("beta.kubernetes.io/os", facts.operatingSystem());
        labels.put("kubernetes.io/arch", facts.architecture());
        labels.put("kubernetes.io/hostname", config.nodeName());
        labels.put("kubernetes.io/os", facts.operatingSystem());
        labels.put("node.kronika.io/runtime", runtime.type());
        config.labels().forEach(labels::put);
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put("node.alpha.kubernetes.io/ttl", "0");
        annotations.put(RUNTIME_ANNOTATION, runtime.type());
        if (services.endpoint() != null) {
            annotations.put(ENDPOINT_ANNOTATION, services.endpoint());
        }
        node.putObject("spec");
        node.set("status", status());
        return node;
    }

    private ObjectNode status() {
        long cpu = config.cpuMillis() > 0 ? config.cpuMillis() : facts.cpuMillis();
        long memory = config.memoryBytes() > 0 ? config.memoryBytes() : facts.memoryBytes();
        ObjectNode status = Json.object();
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", Quantity.formatCpu(cpu));
        capacity.put("ephemeral-storage", Quantity.formatBytes(facts.ephemeralStorageBytes()));
        capacity.put("memory", Quantity.formatBytes(memory));
        capacity.put("pods", Integer.toString(config.maxPods()));
        ObjectNode allocatable = status.putObject("allocatable");
        allocatable.put("cpu", Quantity.formatCpu(Math.max(0, cpu - config.reservedCpuMillis())));
        allocatable.put("ephemeral-storage", Quantity.formatBytes(facts.ephemeralStorageBytes()));
        allocatable.put("memory", Quantity.formatBytes(Math.max(0, memory - config.reservedMemoryBytes())));
        allocatable.put("pods", Integer.toString(config.maxPods()));
        Instant now = Instant.now();
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now);
        condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now);
        condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now);
        condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now);
        ContainerRuntime.LimitsSupport limits = runtime.limitsSupport();
        condition(conditions, "ResourceLimitsEnforced", limits.enforced() ? "True" : "False",
                limits.enforced() ? "LimitsEnforced" : "LimitsNotEnforced", limits.message(), now);
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", hostIp());
        addresses.addObject().put("type", "Hostname").put("address", config.nodeName());
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", services.endpointPort());
        ObjectNode info = status.putObject("nodeInfo");
        info.put("architecture", facts.architecture());
        info.put("bootID", facts.bootId());
        info.put("containerRuntimeVersion", runtime.version());
        info.put("kernelVersion", facts.kernelVersion());
        info.put("kubeProxyVersion", "");
        info.put("kubeletVersion", config.kubeletVersion());
        info.put("machineID", facts.machineId());
        info.put("operatingSystem", facts.operatingSystem());
        info.put("osImage", facts.osImage());
        info.put("systemUUID", java.util.UUID.nameUUIDFromBytes(config.nodeName().getBytes()).toString());
        return status;
    }

    private void condition(ArrayNode conditions, String type, String value, String reason, String message, Instant now) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", value);
        c.put("lastHeartbeatTime", Json.time(now));
        c.put("lastTransitionTime", conditionTransitions.lastTransitionTime(type, value, now));
        c.put("reason", reason);
        c.put("message", message);
    }

    private static String uidOf(String objectJson) {
        return objectJson == null ? null : Json.text(Json.parse(objectJson).path("metadata"), "uid");
    }

    private ObjectNode leaseObject() {
        ObjectNode lease = Json.object();
        lease.put("apiVersion", "coordination.k8s.io/v1");
        lease.put("kind", "Lease");
        ObjectNode meta = lease.putObject("metadata");
        meta.put("name", config.nodeName());
        meta.put("namespace", LEASE_NAMESPACE);
        if (nodeUid != null) {
            ObjectNode owner = meta.putArray("ownerReferences").addObject();
            owner.put("apiVersion", "v1");
            owner.put("kind", "Node");
            owner.put("name", config.nodeName());
            owner.put("uid", nodeUid);
        }
        ObjectNode spec = lease.putObject("spec");
        spec.put("holderIdentity", config.nodeName());
        spec.put("leaseDurationSeconds", config.leaseDuration().toSeconds());
        spec.put("renewTime", Json.microTime(Instant.now()));
        return lease;
    }

    /** First tick after a random part of the interval, so many nodes do not beat in step. */
    static long initialDelayMillis(Duration interval) {
        return ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis()));
    }
}
