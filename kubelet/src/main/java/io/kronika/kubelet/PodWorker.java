package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.kubelet.logs.ContainerLog;
import io.kronika.kubelet.logs.LogEntry;
import io.kronika.kubelet.pod.ConfigError;
import io.kronika.kubelet.pod.EnvResolver;
import io.kronika.kubelet.pod.ImageRefs;
import io.kronika.kubelet.pod.PodDns;
import io.kronika.kubelet.pod.PodSpecs;
import io.kronika.kubelet.pod.PodVolumes;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.ContainerSpec;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.ImagePullException;
import io.kronika.kubelet.runtime.Mount;
import io.kronika.kubelet.runtime.RegistryAuth;
import io.kronika.kubelet.runtime.RuntimeFailure;
import io.kronika.kubelet.runtime.RuntimeLabels;
import io.kronika.kubelet.runtime.SandboxSpec;
import io.kronika.kubelet.runtime.SandboxStatus;
import io.kronika.kubelet.util.ConditionTransitions;
import io.kronika.kubelet.util.Json;
import io.kronika.kubelet.util.SerialExecutor;
import io.kronika.schemas.Command;
import io.kronika.schemas.LogLine;
import io.kronika.schemas.LogStream;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.kronika.kubelet.util.QuietIo.deleteRecursively;

/**
 * Runs one pod on the node, as Kubernetes' pod worker and syncPod do: every sync compares the pod's spec with what
 * the runtime holds and takes the next steps (sandbox, volumes, images, init containers in order, then the
 * containers, restarts with back-off, probes), then reports the status if it changed. Deletion stops the containers
 * within the grace period (preStop hooks first) and confirms it. All of a pod's work runs serialized.
 */
