package io.kronika.kubelet.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.kronika.kubelet.pod.ImageRefs;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.ContainerSpec;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.ExecResult;
import io.kronika.kubelet.runtime.ExecSession;
import io.kronika.kubelet.runtime.HostFacts;
import io.kronika.kubelet.runtime.ImagePullException;
import io.kronika.kubelet.runtime.Mount;
import io.kronika.kubelet.runtime.NodeFacts;
import io.kronika.kubelet.runtime.RegistryAuth;
import io.kronika.kubelet.runtime.RuntimeFailure;
import io.kronika.kubelet.runtime.RuntimeLabels;
import io.kronika.kubelet.runtime.SandboxSpec;
import io.kronika.kubelet.runtime.SandboxStatus;
import io.kronika.kubelet.runtime.StreamExecSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.kronika.kubelet.util.QuietIo.closeQuietly;

/**
 * Pods in a real Docker engine through docker-java, as dockershim ran them: a sandbox container per pod (its network,
 * IPC and hostname; the pod IP is its bridge address) and one container per Kubernetes container joined to it, with
 * the command, args, env, binds, memory limit and cpu quota the spec says. OOM kills are reported as OOMKilled.
 * Containers carry the kubelet's labels so a restarted kubelet adopts them; the engine's events wake the kubelet.
 */
