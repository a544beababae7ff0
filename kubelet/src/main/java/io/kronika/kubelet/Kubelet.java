package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.kubelet.dns.ClusterDns;
import io.kronika.kubelet.logs.ContainerLog;
import io.kronika.kubelet.logs.LogStore;
import io.kronika.kubelet.pod.ObjectLookup;
import io.kronika.kubelet.pod.PodDns;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.ResolvConf;
import io.kronika.kubelet.runtime.SandboxStatus;
import io.kronika.kubelet.util.Json;
import io.kronika.schemas.Actor;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node agent. {@link #start} registers the Node, adopts what the runtime still runs for this node, learns the
 * pods bound to it from the event log (through {@link KubeletServices}' dispatcher) and keeps heartbeats, the Lease
 * and the Node status going. {@link #close} stops the agent and leaves containers running, as a stopped kubelet
 * does; the runtime belongs to the caller.
 */
public final class Kubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    /** The node's resolver configuration (the kubelet's --resolv-conf). */
    private static final Path NODE_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final KubeletConfig config;
    private final ContainerRuntime runtime;
    private final KubeletServices services;
    private final Actor actor;
    private final LogStore logs;
    private final Map<String, PodWorker> pods = new ConcurrentHashMap<>();
    /** Pods this kubelet finished with (terminated): later events of them start nothing. */
    private final Set<String> finishedUids = ConcurrentHashMap.newKeySet();
    private final NodeAgent node;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final ObjectLookup objects;
    private final PodDns.Cluster podDns;
    private volatile boolean closed;

    private Kubelet(KubeletServices services, KubeletConfig config, ContainerRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
        this.services = services;
        this.actor = Commands.actor("system:node:" + config.nodeName(), "kubelet", "system:nodes");
        this.logs = new LogStore(config.rootDir() == null ? null : config.rootDir().resolve("logs"),
                config.logMaxBytes(), config.logMaxFiles(), 200);
        this.objects = new ObjectLookup() {
            @Override
            public java.util.Optional<JsonNode> get(String kind, String namespace, String name) {
                return services.view().get(ObjectKeys.of("", kind, namespace, name)).map(o -> (JsonNode) Json.parse(o.json()));
            }

            @Override
            public java.util.List<JsonNode> list(String kind, String namespace) {
                return services.view().list(ObjectKeys.namespacePrefix("", kind, namespace), services.view().appliedRevision(),
                        o -> true, 0, null).items().stream().map(o -> (JsonNode) Json.parse(o.json())).toList();
            }
        };
        this.node = new NodeAgent(this);
        this.podDns = podDns(config, services);
    }

    /** The cluster DNS of ClusterFirst pods: the configured nameservers, else the in-process cluster DNS's pod address. */
    private static PodDns.Cluster podDns(KubeletConfig config, KubeletServices services) {
        List<String> nameservers = !config.clusterDns().isEmpty() ? config.clusterDns()
                : services.clusterDns().flatMap(ClusterDns::podNameserver).map(List::of).orElse(List.of());
        ResolvConf node;
        try {
            node = ResolvConf.parse(Files.readString(NODE_RESOLV_CONF));
        } catch (IOException e) {
            LOG.warn("Reading {} failed ({}): pods with dnsPolicy Default get no nameserver", NODE_RESOLV_CONF, e.toString());
            node = new ResolvConf(List.of(), List.of(), List.of());
        }
        return new PodDns.Cluster(nameservers, config.clusterDomain(), node);
    }

    /**
     * Starts a kubelet for {@code config.nodeName()} on {@code runtime}; returns once the Node is registered and the
     * kubelet knows its pods.
     */
    public static Kubelet start(KubeletServices services, KubeletConfig config, ContainerRuntime runtime) throws Exception {
        Kubelet kubelet = new Kubelet(services, config, runtime);
        try {
            kubelet.startUp();
            return kubelet;
        } catch (Exception | Error e) {
            kubelet.close();
            throw e;
        }
    }

    private void startUp() throws Exception {
        runtime.setListener(this::containerChanged);
        node.register();
        services.add(this);
        services.dispatcher().register(config.nodeName(), new PodDispatcher.NodeHandler() {
            @Override
            public void resync(List<ObjectNode> bound, long revision) {
                Kubelet.this.resync(bound);
            }

            @Override
            public void event(ObjectEvent event, ObjectNode pod) {
                Kubelet.this.podEvent(event, pod);
            }
        });
        Duration beat = config.heartbeatInterval();
        timers.add(services.timers().scheduleAtFixedRate(node::tick, NodeAgent.initialDelayMillis(beat), beat.toMillis(), TimeUnit.MILLISECONDS));
        Duration resync = config.resyncInterval();
        timers.add(services.timers().scheduleAtFixedRate(() -> pods.values().forEach(PodWorker::requestSync),
                NodeAgent.initialDelayMillis(resync), resync.toMillis(), TimeUnit.MILLISECONDS));
        LOG.info("Kubelet {} running ({} runtime, {} pods)", config.nodeName(), runtime.type(), pods.size());
    }

    /** The pods bound to this node as of a revision: adopt, start, and stop what is no longer bound. */
    private void resync(List<ObjectNode> bound) {
        Set<String> uids = new HashSet<>();
        Map<String, List<SandboxStatus>> sandboxes = new HashMap<>();
        Map<String, List<ContainerStatus>> containers = new HashMap<>();
        for (SandboxStatus s : runtime.listSandboxes()) {
            sandboxes.computeIfAbsent(s.podUid(), u -> new ArrayList<>()).add(s);
        }
        for (ContainerStatus c : runtime.listContainers()) {
            containers.computeIfAbsent(c.podUid(), u -> new ArrayList<>()).add(c);
        }
        for (ObjectNode pod : bound) {
            String uid = Json.text(pod, "metadata", "uid");
            uids.add(uid);
            PodWorker existing = pods.get(uid);
            if (existing != null) {
                existing.update(pod, true);
                continue;
            }
            PodWorker worker = new PodWorker(this, pod);
            pods.put(uid, worker);
            List<SandboxStatus> s = sandboxes.getOrDefault(uid, List.of());
            List<ContainerStatus> c = containers.getOrDefault(uid, List.of());
            if (!s.isEmpty() || !c.isEmpty()) {
                worker.adopt(s, c);
            }
            worker.requestSync();
        }
        // Pods we run that are no longer bound to us were deleted while we did not watch.
        for (PodWorker worker : List.copyOf(pods.values())) {
            if (!uids.contains(worker.uid)) {
                worker.markDeleted(worker.pod());
            }
        }
        // Containers and sandboxes of pods nobody binds to us any more: stop and remove them.
        Set<String> orphans = new HashSet<>(containers.keySet());
        orphans.addAll(sandboxes.keySet());
        orphans.removeAll(pods.keySet());
        if (!orphans.isEmpty()) {
            services.blocking().execute(() -> removeOrphans(orphans, containers, sandboxes));
        }
    }

    private void removeOrphans(Set<String> orphans, Map<String, List<ContainerStatus>> containers, Map<String, List<SandboxStatus>> sandboxes) {
        for (String uid : orphans) {
            for (ContainerStatus c : containers.getOrDefault(uid, List.of())) {
                LOG.info("Node {}: stopping container {} of pod {}/{} that is no longer bound here", config.nodeName(),
                        c.name(), c.namespace(), c.podName());
                if (c.running()) {
                    runtime.stopContainer(c.id(), Duration.ofSeconds(c.graceSeconds() >= 0 ? c.graceSeconds() : 30));
                }
                runtime.removeContainer(c.id());
            }
            for (SandboxStatus s : sandboxes.getOrDefault(uid, List.of())) {
                runtime.stopSandbox(s.id());
                runtime.removeSandbox(s.id());
            }
        }
    }

    private void podEvent(ObjectEvent event, ObjectNode pod) {
        if (closed) {
            return;
        }
        String uid = event.getUid();
        if (event.getType() == EventType.DELETED) {
            finishedUids.remove(uid);
            PodWorker worker = pods.get(uid);
            if (worker != null) {
                worker.markDeleted(pod);
            }
            return;
        }
        PodWorker worker = pods.get(uid);
        if (worker == null) {
            if (finishedUids.contains(uid)) {
                return;
            }
            // A pod we let go of (finished) can not come back; anything else is new.
            worker = new PodWorker(this, pod);
            pods.put(uid, worker);
            worker.requestSync();
            return;
        }
        // Our own status writes need no sync: the worker wrote what it knows.
        boolean ownStatus = event.getOperation() == io.kronika.schemas.Operation.UPDATE_STATUS
                && actor.getUser().equals(event.getActor().getUser());
        worker.update(pod, !ownStatus);
    }

    private void containerChanged(String podUid) {
        PodWorker worker = pods.get(podUid);
        if (worker != null) {
            worker.requestSync();
        }
    }

    void forget(PodWorker worker) {
        finishedUids.add(worker.uid);
        pods.remove(worker.uid, worker);
    }

    // ---- accessors for the pieces ----

    public String nodeName() {
        return config.nodeName();
    }

    public KubeletConfig config() {
        return config;
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    KubeletServices services() {
        return services;
    }

    Actor actor() {
        return actor;
    }

    LogStore logs() {
        return logs;
    }

    ObjectLookup objects() {
        return objects;
    }

    /** What pods' resolv.conf is formed from. */
    PodDns.Cluster podDns() {
        return podDns;
    }

    String hostIp() {
        return node.hostIp();
    }

    int runningPods() {
        int n = 0;
        for (PodWorker worker : pods.values()) {
            if (worker.hasRunningContainers()) {
                n++;
            }
        }
        return n;
    }

    Map<String, Long> usage() {
        long cpu = 0;
        long memory = 0;
        for (ContainerRuntime.Usage u : runtime.usage().values()) {
            cpu += u.cpuMillis();
            memory += u.memoryBytes();
        }
        return Map.of("cpu", cpu, "memory", memory);
    }

    /**
     * Usage of the node and of each pod and container, in the shape of the kubelet's Summary API
     * ({@code /stats/summary}): what metrics-server reads for {@code kubectl top}.
     */
    public ObjectNode statsSummary() {
        Map<String, ContainerRuntime.Usage> byContainer = runtime.usage();
        java.time.Instant now = java.time.Instant.now();
        String time = Json.time(now);
        ObjectNode summary = Json.object();
        long nodeCpu = 0;
        long nodeMemory = 0;
        com.fasterxml.jackson.databind.node.ArrayNode podList = Json.array();
        for (PodWorker worker : pods.values()) {
            Map<String, ContainerRuntime.Usage> usage = worker.usage(byContainer);
            if (usage.isEmpty()) {
                continue;
            }
            ObjectNode pod = podList.addObject();
            pod.putObject("podRef").put("name", worker.name).put("namespace", worker.namespace).put("uid", worker.uid);
            if (worker.startTime() != null) {
                pod.put("startTime", Json.time(worker.startTime()));
            }
            long podCpu = 0;
            long podMemory = 0;
            com.fasterxml.jackson.databind.node.ArrayNode containerList = pod.putArray("containers");
            for (Map.Entry<String, ContainerRuntime.Usage> e : usage.entrySet()) {
                ObjectNode c = containerList.addObject();
                c.put("name", e.getKey());
                usage(c, time, e.getValue().cpuMillis(), e.getValue().memoryBytes());
                podCpu += e.getValue().cpuMillis();
                podMemory += e.getValue().memoryBytes();
            }
            usage(pod, time, podCpu, podMemory);
            nodeCpu += podCpu;
            nodeMemory += podMemory;
        }
        ObjectNode node = summary.putObject("node");
        node.put("nodeName", config.nodeName());
        usage(node, time, nodeCpu, nodeMemory);
        summary.set("pods", podList);
        return summary;
    }

    private static void usage(ObjectNode target, String time, long cpuMillis, long memoryBytes) {
        target.putObject("cpu").put("time", time).put("usageNanoCores", cpuMillis * 1_000_000L);
        target.putObject("memory").put("time", time).put("workingSetBytes", memoryBytes).put("usageBytes", memoryBytes);
    }

    /** Number of pods this kubelet currently manages. */
    public int podCount() {
        return pods.size();
    }

    public boolean hasPod(String namespace, String name) {
        return worker(namespace, name).isPresent();
    }

    private Optional<PodWorker> worker(String namespace, String name) {
        for (PodWorker worker : pods.values()) {
            if (worker.namespace.equals(namespace) && worker.name.equals(name) && !worker.finished()) {
                return Optional.of(worker);
            }
        }
        return Optional.empty();
    }

    /** A container's log: the running attempt's, or the previous one's. */
    public Optional<ContainerLog> containerLog(String namespace, String pod, String container, boolean previous) {
        return worker(namespace, pod).flatMap(w -> w.log(container, previous));
    }

    /** The runtime id of a pod's container, if it runs here. */
    public Optional<String> containerId(String namespace, String pod, String container) {
        return worker(namespace, pod).flatMap(w -> w.containerId(container));
    }

    /** The first container of a pod (the default of kubectl logs/exec). */
    public Optional<String> defaultContainer(String namespace, String pod) {
        return worker(namespace, pod).map(w -> {
            JsonNode first = w.pod().path("spec").path("containers").path(0);
            return first.path("name").asText(null);
        });
    }

    /** The pod's IP, if it has a sandbox here. */
    public Optional<String> podIp(String namespace, String pod) {
        return worker(namespace, pod).map(PodWorker::podIp);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.dispatcher().unregister(config.nodeName());
        timers.forEach(t -> t.cancel(false));
        pods.values().forEach(PodWorker::detach);
        services.remove(this);
        LOG.info("Kubelet {} stopped (its containers keep running)", config.nodeName());
    }
}