final class PodWorker {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);

    private final Kubelet kubelet;
    private final ContainerRuntime runtime;
    final String uid;
    final String namespace;
    final String name;
    private final ObjectRef ref;
    private final SerialExecutor serial;
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private volatile ObjectNode pod;
    private volatile boolean deleted;
    private volatile boolean finished;

    // Owned by the serial executor:
    private SandboxStatus sandbox;
    private Map<String, Path> volumes;
    private final Map<String, ContainerRecord> records = new LinkedHashMap<>();
    private Instant startTime;
    private String terminalPhase;
    private final ConditionTransitions conditionTransitions = new ConditionTransitions();
    private ObjectNode lastSent;
    private boolean sending;
    private boolean sendAgain;
    private String podWaitingMessage;
    private boolean terminationStarted;

    PodWorker(Kubelet kubelet, ObjectNode pod) {
        this.kubelet = kubelet;
        this.runtime = kubelet.runtime();
        this.pod = pod;
        this.uid = Json.text(pod, "metadata", "uid");
        this.namespace = Json.text(pod, "metadata", "namespace");
        this.name = Json.text(pod, "metadata", "name");
        this.ref = ObjectKeys.ref("", "Pod", namespace, name);
        this.serial = new SerialExecutor(kubelet.services().workers());
        JsonNode status = pod.get("status");
        String phase = Json.text(status, "phase");
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            terminalPhase = phase;
        }
        String started = Json.text(status, "startTime");
        if (started != null) {
            startTime = Instant.parse(started);
        }
        for (JsonNode condition : Json.list(status, "conditions")) {
            String time = Json.text(condition, "lastTransitionTime");
            if (time != null) {
                conditionTransitions.restore(Json.text(condition, "type"), Json.text(condition, "status"), time);
            }
        }
    }

    ObjectNode pod() {
        return pod;
    }

    boolean finished() {
        return finished;
    }

    void update(ObjectNode newer, boolean sync) {
        this.pod = newer;
        if (sync) {
            requestSync();
        }
    }

    void markDeleted(ObjectNode last) {
        this.pod = last;
        this.deleted = true;
        requestSync();
    }

    /** Queues a sync unless one is queued already. */
    void requestSync() {
        if (finished) {
            return;
        }
        if (syncQueued.compareAndSet(false, true)) {
            serial.execute(() -> {
                syncQueued.set(false);
                sync();
            });
        }
    }

    void run(Runnable task) {
        serial.execute(task);
    }

    private void syncAt(Instant when) {
        long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis());
        kubelet.services().timers().schedule(this::requestSync, delay + 5, TimeUnit.MILLISECONDS);
    }

    // ---- adoption ----

    /** Takes over what a previous kubelet left: the pod's sandbox and its containers (latest attempt per name). */
    void adopt(List<SandboxStatus> sandboxes, List<ContainerStatus> containers) {
        run(() -> {
            for (SandboxStatus s : sandboxes) {
                if (sandbox == null && s.ready()) {
                    sandbox = s;
                } else {
                    runtime.removeSandbox(s.id());
                }
            }
            Map<String, List<ContainerStatus>> byName = new HashMap<>();
            for (ContainerStatus c : containers) {
                byName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c);
            }
            byName.forEach((containerName, attempts) -> {
                attempts.sort(Comparator.comparingInt(ContainerStatus::attempt).reversed());
                ContainerStatus latest = attempts.get(0);
                ContainerRecord rec = record(containerName, isInit(containerName));
                rec.containerId = latest.id();
                rec.status = latest;
                rec.attempt = latest.attempt();
                rec.previous = attempts.size() > 1 ? attempts.get(1) : null;
                for (int i = 2; i < attempts.size(); i++) {
                    runtime.removeContainer(attempts.get(i).id());
                }
                JsonNode spec = containerJson(pod, containerName);
                rec.started = Json.at(spec, "startupProbe") == null;
                rec.ready = Json.at(spec, "readinessProbe") == null;
                rec.log = kubelet.logs().open(namespace, name, uid, containerName, rec.attempt);
                if (latest.running()) {
                    rec.log.reopen();
                    Instant since = lastLogTime(rec.log);
                    rec.output = runtime.followOutput(latest.id(), since, outputSink(rec));
                } else {
                    rec.log.end();
                }
                LOG.info("Pod {}/{}: adopted container {} ({}, attempt {})", namespace, name, containerName, latest.state(), latest.attempt());
            });
            if (sandbox != null && volumes == null && kubelet.config().rootDir() != null) {
                volumes = existingVolumes();
            }
            for (ContainerRecord rec : records.values()) {
                if (rec.spec == null && sandbox != null) {
                    try {
                        rec.spec = containerSpec(pod, containerJson(pod, rec.name), rec);
                    } catch (ConfigError | RuntimeException e) {
                        LOG.debug("Pod {}/{}: no spec for adopted container {}: {}", namespace, name, rec.name, e.toString());
                    }
                }
            }
        });
    }

    private static Instant lastLogTime(ContainerLog log) {
        List<LogEntry> entries = log.entries();
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).timestamp().plusNanos(1);
    }

    private Map<String, Path> existingVolumes() {
        try {
            return new PodVolumes(kubelet.objects()).prepare(pod, podDir(), facts());
        } catch (ConfigError e) {
            return null;
        }
    }

    private boolean isInit(String containerName) {
        return PodSpecs.initContainers(pod).stream().anyMatch(c -> containerName.equals(Json.text(c, "name")));
    }

    // ---- sync ----

    private void sync() {
        if (finished) {
            return;
        }
        ObjectNode current = pod;
        try {
            if (deleted || PodSpecs.terminating(current)) {
                terminate(current);
                return;
            }
            refreshStatuses();
            if (terminalPhase != null) {
                stopAllProbes();
                releaseSandbox();
                report(current);
                return;
            }
            if (startTime == null) {
                startTime = Instant.now();
            }
            if (sandbox == null && !ensureSandbox(current)) {
                report(current);
                return;
            }
            if (volumes == null && !prepareVolumes(current)) {
                report(current);
                return;
            }
            podWaitingMessage = null;
            if (runInitContainers(current)) {
                runContainers(current);
            }
            report(current);
        } catch (RuntimeException e) {
            LOG.error("Pod {}/{}: sync failed; retrying", namespace, name, e);
            syncAt(Instant.now().plus(kubelet.config().backoffInitial()));
        }
    }

    private void refreshStatuses() {
        for (ContainerRecord rec : records.values()) {
            if (rec.containerId != null) {
                Optional<ContainerStatus> status = runtime.containerStatus(rec.containerId);
                if (status.isPresent()) {
                    ContainerStatus before = rec.status;
                    rec.status = status.get();
                    if (rec.status.exited() && (before == null || !before.exited())) {
                        rec.stopProbes();
                    }
                } else if (rec.status != null && !rec.status.exited()) {
                    // The runtime lost it (removed behind our back): count it as exited unknown.
                    rec.status = new ContainerStatus(rec.containerId, uid, namespace, name, rec.name, rec.attempt, null,
                            rec.status.image(), rec.status.imageId(), ContainerStatus.State.EXITED, rec.status.createdAt(),
                            rec.status.startedAt(), Instant.now(), 137, "ContainerStatusUnknown",
                            "The container could not be located when the pod was synced", -1);
                }
            }
        }
    }

    private boolean ensureSandbox(ObjectNode current) {
        try {
            Map<String, String> labels = new HashMap<>();
            labels.put(RuntimeLabels.POD_UID, uid);
            labels.put(RuntimeLabels.POD_NAME, name);
            labels.put(RuntimeLabels.POD_NAMESPACE, namespace);
            labels.put(RuntimeLabels.NODE, kubelet.nodeName());
            sandbox = runtime.runSandbox(new SandboxSpec(uid, namespace, name, EnvResolver.hostname(current),
                    Json.bool(Json.at(current, "spec"), "hostNetwork"), labels, Json.stringMap(current, "metadata", "annotations"),
                    PodDns.resolvConf(current, kubelet.podDns())));
            return true;
        } catch (RuntimeFailure e) {
            podWaitingMessage = "Failed to create pod sandbox: " + e.getMessage();
            LOG.warn("Pod {}/{}: {}", namespace, name, podWaitingMessage);
            syncAt(Instant.now().plus(kubelet.config().backoffInitial()));
            return false;
        }
    }

    private boolean prepareVolumes(ObjectNode current) {
        if (kubelet.config().rootDir() == null) {
            volumes = Map.of();
            return true;
        }
        try {
            volumes = new PodVolumes(kubelet.objects()).prepare(current, podDir(), facts());
            return true;
        } catch (ConfigError e) {
            podWaitingMessage = "MountVolume.SetUp failed: " + e.getMessage();
            syncAt(Instant.now().plus(kubelet.config().backoffInitial()));
            return false;
        }
    }

    Path podDir() {
        return kubelet.config().rootDir().resolve("pods").resolve(uid);
    }

    private EnvResolver.PodFacts facts() {
        return new EnvResolver.PodFacts(sandbox == null ? "" : sandbox.ip(), kubelet.hostIp(), kubelet.nodeName());
    }

    /** Runs the init containers in order; true once all of them succeeded. */
    private boolean runInitContainers(ObjectNode current) {
        String policy = PodSpecs.restartPolicy(current);
        for (JsonNode c : PodSpecs.initContainers(current)) {
            ContainerRecord rec = record(Json.text(c, "name"), true);
            if (rec.containerId == null) {
                start(current, c, rec);
                return false;
            }
            if (rec.exited()) {
                if (rec.status.exitCode() == 0) {
                    continue;
                }
                if (!"Never".equals(policy)) {
                    restart(current, c, rec);
                }
                return false;
            }
            return false;
        }
        return true;
    }

    private void runContainers(ObjectNode current) {
        String policy = PodSpecs.restartPolicy(current);
        for (JsonNode c : PodSpecs.containers(current)) {
            ContainerRecord rec = record(Json.text(c, "name"), false);
            if (rec.containerId == null) {
                start(current, c, rec);
            } else if (rec.running()) {
                ensureProbes(current, c, rec);
            } else if (rec.exited()) {
                boolean failed = rec.status.exitCode() != 0;
                if ("Always".equals(policy) || ("OnFailure".equals(policy) && failed)) {
                    restart(current, c, rec);
                }
            }
        }
    }

    private ContainerRecord record(String containerName, boolean init) {
        return records.computeIfAbsent(containerName, n -> {
            ContainerRecord rec = new ContainerRecord(n, init, kubelet.config().backoffInitial(), kubelet.config().backoffMax());
            rec.attempt = restartCountFromStatus(n, init);
            return rec;
        });
    }

    /** A pod whose containers are gone (the node restarted): go on counting from the restart count it showed. */
    private int restartCountFromStatus(String containerName, boolean init) {
        for (JsonNode cs : Json.list(pod, "status", init ? "initContainerStatuses" : "containerStatuses")) {
            if (containerName.equals(Json.text(cs, "name")) && Json.text(cs, "containerID") != null) {
                return (int) Json.longAt(cs, 0, "restartCount") + 1;
            }
        }
        return 0;
    }

    private void restart(ObjectNode current, JsonNode c, ContainerRecord rec) {
        Instant now = Instant.now();
        Instant finishedAt = rec.status.finishedAt() != null ? rec.status.finishedAt() : now;
        if (rec.backoff.inBackoff(finishedAt, now)) {
            rec.waiting("CrashLoopBackOff", "back-off " + io.kronika.kubelet.pod.Backoff.goDuration(rec.backoff.current())
                    + " restarting failed container=" + rec.name + " pod=" + name + "_" + namespace + "(" + uid + ")");
            syncAt(rec.backoff.until(finishedAt));
            return;
        }
        rec.backoff.next(now);
        if (rec.previous != null) {
            runtime.removeContainer(rec.previous.id());
            kubelet.logs().remove(namespace, name, uid, rec.name, rec.previous.attempt());
        }
        rec.previous = rec.status;
        rec.attempt = rec.status.attempt() + 1;
        rec.containerId = null;
        rec.status = null;
        rec.started = false;
        rec.ready = false;
        start(current, c, rec);
    }

    private void start(ObjectNode current, JsonNode c, ContainerRecord rec) {
        Instant now = Instant.now();
        if (rec.retryAt != null && now.isBefore(rec.retryAt)) {
            return;
        }
        rec.retryAt = null;
        String image = Json.textOr(c, "image", "");
        String policy = ImageRefs.pullPolicy(c);
        boolean present = runtime.imagePresent(image);
        if ("Never".equals(policy) && !present) {
            rec.waiting("ErrImageNeverPull", "Container image \"" + image + "\" is not present with pull policy of Never");
            return;
        }
        if ("Always".equals(policy) || !present) {
            if (rec.imageFailedAt != null && rec.imageBackoff.inBackoff(rec.imageFailedAt, now)) {
                rec.waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\"");
                syncAt(rec.imageBackoff.until(rec.imageFailedAt));
                return;
            }
            try {
                runtime.pullImage(image, pullAuth(current, image));
                rec.imageBackoff.reset();
                rec.imageFailedAt = null;
            } catch (ImagePullException e) {
                rec.imageBackoff.next(now);
                rec.imageFailedAt = now;
                rec.waiting("ErrImagePull", e.getMessage());
                // Show ErrImagePull, then ImagePullBackOff while waiting, then try again.
                syncAt(now.plus(min(Duration.ofSeconds(1), rec.imageBackoff.current().dividedBy(2))));
                return;
            }
        }
        ContainerSpec spec;
        try {
            spec = containerSpec(current, c, rec);
        } catch (ConfigError e) {
            rec.waiting("CreateContainerConfigError", e.getMessage());
            rec.retryAt = now.plus(kubelet.config().backoffInitial());
            syncAt(rec.retryAt);
            return;
        }
        try {
            String id = runtime.startContainer(sandbox, spec);
            rec.spec = spec;
            rec.containerId = id;
            rec.clearWaiting();
            rec.started = Json.at(c, "startupProbe") == null;
            rec.ready = Json.at(c, "readinessProbe") == null;
            rec.log = kubelet.logs().open(namespace, name, uid, rec.name, rec.attempt);
            rec.output = runtime.followOutput(id, null, outputSink(rec));
            rec.status = runtime.containerStatus(id).orElse(null);
            runPostStart(c, rec);
        } catch (RuntimeFailure e) {
            rec.waiting(e.reason(), e.getMessage());
            rec.backoff.next(now);
            rec.retryAt = now.plus(rec.backoff.current());
            syncAt(rec.retryAt);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private RegistryAuth pullAuth(ObjectNode current, String image) {
        for (JsonNode secretRef : Json.list(current, "spec", "imagePullSecrets")) {
            Optional<JsonNode> secret = kubelet.objects().get("Secret", namespace, Json.text(secretRef, "name"));
            if (secret.isPresent()) {
                RegistryAuth auth = ImageRefs.authFromSecret(image, secret.get());
                if (auth != null) {
                    return auth;
                }
            }
        }
        return null;
    }

    private ContainerSpec containerSpec(ObjectNode current, JsonNode c, ContainerRecord rec) throws ConfigError {
        List<ContainerSpec.EnvVar> env = new EnvResolver(kubelet.objects()).resolve(current, c, facts());
        List<Mount> mounts = volumes == null || volumes.isEmpty() ? List.of() : PodVolumes.mounts(c, volumes);
        List<String> command = c.has("command") ? EnvResolver.expandAll(Json.strings(c, "command"), env) : null;
        List<String> args = c.has("args") ? EnvResolver.expandAll(Json.strings(c, "args"), env) : null;
        Map<String, String> labels = new HashMap<>();
        labels.put(RuntimeLabels.POD_UID, uid);
        labels.put(RuntimeLabels.POD_NAME, name);
        labels.put(RuntimeLabels.POD_NAMESPACE, namespace);
        labels.put(RuntimeLabels.CONTAINER_NAME, rec.name);
        labels.put(RuntimeLabels.ATTEMPT, Integer.toString(rec.attempt));
        labels.put(RuntimeLabels.NODE, kubelet.nodeName());
        labels.put(RuntimeLabels.INIT, Boolean.toString(rec.init));
        labels.put(RuntimeLabels.GRACE, Long.toString(PodSpecs.terminationGraceSeconds(current)));
        return new ContainerSpec(uid, namespace, name, rec.name, rec.attempt, rec.init, Json.textOr(c, "image", ""),
                command, args, Json.text(c, "workingDir"), env, mounts,
                PodSpecs.cpuRequest(c), PodSpecs.cpuMillis(c, "limits"), PodSpecs.memoryRequest(c), PodSpecs.memoryBytes(c, "limits"),
                Json.bool(c, "stdin"), Json.bool(c, "stdinOnce"), Json.bool(c, "tty"), PodSpecs.restartPolicy(current),
                Json.stringMap(current, "metadata", "annotations"), labels);
    }

    private ContainerRuntime.OutputSink outputSink(ContainerRecord rec) {
        ContainerLog log = rec.log;
        int attempt = rec.attempt;
        boolean ship = kubelet.config().shipLogs();
        return new ContainerRuntime.OutputSink() {
            @Override
            public void line(Instant timestamp, boolean stderr, String line) {
                log.append(new LogEntry(timestamp, stderr, line));
                if (ship) {
                    kubelet.services().shipLog(LogLine.newBuilder()
                            .setNamespace(namespace).setPod(name).setPodUid(uid).setContainer(rec.name)
                            .setRestartCount(attempt).setStream(stderr ? LogStream.STDERR : LogStream.STDOUT)
                            .setTimestamp(timestamp).setLine(line).build());
                }
            }

            @Override
            public void ended() {
                log.end();
            }
        };
    }

    private void runPostStart(JsonNode c, ContainerRecord rec) {
        JsonNode hook = Json.at(c, "lifecycle", "postStart");
        if (hook != null && rec.containerId != null) {
            Probes.runHandler(this, rec, hook, Duration.ofSeconds(30));
        }
    }

    // ---- probes ----

    private void ensureProbes(ObjectNode current, JsonNode c, ContainerRecord rec) {
        if (rec.containerId.equals(rec.probesFor)) {
            return;
        }
        rec.stopProbes();
        rec.probesFor = rec.containerId;
        Probes.schedule(this, current, c, rec);
    }

    private void stopAllProbes() {
        records.values().forEach(ContainerRecord::stopProbes);
    }

    Kubelet kubelet() {
        return kubelet;
    }

    SandboxStatus sandbox() {
        return sandbox;
    }

    /** A liveness or startup probe failed: kill the container (the sync restarts it as its policy says). */
    void killForProbe(ContainerRecord rec, String containerId, String why, Duration grace) {
        run(() -> {
            if (!containerId.equals(rec.containerId) || !rec.running()) {
                return;
            }
            LOG.info("Pod {}/{}: container {} {}, will be restarted", namespace, name, rec.name, why);
            rec.stopProbes();
            CompletableFuture.runAsync(() -> runtime.stopContainer(containerId, grace), kubelet.services().blocking())
                    .whenComplete((v, e) -> requestSync());
        });
    }

    // ---- termination ----

    private void terminate(ObjectNode current) {
        if (terminationStarted) {
            return;
        }
        terminationStarted = true;
        stopAllProbes();
        Duration grace = PodSpecs.deletionGrace(current);
        Instant deadline = Instant.now().plus(grace);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        refreshStatuses();
        for (ContainerRecord rec : records.values()) {
            if (rec.containerId != null && rec.status != null && !rec.exited()) {
                String id = rec.containerId;
                JsonNode container = containerJson(current, rec.name);
                // preStop, then SIGTERM and SIGKILL at the deadline: on the blocking pool, all containers at once.
                stops.add(CompletableFuture.runAsync(() -> {
                    JsonNode preStop = Json.at(container, "lifecycle", "preStop");
                    if (preStop != null) {
                        Probes.runHandler(this, rec, preStop, remaining(deadline));
                    }
                    runtime.stopContainer(id, remaining(deadline));
                }, kubelet.services().blocking()));
            }
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                .orTimeout(grace.toMillis() + 30_000, TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.warn("Pod {}/{}: stopping its containers failed: {}", namespace, name, error.toString());
                    }
                    run(this::containersStopped);
                });
    }

    /** After the containers stopped: the final status, then the confirmation that lets the pod go. */
    private void containersStopped() {
        if (finished) {
            return;
        }
        refreshStatuses();
        if (deleted) {
            finishTermination();
            return;
        }
        if (terminalPhase == null) {
            terminalPhase = phaseOnTermination();
        }
        ObjectNode status = status(pod);
        CompletableFuture<?> statusSent = status.equals(lastSent) ? CompletableFuture.completedFuture(null)
                : kubelet.services().commands().submit(statusCommand(status));
        // Grace 0: the containers are stopped, the pod may go now (Kubernetes' kubelet does the same).
        Command confirm = Commands.builder(Operation.DELETE, ref, kubelet.actor()).setExpectedUid(uid).setGracePeriodSeconds(0L)
                .setCause("kubelet: the containers of the terminating pod have stopped").build();
        statusSent.handle((r, e) -> null)
                .thenCompose(x -> kubelet.services().commands().submit(confirm))
                .orTimeout(60, TimeUnit.SECONDS)
                .whenComplete((result, error) -> {
                    if (error != null) {
                        LOG.warn("Pod {}/{}: confirming its deletion failed: {}", namespace, name, error.toString());
                    }
                    run(this::finishTermination);
                });
    }

    private void finishTermination() {
        if (finished) {
            return;
        }
        cleanUp();
        finished = true;
        kubelet.forget(this);
        LOG.info("Pod {}/{} ({}) terminated on {}", namespace, name, uid, kubelet.nodeName());
    }

    private String phaseOnTermination() {
        boolean allSucceeded = true;
        for (ContainerRecord rec : records.values()) {
            if (!rec.init && (rec.status == null || !rec.exited() || rec.status.exitCode() != 0)) {
                allSucceeded = false;
            }
        }
        return allSucceeded && !records.isEmpty() ? "Succeeded" : "Failed";
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static JsonNode containerJson(JsonNode pod, String containerName) {
        for (JsonNode c : PodSpecs.concat(PodSpecs.initContainers(pod), PodSpecs.containers(pod))) {
            if (containerName.equals(Json.text(c, "name"))) {
                return c;
            }
        }
        return Json.object();
    }

    private void releaseSandbox() {
        if (sandbox != null) {
            runtime.stopSandbox(sandbox.id());
        }
    }

    private void cleanUp() {
        for (ContainerRecord rec : records.values()) {
            rec.closeOutput();
            if (rec.previous != null) {
                runtime.removeContainer(rec.previous.id());
            }
            if (rec.containerId != null) {
                runtime.removeContainer(rec.containerId);
            }
        }
        if (sandbox != null) {
            runtime.stopSandbox(sandbox.id());
            runtime.removeSandbox(sandbox.id());
        }
        kubelet.logs().removePod(namespace, name, uid);
        if (kubelet.config().rootDir() != null) {
            deleteRecursively(podDir());
        }
    }

    // ---- status ----

    private void report(ObjectNode current) {
        ObjectNode status = status(current);
        String phase = Json.text(status, "phase");
        if (("Succeeded".equals(phase) || "Failed".equals(phase)) && terminalPhase == null) {
            terminalPhase = phase;
            stopAllProbes();
            releaseSandbox();
        }
        send(status);
    }

    private void send(ObjectNode status) {
        if (status.equals(lastSent)) {
            return;
        }
        if (sending) {
            sendAgain = true;
            return;
        }
        sending = true;
        kubelet.services().commands().submit(statusCommand(status)).whenComplete((result, error) -> run(() -> {
            sending = false;
            if (error == null && result.getOutcome() == Outcome.ACCEPTED) {
                lastSent = status;
            } else if (error == null && (result.getCode() == 404 || result.getCode() == 409)) {
                LOG.debug("Pod {}/{}: status not taken ({}); the pod is gone or replaced", namespace, name, result.getReason());
            } else {
                LOG.debug("Pod {}/{}: status update failed: {}", namespace, name, error != null ? error.toString() : result.getMessage());
                syncAt(Instant.now().plusSeconds(1));
            }
            if (sendAgain) {
                sendAgain = false;
                requestSync();
            }
        }));
    }

    private Command statusCommand(ObjectNode status) {
        ObjectNode body = Json.object();
        body.put("apiVersion", "v1");
        body.put("kind", "Pod");
        ObjectNode meta = body.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        meta.put("uid", uid);
        body.set("status", status);
        return Commands.builder(Operation.UPDATE_STATUS, ref, kubelet.actor()).setObject(Json.write(body))
                .setExpectedUid(uid).setCause("kubelet status").build();
    }

    /** The pod's status from what this worker knows, as Kubernetes' generateAPIPodStatus builds it. */
    ObjectNode status(ObjectNode current) {
        ObjectNode status = Json.object();
        List<JsonNode> inits = PodSpecs.initContainers(current);
        List<JsonNode> containers = PodSpecs.containers(current);
        boolean initDone = true;
        List<String> incompleteInits = new ArrayList<>();
        ArrayNode initStatuses = Json.array();
        for (JsonNode c : inits) {
            String cname = Json.text(c, "name");
            ContainerRecord rec = records.get(cname);
            initStatuses.add(containerStatus(c, rec, true, false));
            if (rec == null || !rec.exited() || rec.status.exitCode() != 0) {
                initDone = false;
                incompleteInits.add(cname);
            }
        }
        ArrayNode statuses = Json.array();
        List<String> unready = new ArrayList<>();
        for (JsonNode c : containers) {
            ContainerRecord rec = records.get(Json.text(c, "name"));
            ObjectNode cs = containerStatus(c, rec, false, !initDone);
            statuses.add(cs);
            if (!cs.path("ready").asBoolean()) {
                unready.add(Json.text(c, "name"));
            }
        }
        String phase = terminalPhase != null ? terminalPhase : phase(current, initStatuses, statuses);
        status.put("phase", phase);
        boolean completed = "Succeeded".equals(phase) || "Failed".equals(phase);
        Instant now = Instant.now();
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "PodReadyToStartContainers", sandbox != null && !completed ? "True" : "False", null, null, now);
        condition(conditions, "Initialized", initDone ? "True" : "False", initDone ? null : "ContainersNotInitialized",
                initDone ? null : "containers with incomplete status: " + incompleteInits, now);
        boolean ready = unready.isEmpty() && !completed && !containers.isEmpty();
        String reason = completed ? "PodCompleted" : "ContainersNotReady";
        String message = completed ? null : "containers with unready status: " + unready;
        condition(conditions, "Ready", ready ? "True" : "False", ready ? null : reason, ready ? null : message, now);
        condition(conditions, "ContainersReady", ready ? "True" : "False", ready ? null : reason, ready ? null : message, now);
        condition(conditions, "PodScheduled", "True", null, null, now);
        if (podWaitingMessage != null) {
            status.put("message", podWaitingMessage);
        }
        String hostIp = kubelet.hostIp();
        status.put("hostIP", hostIp);
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        if (sandbox != null && sandbox.ip() != null && !sandbox.ip().isEmpty()) {
            status.put("podIP", sandbox.ip());
            status.putArray("podIPs").addObject().put("ip", sandbox.ip());
        } else {
            String previousIp = Json.text(current, "status", "podIP");
            if (previousIp != null && completed) {
                status.put("podIP", previousIp);
                status.putArray("podIPs").addObject().put("ip", previousIp);
            }
        }
        if (startTime != null) {
            status.put("startTime", Json.time(startTime));
        }
        if (!inits.isEmpty()) {
            status.set("initContainerStatuses", initStatuses);
        }
        status.set("containerStatuses", statuses);
        status.put("qosClass", PodSpecs.qosClass(current));
        return status;
    }

    private void condition(ArrayNode conditions, String type, String value, String reason, String message, Instant now) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", value);
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", conditionTransitions.lastTransitionTime(type, value, now));
        if (reason != null) {
            c.put("reason", reason);
        }
        if (message != null) {
            c.put("message", message);
        }
    }

    private ObjectNode containerStatus(JsonNode c, ContainerRecord rec, boolean init, boolean initPending) {
        ObjectNode cs = Json.object();
        String cname = Json.text(c, "name");
        cs.put("name", cname);
        String image = Json.textOr(c, "image", "");
        cs.put("image", image);
        cs.put("imageID", rec != null && rec.status != null && rec.status.imageId() != null ? rec.status.imageId() : "");
        ObjectNode state = cs.putObject("state");
        ObjectNode last = cs.putObject("lastState");
        boolean running = false;
        boolean started = false;
        if (rec == null || (rec.containerId == null && rec.status == null)) {
            String reason;
            String message = null;
            if (rec != null && rec.waitingReason != null) {
                reason = rec.waitingReason;
                message = rec.waitingMessage;
            } else {
                reason = (init || initPending) && !isFirstPendingInit(c, init) ? "PodInitializing" : "ContainerCreating";
            }
            ObjectNode waiting = state.putObject("waiting");
            waiting.put("reason", reason);
            if (message != null) {
                waiting.put("message", message);
            }
            if (rec != null && rec.previous != null) {
                last.set("terminated", terminated(rec.previous));
            }
        } else if (rec.status == null) {
            state.putObject("waiting").put("reason", "ContainerCreating");
            if (rec.previous != null) {
                last.set("terminated", terminated(rec.previous));
            }
        } else if (rec.status.running()) {
            running = true;
            state.putObject("running").put("startedAt", Json.time(orNow(rec.status.startedAt())));
            if (rec.previous != null) {
                last.set("terminated", terminated(rec.previous));
            }
        } else if (rec.status.exited()) {
            if (rec.waitingReason != null && terminalPhase == null) {
                ObjectNode waiting = state.putObject("waiting");
                waiting.put("reason", rec.waitingReason);
                if (rec.waitingMessage != null) {
                    waiting.put("message", rec.waitingMessage);
                }
                last.set("terminated", terminated(rec.status));
            } else {
                state.set("terminated", terminated(rec.status));
                if (rec.previous != null) {
                    last.set("terminated", terminated(rec.previous));
                }
            }
        } else {
            state.putObject("waiting").put("reason", "ContainerCreating");
            if (rec.previous != null) {
                last.set("terminated", terminated(rec.previous));
            }
        }
        if (rec != null && rec.status != null && rec.status.id() != null) {
            cs.put("containerID", runtime.type() + "://" + rec.status.id());
        }
        if (running) {
            started = rec.started;
        }
        cs.put("ready", running && rec.started && rec.ready && terminalPhase == null);
        cs.put("restartCount", rec == null ? 0 : restartCount(rec));
        cs.put("started", started);
        return cs;
    }

    private int restartCount(ContainerRecord rec) {
        if (rec.status != null) {
            return rec.status.attempt();
        }
        return rec.attempt;
    }

    private boolean isFirstPendingInit(JsonNode c, boolean init) {
        if (!init) {
            return false;
        }
        for (JsonNode i : PodSpecs.initContainers(pod)) {
            ContainerRecord rec = records.get(Json.text(i, "name"));
            if (rec == null || !rec.exited() || rec.status.exitCode() != 0) {
                return Json.text(i, "name").equals(Json.text(c, "name"));
            }
        }
        return false;
    }

    private static Instant orNow(Instant instant) {
        return instant == null ? Instant.now() : instant;
    }

    private ObjectNode terminated(ContainerStatus s) {
        ObjectNode t = Json.object();
        t.put("exitCode", s.exitCode());
        String reason = s.reason() != null ? s.reason() : (s.exitCode() == 0 ? "Completed" : "Error");
        t.put("reason", reason);
        if (s.message() != null && !s.message().isEmpty()) {
            t.put("message", s.message());
        }
        t.put("startedAt", Json.time(s.startedAt() != null ? s.startedAt() : orNow(s.createdAt())));
        t.put("finishedAt", Json.time(orNow(s.finishedAt())));
        t.put("containerID", runtime.type() + "://" + s.id());
        return t;
    }

    /** Kubernetes' getPhase over the container statuses just built. */
    static String phase(JsonNode pod, ArrayNode initStatuses, ArrayNode statuses) {
        String policy = PodSpecs.restartPolicy(pod);
        int pendingInit = 0;
        int failedInit = 0;
        for (JsonNode cs : initStatuses) {
            JsonNode state = cs.get("state");
            if (state.has("terminated")) {
                if (state.get("terminated").path("exitCode").asInt() != 0) {
                    failedInit++;
                }
            } else if (state.has("waiting") && cs.path("lastState").has("terminated")
                    && cs.path("lastState").get("terminated").path("exitCode").asInt() != 0) {
                failedInit++;
            } else {
                pendingInit++;
            }
        }
        if (failedInit > 0 && "Never".equals(policy)) {
            return "Failed";
        }
        if (pendingInit > 0 || failedInit > 0) {
            return "Pending";
        }
        int waiting = 0;
        int running = 0;
        int stopped = 0;
        int succeeded = 0;
        for (JsonNode cs : statuses) {
            JsonNode state = cs.get("state");
            if (state.has("running")) {
                running++;
            } else if (state.has("terminated")) {
                stopped++;
                if (state.get("terminated").path("exitCode").asInt() == 0) {
                    succeeded++;
                }
            } else if (state.has("waiting")) {
                if (cs.path("lastState").has("terminated")) {
                    stopped++;
                } else {
                    waiting++;
                }
            }
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if ("Always".equals(policy)) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            if ("Never".equals(policy)) {
                return "Failed";
            }
            return "Running";
        }
        return "Pending";
    }

    // ---- for the node endpoint ----

    /** The current (or, with {@code previous}, the last terminated) attempt's log of a container. */
    Optional<ContainerLog> log(String containerName, boolean previous) {
        CompletableFuture<Optional<ContainerLog>> answer = new CompletableFuture<>();
        run(() -> {
            ContainerRecord rec = records.get(containerName);
            if (rec == null) {
                answer.complete(Optional.empty());
                return;
            }
            if (previous) {
                answer.complete(rec.previous == null ? Optional.empty()
                        : kubelet.logs().find(namespace, name, uid, containerName, rec.previous.attempt()));
            } else {
                answer.complete(Optional.ofNullable(rec.log));
            }
        });
        return answer.join();
    }

    /** The id of a container's current attempt, if it has one. */
    Optional<String> containerId(String containerName) {
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        run(() -> {
            ContainerRecord rec = records.get(containerName);
            answer.complete(rec == null ? Optional.empty() : Optional.ofNullable(rec.containerId));
        });
        return answer.join();
    }

    /** The running containers' usage: container name → usage (from the runtime's figures by container id). */
    Map<String, ContainerRuntime.Usage> usage(Map<String, ContainerRuntime.Usage> byContainerId) {
        CompletableFuture<Map<String, ContainerRuntime.Usage>> answer = new CompletableFuture<>();
        run(() -> {
            Map<String, ContainerRuntime.Usage> usage = new LinkedHashMap<>();
            for (ContainerRecord rec : records.values()) {
                if (rec.containerId != null && byContainerId.containsKey(rec.containerId)) {
                    usage.put(rec.name, byContainerId.get(rec.containerId));
                }
            }
            answer.complete(usage);
        });
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of();
        }
    }

    Instant startTime() {
        return startTime;
    }

    String podIp() {
        SandboxStatus s = sandbox;
        return s == null ? null : s.ip();
    }

    boolean hasRunningContainers() {
        for (ContainerRecord rec : records.values()) {
            if (rec.running()) {
                return true;
            }
        }
        return false;
    }

    /** Stops tasks and followers without touching the containers (the kubelet is shutting down). */
    void detach() {
        finished = true;
        run(() -> records.values().forEach(rec -> {
            rec.stopProbes();
            rec.closeOutput();
        }));
    }
}