public final class DockerRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /**
     * @param dockerHost            e.g. unix:///var/run/docker.sock
     * @param sandboxImage          the image of pod sandboxes (a local image with a sleep; nothing is pulled for it)
     * @param logMaxSize            the engine's json-file log size before rotation ("10m")
     * @param serviceClusterIpRange the ClusterIP range bridge-network pods route to the host when it is on the host's
     *                              loopback ({@link LoopbackServiceRoutes}); null: none
     */
    public record Settings(String dockerHost, String sandboxImage, String logMaxSize, int logMaxFiles, String serviceClusterIpRange) {
        public static final String DEFAULT_SERVICE_CLUSTER_IP_RANGE = "127.96.0.0/16";

        public Settings(String dockerHost, String sandboxImage, String logMaxSize, int logMaxFiles) {
            this(dockerHost, sandboxImage, logMaxSize, logMaxFiles, DEFAULT_SERVICE_CLUSTER_IP_RANGE);
        }

        public static Settings defaults() {
            return new Settings("unix:///var/run/docker.sock", "kronika/busybox:local", "10m", 3);
        }

        public Settings withServiceClusterIpRange(String range) {
            return new Settings(dockerHost, sandboxImage, logMaxSize, logMaxFiles, range);
        }
    }

    private final String nodeName;
    private final Settings settings;
    private final DockerClient docker;
    private final String version;
    private final Closeable events;
    private final LoopbackServiceRoutes serviceRoutes;
    private final Map<String, long[]> cpuSamples = new ConcurrentHashMap<>();
    private volatile Consumer<String> listener = uid -> { };

    public DockerRuntime(String nodeName, Settings settings) {
        this.nodeName = nodeName;
        this.settings = settings;
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(settings.dockerHost()).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(settings.dockerHost()))
                .maxConnections(64).connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofMinutes(10)).build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.version = "docker://" + docker.versionCmd().exec().getVersion();
        this.serviceRoutes = LoopbackServiceRoutes.prepare(settings.serviceClusterIpRange(), bridgeName());
        this.events = docker.eventsCmd().withEventFilter("die", "oom", "start").withLabelFilter(Map.of(RuntimeLabels.NODE, nodeName))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
                        String uid = attributes == null ? null : attributes.get(RuntimeLabels.POD_UID);
                        if (uid != null) {
                            listener.accept(uid);
                        }
                    }
                });
    }

    /** Whether a Docker engine answers at {@code dockerHost}. */
    public static boolean engineAnswers(String dockerHost) {
        try {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
            ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(dockerHost))
                    .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(5)).build();
            try (DockerClient client = DockerClientImpl.getInstance(config, http)) {
                client.pingCmd().exec();
                return true;
            }
        } catch (Exception | Error e) {
            return false;
        }
    }

    @Override
    public String type() {
        return "docker";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public NodeFacts nodeFacts() {
        Info info = docker.infoCmd().exec();
        NodeFacts host = HostFacts.read(null, null);
        return new NodeFacts(info.getNCPU() == null ? host.cpuMillis() : info.getNCPU() * 1000L,
                info.getMemTotal() == null ? host.memoryBytes() : info.getMemTotal(), host.ephemeralStorageBytes(), "linux",
                host.architecture(), info.getKernelVersion() == null ? host.kernelVersion() : info.getKernelVersion(),
                info.getOperatingSystem() == null ? host.osImage() : info.getOperatingSystem(), host.machineId(), host.bootId(), null);
    }

    @Override
    public void setListener(Consumer<String> containerChanged) {
        this.listener = containerChanged;
    }

    // ---- sandboxes ----

    @Override
    public SandboxStatus runSandbox(SandboxSpec spec) throws RuntimeFailure {
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(RuntimeLabels.KIND, "sandbox");
        labels.put(RuntimeLabels.NODE, nodeName);
        String name = "k8s_POD_" + spec.podName() + "_" + spec.namespace() + "_" + spec.podUid() + "_" + System.currentTimeMillis();
        HostConfig host = HostConfig.newHostConfig().withInit(true).withIpcMode("shareable")
                .withNetworkMode(spec.hostNetwork() ? "host" : "bridge");
        if (!spec.hostNetwork()) {
            host.withSysctls(serviceRoutes.sandboxSysctls());
        }
        if (spec.dns() != null) {
            // The pod's containers join this network namespace and with it share this resolv.conf. "." is Docker's
            // word for "no search domains" (an empty list would mean the host's).
            host.withDns(spec.dns().nameservers()).withDnsOptions(spec.dns().options())
                    .withDnsSearch(spec.dns().searches().isEmpty() ? List.of(".") : spec.dns().searches());
        }
        String id;
        InspectContainerResponse started;
        try {
            id = docker.createContainerCmd(settings.sandboxImage()).withName(truncate(name))
                    .withCmd("sleep", "2147483647").withHostName(truncate63(spec.hostname())).withLabels(labels)
                    .withHostConfig(host).exec().getId();
            docker.startContainerCmd(id).exec();
            started = docker.inspectContainerCmd(id).exec();
        } catch (RuntimeException e) {
            throw new RuntimeFailure("CreatePodSandboxError", "creating the pod sandbox failed: " + e.getMessage(), e);
        }
        if (!spec.hostNetwork()) {
            try {
                serviceRoutes.plumb(started.getState().getPidLong(), started.getNetworkSettings().getGateway());
            } catch (RuntimeFailure e) {
                remove(id);
                throw e;
            }
        }
        return sandboxStatus(started);
    }

    /** The Linux bridge of Docker's default network (docker0 unless the engine was told otherwise). */
    private String bridgeName() {
        try {
            Map<String, String> options = docker.inspectNetworkCmd().withNetworkId("bridge").exec().getOptions();
            String name = options == null ? null : options.get("com.docker.network.bridge.name");
            return name == null || name.isEmpty() ? "docker0" : name;
        } catch (RuntimeException e) {
            return "docker0";
        }
    }

    private static SandboxStatus sandboxStatus(InspectContainerResponse inspect) {
        Map<String, String> labels = inspect.getConfig().getLabels();
        String ip = null;
        if (inspect.getNetworkSettings() != null) {
            ip = inspect.getNetworkSettings().getIpAddress();
            if ((ip == null || ip.isEmpty()) && inspect.getNetworkSettings().getNetworks() != null) {
                for (ContainerNetwork net : inspect.getNetworkSettings().getNetworks().values()) {
                    if (net.getIpAddress() != null && !net.getIpAddress().isEmpty()) {
                        ip = net.getIpAddress();
                    }
                }
            }
        }
        boolean running = Boolean.TRUE.equals(inspect.getState().getRunning());
        return new SandboxStatus(inspect.getId(), labels.get(RuntimeLabels.POD_UID), labels.get(RuntimeLabels.POD_NAMESPACE),
                labels.get(RuntimeLabels.POD_NAME), ip == null || ip.isEmpty() ? "127.0.0.1" : ip, running, parseTime(inspect.getCreated()));
    }

    @Override
    public void stopSandbox(String sandboxId) {
        try {
            docker.stopContainerCmd(sandboxId).withTimeout(0).exec();
        } catch (NotFoundException ignored) {
            // gone
        } catch (RuntimeException e) {
            LOG.debug("Stopping sandbox {}: {}", sandboxId, e.toString());
        }
    }

    @Override
    public void removeSandbox(String sandboxId) {
        remove(sandboxId);
    }

    @Override
    public List<SandboxStatus> listSandboxes() {
        List<SandboxStatus> list = new ArrayList<>();
        for (Container c : list("sandbox")) {
            try {
                list.add(sandboxStatus(docker.inspectContainerCmd(c.getId()).exec()));
            } catch (NotFoundException ignored) {
                // removed meanwhile
            }
        }
        return list;
    }

    private List<Container> list(String kind) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RuntimeLabels.NODE, nodeName, RuntimeLabels.KIND, kind)).exec();
    }

    // ---- images ----

    @Override
    public boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pullImage(String image, RegistryAuth auth) throws ImagePullException {
        try {
            var pull = docker.pullImageCmd(image.contains("@") ? image : repository(image)).withTag(image.contains("@") ? null : ImageRefs.tag(image));
            if (auth != null) {
                pull = pull.withAuthConfig(new AuthConfig().withRegistryAddress(auth.registry()).withUsername(auth.username())
                        .withPassword(auth.password()));
            }
            if (!pull.exec(new PullImageResultCallback()).awaitCompletion(5, TimeUnit.MINUTES)) {
                throw new ImagePullException("pulling image \"" + image + "\" timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagePullException("pulling image \"" + image + "\" was interrupted");
        } catch (RuntimeException e) {
            throw new ImagePullException("failed to pull image \"" + image + "\": " + e.getMessage(), e);
        }
    }

    private static String repository(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }

    // ---- containers ----

    @Override
    public String startContainer(SandboxStatus sandbox, ContainerSpec spec) throws RuntimeFailure {
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(RuntimeLabels.KIND, "container");
        labels.put(RuntimeLabels.NODE, nodeName);
        labels.put(RuntimeLabels.SANDBOX_ID, sandbox.id());
        List<String> env = new ArrayList<>();
        spec.env().forEach(e -> env.add(e.name() + "=" + e.value()));
        List<Bind> binds = new ArrayList<>();
        for (Mount m : spec.mounts()) {
            binds.add(new Bind(m.hostPath(), new Volume(m.containerPath()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("container:" + sandbox.id())
                .withIpcMode("container:" + sandbox.id())
                .withBinds(binds)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", settings.logMaxSize(),
                        "max-file", Integer.toString(settings.logMaxFiles()))));
        if (spec.memoryLimitBytes() > 0) {
            host.withMemory(spec.memoryLimitBytes()).withMemorySwap(spec.memoryLimitBytes());
        }
        if (spec.cpuLimitMillis() > 0) {
            host.withCpuPeriod(100_000L).withCpuQuota(Math.max(1000L, spec.cpuLimitMillis() * 100));
        }
        if (spec.cpuRequestMillis() > 0) {
            host.withCpuShares((int) Math.max(2, spec.cpuRequestMillis() * 1024 / 1000));
        }
        String name = "k8s_" + spec.name() + "_" + spec.podName() + "_" + spec.namespace() + "_" + spec.podUid() + "_" + spec.attempt();
        String id;
        try {
            CreateContainerCmd create = docker.createContainerCmd(spec.image()).withName(truncate(name)).withLabels(labels)
                    .withEnv(env).withHostConfig(host).withTty(spec.tty()).withStdinOpen(spec.stdin()).withStdInOnce(spec.stdinOnce());
            if (spec.command() != null) {
                create.withEntrypoint(spec.command());
                create.withCmd(spec.args() == null ? List.of() : spec.args());
            } else if (spec.args() != null) {
                create.withCmd(spec.args());
            }
            if (spec.workingDir() != null) {
                create.withWorkingDir(spec.workingDir());
            }
            id = create.exec().getId();
        } catch (RuntimeException e) {
            throw new RuntimeFailure("CreateContainerError", e.getMessage(), e);
        }
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            // The container exists (created) and its inspect carries the error: reported as StartError.
            LOG.debug("Container {} of {}/{} did not start: {}", spec.name(), spec.namespace(), spec.podName(), e.getMessage());
        }
        return id;
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        try {
            docker.stopContainerCmd(containerId).withTimeout((int) Math.max(0, (grace.toMillis() + 999) / 1000)).exec();
        } catch (NotFoundException ignored) {
            // gone
        } catch (RuntimeException e) {
            LOG.debug("Stopping {}: {}", containerId, e.toString());
        }
    }

    @Override
    public void removeContainer(String containerId) {
        remove(containerId);
        cpuSamples.remove(containerId);
    }

    private void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException ignored) {
            // gone
        } catch (RuntimeException e) {
            LOG.debug("Removing {}: {}", id, e.toString());
        }
    }

    @Override
    public List<ContainerStatus> listContainers() {
        List<ContainerStatus> list = new ArrayList<>();
        for (Container c : list("container")) {
            containerStatus(c.getId()).ifPresent(list::add);
        }
        return list;
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        InspectContainerResponse inspect;
        try {
            inspect = docker.inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> labels = inspect.getConfig().getLabels();
        var state = inspect.getState();
        String status = state.getStatus();
        ContainerStatus.State s;
        int exitCode = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue();
        String reason = null;
        String message = null;
        Instant started = parseTime(state.getStartedAt());
        Instant finished = parseTime(state.getFinishedAt());
        if (Boolean.TRUE.equals(state.getRunning())) {
            s = ContainerStatus.State.RUNNING;
        } else if ("created".equals(status)) {
            if (state.getError() != null && !state.getError().isEmpty()) {
                s = ContainerStatus.State.EXITED;
                reason = "StartError";
                message = state.getError();
                exitCode = exitCode == 0 ? 128 : exitCode;
                finished = Instant.now();
                started = null;
            } else {
                s = ContainerStatus.State.CREATED;
            }
        } else if ("exited".equals(status) || "dead".equals(status)) {
            s = ContainerStatus.State.EXITED;
            if (Boolean.TRUE.equals(state.getOOMKilled())) {
                reason = "OOMKilled";
            } else if (state.getError() != null && !state.getError().isEmpty()) {
                reason = started == null ? "StartError" : "Error";
                message = state.getError();
            }
        } else {
            s = ContainerStatus.State.UNKNOWN;
        }
        String image = inspect.getConfig().getImage();
        return Optional.of(new ContainerStatus(inspect.getId(), labels.get(RuntimeLabels.POD_UID), labels.get(RuntimeLabels.POD_NAMESPACE),
                labels.get(RuntimeLabels.POD_NAME), labels.get(RuntimeLabels.CONTAINER_NAME),
                Integer.parseInt(labels.getOrDefault(RuntimeLabels.ATTEMPT, "0")), labels.get(RuntimeLabels.SANDBOX_ID), image,
                "docker-pullable://" + inspect.getImageId(), s, parseTime(inspect.getCreated()), started, finished, exitCode, reason, message,
                Long.parseLong(labels.getOrDefault(RuntimeLabels.GRACE, "-1"))));
    }

    // ---- exec, attach, output ----

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        try {
            String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ResultCallback.Adapter<Frame> callback = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    if (out.size() < 64 * 1024) {
                        out.writeBytes(frame.getPayload());
                    }
                }
            });
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                callback.close();
                return new ExecResult(-1, out.toString(StandardCharsets.UTF_8), true);
            }
            Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
            return new ExecResult(code == null ? -1 : code.intValue(), out.toString(StandardCharsets.UTF_8), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "interrupted", false);
        } catch (IOException | RuntimeException e) {
            return new ExecResult(126, String.valueOf(e.getMessage()), false);
        }
    }

    @Override
    public ExecSession exec(String containerId, List<String> command, boolean stdin, boolean tty) throws RuntimeFailure {
        try {
            String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new)).withTty(tty)
                    .withAttachStdin(stdin).withAttachStdout(true).withAttachStderr(true).exec().getId();
            Streams streams = new Streams(stdin, tty);
            var start = docker.execStartCmd(execId).withTty(tty);
            if (stdin) {
                start.withStdIn(streams.stdinSource);
            }
            ResultCallback.Adapter<Frame> callback = start.exec(streams.callback());
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            streams.done.whenComplete((v, e) -> {
                Long code = null;
                try {
                    code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
                } catch (RuntimeException ignored) {
                    // unknown
                }
                exit.complete(code == null ? -1 : code.intValue());
            });
            return streams.session(exit, callback, (w, h) -> {
                try {
                    docker.resizeExecCmd(execId).withSize(h, w).exec();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            });
        } catch (IOException | RuntimeException e) {
            throw new RuntimeFailure("RunContainerError", "exec failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ExecSession attach(String containerId, boolean stdin, boolean tty) throws RuntimeFailure {
        try {
            Streams streams = new Streams(stdin, tty);
            var attach = docker.attachContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true);
            if (stdin) {
                attach.withStdIn(streams.stdinSource);
            }
            ResultCallback.Adapter<Frame> callback = attach.exec(streams.callback());
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            streams.done.whenComplete((v, e) -> exit.complete(containerStatus(containerId).map(ContainerStatus::exitCode).orElse(-1)));
            return streams.session(exit, callback, (w, h) -> {
                try {
                    docker.resizeContainerCmd(containerId).withSize(h, w).exec();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            });
        } catch (IOException | RuntimeException e) {
            throw new RuntimeFailure("RunContainerError", "attach failed: " + e.getMessage(), e);
        }
    }

    /** Pipes between docker-java's frame callbacks and the streams an {@link ExecSession} hands out. */
    private static final class Streams {
        final boolean tty;
        final PipedOutputStream stdinSink;
        final PipedInputStream stdinSource;
        final PipedOutputStream outWriter = new PipedOutputStream();
        final PipedInputStream out;
        final PipedOutputStream errWriter = new PipedOutputStream();
        final PipedInputStream err;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Streams(boolean stdin, boolean tty) throws IOException {
            this.tty = tty;
            this.out = new PipedInputStream(outWriter, 64 * 1024);
            this.err = new PipedInputStream(errWriter, 64 * 1024);
            if (stdin) {
                stdinSink = new PipedOutputStream();
                stdinSource = new PipedInputStream(stdinSink, 64 * 1024);
            } else {
                stdinSink = null;
                stdinSource = null;
            }
        }

        ResultCallback.Adapter<Frame> callback() {
            return new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    try {
                        OutputStream target = frame.getStreamType() == StreamType.STDERR && !tty ? errWriter : outWriter;
                        target.write(frame.getPayload());
                        target.flush();
                    } catch (IOException ignored) {
                        // reader gone
                    }
                }

                @Override
                public void onComplete() {
                    finish();
                    super.onComplete();
                }

                @Override
                public void onError(Throwable throwable) {
                    finish();
                    super.onError(throwable);
                }
            };
        }

        void finish() {
            closeQuietly(outWriter);
            closeQuietly(errWriter);
            done.complete(null);
        }

        ExecSession session(CompletableFuture<Integer> exit, Closeable callback, java.util.function.BiConsumer<Integer, Integer> resize) {
            return new StreamExecSession(stdinSink, out, err, tty, exit, resize, () -> {
                closeQuietly(stdinSink);
                closeQuietly(callback);
                finish();
            });
        }
    }

    @Override
    public Closeable followOutput(String containerId, Instant since, OutputSink sink) {
        var logs = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true).withTimestamps(true);
        if (since != null) {
            logs.withSince((int) since.getEpochSecond());
        }
        Map<StreamType, StringBuilder> partial = new ConcurrentHashMap<>();
        ResultCallback.Adapter<Frame> callback = logs.exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                StringBuilder buffer = partial.computeIfAbsent(frame.getStreamType(), t -> new StringBuilder());
                buffer.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                int newline;
                while ((newline = buffer.indexOf("\n")) >= 0) {
                    emit(buffer.substring(0, newline), frame.getStreamType() == StreamType.STDERR);
                    buffer.delete(0, newline + 1);
                }
            }

            private void emit(String stamped, boolean stderr) {
                int space = stamped.indexOf(' ');
                Instant at = Instant.now();
                String line = stamped;
                if (space > 0) {
                    try {
                        at = Instant.parse(stamped.substring(0, space));
                        line = stamped.substring(space + 1);
                    } catch (RuntimeException ignored) {
                        // not stamped
                    }
                }
                if (since != null && at.isBefore(since)) {
                    return;
                }
                sink.line(at, stderr, line);
            }

            @Override
            public void onComplete() {
                partial.forEach((type, rest) -> {
                    if (rest.length() > 0) {
                        emit(rest.toString(), type == StreamType.STDERR);
                    }
                });
                sink.ended();
                super.onComplete();
            }

            @Override
            public void onError(Throwable throwable) {
                sink.ended();
                super.onError(throwable);
            }
        });
        return callback;
    }

    @Override
    public Map<String, Usage> usage() {
        Map<String, Usage> usage = new HashMap<>();
        for (Container c : list("container")) {
            if (!"running".equals(c.getState())) {
                continue;
            }
            long memory = readLong(Path.of("/sys/fs/cgroup/memory/docker", c.getId(), "memory.usage_in_bytes"));
            long cpuNanos = readLong(Path.of("/sys/fs/cgroup/cpuacct/docker", c.getId(), "cpuacct.usage"));
            long now = System.nanoTime();
            long[] previous = cpuSamples.put(c.getId(), new long[]{now, cpuNanos});
            long cpu = previous == null || now == previous[0] ? 0 : Math.max(0, (cpuNanos - previous[1]) * 1000 / (now - previous[0]));
            usage.put(c.getId(), new Usage(cpu, Math.max(0, memory)));
        }
        return usage;
    }

    private static long readLong(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        closeQuietly(events);
        closeQuietly(docker);
    }

    /** Removes every sandbox and container of this node (tests and teardown). */
    public void removeAll() {
        for (Container c : list("container")) {
            remove(c.getId());
        }
        for (Container c : list("sandbox")) {
            remove(c.getId());
        }
    }

    private static Instant parseTime(String text) {
        if (text == null || text.isEmpty() || text.startsWith(ZERO_TIME.substring(0, 10))) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String truncate(String name) {
        String clean = name.replaceAll("[^a-zA-Z0-9_.-]", "-");
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }

    private static String truncate63(String hostname) {
        return hostname.length() > 63 ? hostname.substring(0, 63) : hostname;
    }
}
