package io.kronika.kubelet.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.kronika.kubelet.runtime.SandboxSpec;
import io.kronika.kubelet.runtime.SandboxStatus;
import io.kronika.kubelet.runtime.StreamExecSession;
import io.kronika.kubelet.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.RandomAccessFile;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.kronika.kubelet.util.QuietIo.closeQuietly;
import static io.kronika.kubelet.util.QuietIo.deleteRecursively;

/**
 * Containers as host processes, for machines without a container engine. Each container runs under a small shell
 * monitor ({@code container.sh}, started in its own session so it outlives the kubelet) that writes the output to
 * FIFOs the kubelet reads, forwards SIGTERM, and records the exit code, so that a restarted kubelet finds and adopts
 * its containers. Each pod gets its own loopback address (default range 127.1.0.0/16) as its IP. Volumes are bind
 * mounts in a private mount namespace (when running as root); memory and cpu limits are cgroup v1 limits where the
 * host allows, and the node says so otherwise. Images are not used: the container's command runs on the host; an
 * image whose reference names a registry host is checked by asking that registry (so unreachable registries give
 * ErrImagePull as they would).
 */
public final class ProcessRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final String[] CGROUP_CONTROLLERS = {"memory", "cpu", "cpuacct", "pids"};

    /**
     * @param stateDir  where containers and sandboxes are recorded (survives the kubelet)
     * @param ipamDir   the machine-wide directory of taken pod addresses
     * @param podCidr   the loopback range pods get addresses from
     * @param cgroupRoot the cgroup v1 mount point; null to not use cgroups
     */
    public record Settings(Path stateDir, Path ipamDir, String podCidr, Path cgroupRoot) {
        public static Settings defaults(Path stateDir) {
            return new Settings(stateDir, Path.of(System.getProperty("java.io.tmpdir"), "kronika-ipam"), "127.1.0.0/16",
                    Path.of("/sys/fs/cgroup"));
        }
    }

    private final String nodeName;
    private final Settings settings;
    private final Path monitor;
    private final Ipam ipam;
    private final boolean cgroups;
    private final String cgroupProblem;
    /** The LD_PRELOAD library that binds wildcard listeners to the pod's address, or null without a C compiler. */
    private final Path bindShim;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final Map<String, long[]> cpuSamples = new ConcurrentHashMap<>();
    private volatile Consumer<String> listener = uid -> { };

    /** What the runtime follows of one running container. */
    private final class Watch {
        final String id;
        final String podUid;
        final List<OutputSink> attached = new CopyOnWriteArrayList<>();
        volatile OutputSink sink;
        final AtomicInteger openStreams = new AtomicInteger(2);
        final CompletableFuture<Integer> exited = new CompletableFuture<>();
        final RandomAccessFile[] fifos = new RandomAccessFile[2];

        Watch(String id, String podUid) {
            this.id = id;
            this.podUid = podUid;
        }

        private final List<Object[]> pending = new ArrayList<>();

        synchronized void line(Instant at, boolean stderr, String line) {
            OutputSink s = sink;
            if (s != null) {
                s.line(at, stderr, line);
            } else if (pending.size() < 10_000) {
                pending.add(new Object[]{at, stderr, line});
            }
            for (OutputSink a : attached) {
                a.line(at, stderr, line);
            }
        }

        synchronized void streamEnded() {
            if (openStreams.decrementAndGet() == 0) {
                OutputSink s = sink;
                if (s != null) {
                    s.ended();
                }
                attached.forEach(OutputSink::ended);
            }
        }

        /** Hands what was written so far to the sink, then every later line. */
        synchronized void follow(OutputSink s) {
            for (Object[] p : pending) {
                s.line((Instant) p[0], (Boolean) p[1], (String) p[2]);
            }
            pending.clear();
            sink = s;
            if (openStreams.get() == 0) {
                s.ended();
            }
        }
    }

    public ProcessRuntime(String nodeName, Settings settings) {
        this.nodeName = nodeName;
        this.settings = settings;
        try {
            Files.createDirectories(settings.stateDir().resolve("containers"));
            Files.createDirectories(settings.stateDir().resolve("sandboxes"));
            monitor = settings.stateDir().resolve("container.sh");
            try (InputStream in = ProcessRuntime.class.getResourceAsStream("container.sh")) {
                Files.copy(in, monitor, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare the process runtime's state in " + settings.stateDir(), e);
        }
        this.ipam = new Ipam(settings.ipamDir(), settings.podCidr());
        this.bindShim = buildBindShim(settings.stateDir());
        String problem = checkCgroups();
        this.cgroups = problem == null;
        this.cgroupProblem = problem;
        for (String id : containerIds()) {
            readMeta(id).ifPresent(meta -> {
                if (monitorAlive(meta)) {
                    Watch watch = openWatch(id, Json.text(meta, "podUid"));
                    if (watch != null) {
                        followExit(watch, meta.path("monitorPid").asLong(-1));
                    }
                }
            });
        }
    }

    /** Compiles bindshim.c with the host's C compiler (once per state directory); null when there is none. */
    private static Path buildBindShim(Path stateDir) {
        Path library = stateDir.resolve("bindshim.so");
        if (Files.exists(library)) {
            return library;
        }
        try {
            Path source = stateDir.resolve("bindshim.c");
            try (InputStream in = ProcessRuntime.class.getResourceAsStream("bindshim.c")) {
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Path tmp = stateDir.resolve("bindshim.so.tmp");
            Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O2", "-o", tmp.toString(), source.toString(), "-ldl")
                    .redirectErrorStream(true).start();
            String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (cc.waitFor() != 0) {
                LOG.warn("No pod-address binding for process pods: compiling the bind shim failed: {}", output);
                return null;
            }
            Files.move(tmp, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return library;
        } catch (IOException e) {
            LOG.info("No pod-address binding for process pods (no C compiler: {}); processes must bind $POD_IP themselves", e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String checkCgroups() {
        if (settings.cgroupRoot() == null) {
            return "cgroups are switched off for this node";
        }
        for (String controller : new String[]{"memory", "cpu"}) {
            Path dir = nodeCgroup(controller);
            try {
                Files.createDirectories(dir);
                if (!Files.isWritable(dir.resolve("cgroup.procs"))) {
                    return "cgroup v1 " + controller + " at " + dir + " is not writable";
                }
            } catch (IOException | RuntimeException e) {
                return "no writable cgroup v1 " + controller + " hierarchy under " + settings.cgroupRoot() + " (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    private Path nodeCgroup(String controller) {
        return settings.cgroupRoot().resolve(controller).resolve("kronika").resolve(nodeName.replace('/', '_'));
    }

    @Override
    public String type() {
        return "process";
    }

    @Override
    public String version() {
        return "process://0.1.0";
    }

    @Override
    public NodeFacts nodeFacts() {
        return HostFacts.read(settings.stateDir(), null);
    }

    @Override
    public void setListener(Consumer<String> containerChanged) {
        this.listener = containerChanged;
    }

    @Override
    public LimitsSupport limitsSupport() {
        return cgroups
                ? new LimitsSupport(true, "cpu and memory limits are enforced with cgroup v1")
                : new LimitsSupport(false, "requests and limits are not enforced: " + cgroupProblem);
    }

    // ---- sandboxes ----

    @Override
    public SandboxStatus runSandbox(SandboxSpec spec) throws RuntimeFailure {
        for (SandboxStatus existing : listSandboxes()) {
            if (existing.podUid().equals(spec.podUid()) && existing.ready()) {
                return existing;
            }
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        String ip;
        try {
            ip = ipam.allocate(nodeName + "/" + id);
        } catch (IOException e) {
            throw new RuntimeFailure("CreatePodSandboxError", "allocating a pod address failed: " + e.getMessage(), e);
        }
        ObjectNode meta = Json.object();
        meta.put("id", id).put("podUid", spec.podUid()).put("namespace", spec.namespace()).put("podName", spec.podName())
                .put("ip", ip).put("ready", true).put("createdAt", Instant.now().toString());
        writeJson(sandboxFile(id), meta);
        return sandboxStatus(meta);
    }

    private Path sandboxFile(String id) {
        return settings.stateDir().resolve("sandboxes").resolve(id + ".json");
    }

    private static SandboxStatus sandboxStatus(JsonNode meta) {
        return new SandboxStatus(Json.text(meta, "id"), Json.text(meta, "podUid"), Json.text(meta, "namespace"),
                Json.text(meta, "podName"), Json.text(meta, "ip"), meta.path("ready").asBoolean(), Instant.parse(Json.text(meta, "createdAt")));
    }

    @Override
    public synchronized void stopSandbox(String sandboxId) {
        readJson(sandboxFile(sandboxId)).ifPresent(meta -> {
            if (meta.path("ready").asBoolean()) {
                ipam.release(Json.text(meta, "ip"));
                meta.put("ready", false);
                writeJson(sandboxFile(sandboxId), meta);
            }
        });
    }

    @Override
    public void removeSandbox(String sandboxId) {
        stopSandbox(sandboxId);
        try {
            Files.deleteIfExists(sandboxFile(sandboxId));
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public List<SandboxStatus> listSandboxes() {
        List<SandboxStatus> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(settings.stateDir().resolve("sandboxes"))) {
            files.filter(f -> f.toString().endsWith(".json")).forEach(f -> readJson(f).ifPresent(m -> list.add(sandboxStatus(m))));
        } catch (IOException ignored) {
            // none
        }
        return list;
    }

    // ---- images ----

    @Override
    public boolean imagePresent(String image) {
        return !ImageRefs.namesRegistry(image);
    }

    /** Asks the registry the image names (its /v2/ endpoint) with the credentials; nothing is downloaded. */
    @Override
    public void pullImage(String image, RegistryAuth auth) throws ImagePullException {
        if (!ImageRefs.namesRegistry(image)) {
            return;
        }
        String registry = ImageRefs.registry(image);
        List<String> errors = new ArrayList<>();
        for (String scheme : new String[]{"https", "http"}) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(scheme + "://" + registry + "/v2/").toURL().openConnection();
                connection.setConnectTimeout(3000);
                connection.setReadTimeout(3000);
                if (auth != null && auth.username() != null) {
                    connection.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8)));
                }
                int code = connection.getResponseCode();
                connection.disconnect();
                if (code == 200) {
                    return;
                }
                errors.add(scheme + ": HTTP " + code);
                if (code == 401) {
                    throw new ImagePullException("failed to pull image \"" + image + "\": unauthorized: authentication required");
                }
            } catch (IOException e) {
                errors.add(scheme + ": " + e.getMessage());
            }
        }
        throw new ImagePullException("failed to pull and unpack image \"" + image + "\": failed to resolve reference \""
                + image + "\": failed to do request: Head \"https://" + registry + "/v2/\": " + String.join("; ", errors));
    }

    // ---- containers ----

    @Override
    public String startContainer(SandboxStatus sandbox, ContainerSpec spec) throws RuntimeFailure {
        List<String> commandLine = spec.commandLine();
        if (commandLine.isEmpty()) {
            throw new RuntimeFailure("CreateContainerError", "the process runtime runs host commands: container \""
                    + spec.name() + "\" needs a command (images are not run)");
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        Path dir = containerDir(id);
        Map<String, String> env = new HashMap<>();
        for (ContainerSpec.EnvVar var : spec.env()) {
            env.put(var.name(), var.value());
        }
        env.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        env.putIfAbsent("HOME", System.getProperty("user.home", "/"));
        if (bindShim != null && sandbox.ip() != null) {
            env.put("KRONIKA_POD_IP", sandbox.ip());
            String preload = env.get("LD_PRELOAD");
            env.put("LD_PRELOAD", preload == null || preload.isEmpty() ? bindShim.toString() : bindShim + ":" + preload);
        }
        ObjectNode meta = Json.object();
        meta.put("id", id).put("podUid", spec.podUid()).put("namespace", spec.namespace()).put("podName", spec.podName())
                .put("name", spec.name()).put("attempt", spec.attempt()).put("sandboxId", sandbox.id())
                .put("image", spec.image()).put("createdAt", Instant.now().toString()).put("mountNamespace", !spec.mounts().isEmpty())
                .put("workingDir", spec.workingDir() == null ? "/" : spec.workingDir()).put("memoryLimit", spec.memoryLimitBytes())
                .put("graceSeconds", Long.parseLong(spec.labels().getOrDefault(io.kronika.kubelet.runtime.RuntimeLabels.GRACE, "-1")));
        ObjectNode envJson = meta.putObject("env");
        env.forEach(envJson::put);
        try {
            Files.createDirectories(dir);
            mkfifo(dir.resolve("stdout"));
            mkfifo(dir.resolve("stderr"));
            if (spec.stdin()) {
                mkfifo(dir.resolve("stdin"));
            }
            StringBuilder mounts = new StringBuilder();
            for (Mount m : spec.mounts()) {
                mounts.append(m.hostPath()).append('\t').append(m.containerPath()).append('\t').append(m.readOnly() ? "ro" : "rw").append('\n');
            }
            Files.writeString(dir.resolve("mounts"), mounts);
        } catch (IOException e) {
            throw new RuntimeFailure("CreateContainerError", "preparing the container failed: " + e.getMessage(), e);
        }
        String executable = resolve(commandLine.get(0), env.get("PATH"));
        if (executable == null) {
            meta.put("startError", "exec: \"" + commandLine.get(0) + "\": executable file not found in $PATH");
            writeJson(dir.resolve("meta.json"), meta);
            writeString(dir.resolve("exit"), "128");
            return id;
        }
        List<String> cgroupFiles = new ArrayList<>();
        if (cgroups) {
            cgroupFiles = createCgroups(id, spec);
        }
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        if (!spec.mounts().isEmpty()) {
            argv.addAll(List.of("unshare", "-m", "--propagation", "private"));
        }
        argv.add("/bin/sh");
        argv.add(monitor.toString());
        argv.add(dir.toString());
        argv.addAll(cgroupFiles);
        argv.add("--");
        argv.addAll(commandLine);
        Watch watch = openWatch(id, spec.podUid());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(env);
        File workingDir = new File(spec.workingDir() == null ? "/" : spec.workingDir());
        builder.directory(workingDir.isDirectory() ? workingDir : new File("/"));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("monitor.log").toFile()));
        builder.redirectErrorStream(true);
        writeJson(dir.resolve("meta.json"), meta);
        try {
            builder.start();
        } catch (IOException e) {
            meta.put("startError", e.getMessage());
            writeJson(dir.resolve("meta.json"), meta);
            writeString(dir.resolve("exit"), "128");
            if (watch != null) {
                endOutput(watch);
            }
            return id;
        }
        // The monitor records its pid first thing; wait for it (bounded) so that status and stop know the process.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(dir.resolve("pid")) && !Files.exists(dir.resolve("exit")) && System.nanoTime() < deadline) {
            sleepQuietly(2);
        }
        long monitorPid = readLong(dir.resolve("monitor.pid"), -1);
        ProcessHandle.of(monitorPid).flatMap(h -> h.info().startInstant())
                .ifPresent(started -> meta.put("monitorStart", started.toEpochMilli()));
        meta.put("monitorPid", monitorPid);
        meta.put("startedAt", Instant.now().toString());
        writeJson(dir.resolve("meta.json"), meta);
        if (watch != null) {
            followExit(watch, monitorPid);
        }
        return id;
    }

    private List<String> createCgroups(String id, ContainerSpec spec) {
        List<String> files = new ArrayList<>();
        for (String controller : CGROUP_CONTROLLERS) {
            Path dir = nodeCgroup(controller).resolve(id);
            try {
                Files.createDirectories(dir);
                if (controller.equals("memory") && spec.memoryLimitBytes() > 0) {
                    Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(spec.memoryLimitBytes()));
                    Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
                    if (Files.exists(memsw)) {
                        try {
                            Files.writeString(memsw, Long.toString(spec.memoryLimitBytes()));
                        } catch (IOException ignored) {
                            // swap accounting off
                        }
                    }
                }
                if (controller.equals("cpu")) {
                    if (spec.cpuLimitMillis() > 0) {
                        Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000");
                        Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(Math.max(1000, spec.cpuLimitMillis() * 100)));
                    }
                    if (spec.cpuRequestMillis() > 0) {
                        Files.writeString(dir.resolve("cpu.shares"), Long.toString(Math.max(2, spec.cpuRequestMillis() * 1024 / 1000)));
                    }
                }
                files.add(dir.resolve("cgroup.procs").toString());
            } catch (IOException e) {
                LOG.debug("cgroup {} for {}: {}", controller, id, e.toString());
            }
        }
        return files;
    }

    private void removeCgroups(String id) {
        if (settings.cgroupRoot() == null) {
            return;
        }
        for (String controller : CGROUP_CONTROLLERS) {
            Path dir = nodeCgroup(controller).resolve(id);
            // Killed processes leave the cgroup a moment after the signal: wait (bounded) until it is empty.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (Files.isDirectory(dir) && !dir.toFile().delete() && System.nanoTime() < deadline) {
                sleepQuietly(20);
            }
        }
    }

    /** Marks the end of a container's output in its FIFOs: written by the runtime after the monitor exited. */
    private static final byte[] END = "\u0001KRONIKA-EOF\u0001\n".getBytes(StandardCharsets.UTF_8);

    /**
     * Opens a container's output FIFOs for reading and writing (never blocks, and keeps what the container wrote
     * even when it ends before anyone reads) and starts reading them.
     */
    private Watch openWatch(String id, String podUid) {
        Watch watch = new Watch(id, podUid);
        if (watches.putIfAbsent(id, watch) != null) {
            return null;
        }
        String[] streams = {"stdout", "stderr"};
        for (int i = 0; i < 2; i++) {
            boolean stderr = i == 1;
            try {
                watch.fifos[i] = new RandomAccessFile(containerDir(id).resolve(streams[i]).toFile(), "rw");
            } catch (IOException e) {
                LOG.warn("Cannot open the {} of container {}: {}", streams[i], id, e.toString());
                watch.streamEnded();
                continue;
            }
            RandomAccessFile fifo = watch.fifos[i];
            Thread reader = new Thread(() -> readLines(watch, fifo, stderr), "process-output-" + id.substring(0, 8) + "-" + streams[i]);
            reader.setDaemon(true);
            reader.start();
        }
        return watch;
    }

    private static void readLines(Watch watch, RandomAccessFile fifo, boolean stderr) {
        try (InputStream in = new FileInputStream(fifo.getFD())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            outer:
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    int marker = END.length - 1;
                    if (bytes.length >= marker && java.util.Arrays.equals(bytes, bytes.length - marker, bytes.length, END, 0, marker)) {
                        if (bytes.length > marker) {
                            watch.line(Instant.now(), stderr, new String(bytes, 0, bytes.length - marker, StandardCharsets.UTF_8));
                        }
                        break outer;
                    }
                    watch.line(Instant.now(), stderr, new String(bytes, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            LOG.debug("Reading output of {} ended: {}", watch.id, e.toString());
        } finally {
            try {
                fifo.close();
            } catch (IOException ignored) {
                // closing
            }
            watch.streamEnded();
        }
    }

    private void followExit(Watch watch, long monitorPid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(monitorPid);
        if (handle.isEmpty()) {
            exited(watch.id, watch);
            return;
        }
        handle.get().onExit().whenComplete((h, e) -> exited(watch.id, watch));
    }

    private static void endOutput(Watch watch) {
        for (RandomAccessFile fifo : watch.fifos) {
            if (fifo != null) {
                try {
                    fifo.write(END);
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }

    private void exited(String id, Watch watch) {
        Path dir = containerDir(id);
        // Everything the container wrote is in the FIFOs now; the marker after it ends the readers.
        endOutput(watch);
        if (!Files.exists(dir.resolve("exit")) && Files.exists(dir)) {
            writeString(dir.resolve("exit"), "137");
            writeString(dir.resolve("reason"), "Error");
        }
        if (oomKilled(id)) {
            writeString(dir.resolve("reason"), "OOMKilled");
        }
        watch.exited.complete((int) readLong(dir.resolve("exit"), -1));
        listener.accept(watch.podUid);
    }

    private boolean oomKilled(String id) {
        if (!cgroups) {
            return false;
        }
        Path control = nodeCgroup("memory").resolve(id).resolve("memory.oom_control");
        try {
            for (String line : Files.readAllLines(control)) {
                if (line.startsWith("oom_kill ") && Long.parseLong(line.substring(9).trim()) > 0) {
                    return true;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not known
        }
        return false;
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        Optional<ObjectNode> meta = readMeta(containerId);
        if (meta.isEmpty() || !monitorAlive(meta.get())) {
            return;
        }
        Path dir = containerDir(containerId);
        long monitorPid = meta.get().path("monitorPid").asLong(-1);
        ProcessHandle.of(monitorPid).ifPresent(ProcessHandle::destroy);
        if (awaitExit(dir, grace)) {
            return;
        }
        killAll(containerId, dir);
        if (!awaitExit(dir, Duration.ofSeconds(5))) {
            ProcessHandle.of(monitorPid).ifPresent(ProcessHandle::destroyForcibly);
            awaitExit(dir, Duration.ofSeconds(2));
            if (!Files.exists(dir.resolve("exit"))) {
                writeString(dir.resolve("exit"), "137");
            }
        }
    }

    /** SIGKILL to every process of the container: its cgroup's members, else the main process and its descendants. */
    private void killAll(String id, Path dir) {
        List<Long> pids = new ArrayList<>();
        if (cgroups) {
            try {
                for (String line : Files.readAllLines(nodeCgroup("pids").resolve(id).resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // fall back below
            }
        }
        long child = readLong(dir.resolve("pid"), -1);
        ProcessHandle.of(child).ifPresent(h -> {
            h.descendants().forEach(d -> pids.add(d.pid()));
            pids.add(h.pid());
        });
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean awaitExit(Path dir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(dir.resolve("exit"))) {
                return true;
            }
            sleepQuietly(20);
        }
        return Files.exists(dir.resolve("exit"));
    }

    @Override
    public void removeContainer(String containerId) {
        Optional<ObjectNode> meta = readMeta(containerId);
        if (meta.isPresent() && monitorAlive(meta.get())) {
            stopContainer(containerId, Duration.ZERO);
        }
        watches.remove(containerId);
        cpuSamples.remove(containerId);
        removeCgroups(containerId);
        deleteRecursively(containerDir(containerId));
    }

    @Override
    public List<ContainerStatus> listContainers() {
        List<ContainerStatus> list = new ArrayList<>();
        for (String id : containerIds()) {
            containerStatus(id).ifPresent(list::add);
        }
        return list;
    }

    private List<String> containerIds() {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(settings.stateDir().resolve("containers"))) {
            dirs.filter(d -> Files.exists(d.resolve("meta.json"))).forEach(d -> ids.add(d.getFileName().toString()));
        } catch (IOException ignored) {
            // none
        }
        return ids;
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        Optional<ObjectNode> found = readMeta(containerId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode meta = found.get();
        Path dir = containerDir(containerId);
        Instant created = Instant.parse(Json.text(meta, "createdAt"));
        Instant started = Json.text(meta, "startedAt") == null ? null : Instant.parse(Json.text(meta, "startedAt"));
        ContainerStatus.State state;
        int exitCode = 0;
        String reason = null;
        String message = null;
        Instant finished = null;
        if (Files.exists(dir.resolve("exit"))) {
            state = ContainerStatus.State.EXITED;
            exitCode = (int) readLong(dir.resolve("exit"), -1);
            finished = modified(dir.resolve("exit"));
            if (Json.text(meta, "startError") != null || Files.exists(dir.resolve("start-error")) && exitCode == 128) {
                reason = "StartError";
                message = Json.text(meta, "startError") != null ? Json.text(meta, "startError") : readString(dir.resolve("start-error"));
                started = null;
            } else if (Files.exists(dir.resolve("reason"))) {
                reason = readString(dir.resolve("reason")).trim();
            }
        } else if (monitorAlive(meta)) {
            state = Files.exists(dir.resolve("pid")) ? ContainerStatus.State.RUNNING : ContainerStatus.State.CREATED;
        } else if (Json.text(meta, "startedAt") == null) {
            state = ContainerStatus.State.CREATED;
        } else {
            state = ContainerStatus.State.EXITED;
            exitCode = 137;
            reason = "Error";
            message = "the container's monitor process is gone";
            finished = Instant.now();
        }
        return Optional.of(new ContainerStatus(containerId, Json.text(meta, "podUid"), Json.text(meta, "namespace"),
                Json.text(meta, "podName"), Json.text(meta, "name"), meta.path("attempt").asInt(), Json.text(meta, "sandboxId"),
                Json.text(meta, "image"), "process://" + Json.text(meta, "image"), state, created, started, finished, exitCode, reason, message,
                meta.path("graceSeconds").asLong(-1)));
    }

    private boolean monitorAlive(JsonNode meta) {
        long pid = meta.path("monitorPid").asLong(-1);
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        long expected = meta.path("monitorStart").asLong(-1);
        if (expected < 0) {
            return true;
        }
        return handle.get().info().startInstant().map(i -> Math.abs(i.toEpochMilli() - expected) < 2000).orElse(true);
    }

    // ---- exec, attach, output ----

    private List<String> execArgv(String containerId, ObjectNode meta, List<String> command) {
        List<String> argv = new ArrayList<>();
        if (meta.path("mountNamespace").asBoolean()) {
            long child = readLong(containerDir(containerId).resolve("pid"), -1);
            argv.addAll(List.of("nsenter", "-t", Long.toString(child), "-m", "--"));
        }
        argv.addAll(command);
        return argv;
    }

    private ProcessBuilder execBuilder(String containerId, ObjectNode meta, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(execArgv(containerId, meta, command));
        builder.environment().clear();
        meta.path("env").fields().forEachRemaining(e -> builder.environment().put(e.getKey(), e.getValue().asText()));
        File wd = new File(Json.textOr(meta, "workingDir", "/"));
        builder.directory(wd.isDirectory() ? wd : new File("/"));
        return builder;
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        Optional<ObjectNode> meta = readMeta(containerId);
        if (meta.isEmpty() || !monitorAlive(meta.get())) {
            return new ExecResult(-1, "container is not running", false);
        }
        try {
            Process process = execBuilder(containerId, meta.get(), command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        if (out.size() < 64 * 1024) {
                            out.write(buffer, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new ExecResult(-1, out.toString(StandardCharsets.UTF_8), true);
            }
            reader.join(1000);
            return new ExecResult(process.exitValue(), out.toString(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            return new ExecResult(126, e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "interrupted", false);
        }
    }

    @Override
    public ExecSession exec(String containerId, List<String> command, boolean stdin, boolean tty) throws RuntimeFailure {
        Optional<ObjectNode> meta = readMeta(containerId);
        if (meta.isEmpty() || !monitorAlive(meta.get())) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        List<String> cmd = command;
        if (tty) {
            // A pseudo-terminal through script(1): the closest a JVM gets to a tty.
            cmd = List.of("script", "-q", "-f", "-e", "-c", shellJoin(command), "/dev/null");
        }
        Process process;
        try {
            process = execBuilder(containerId, meta.get(), cmd).redirectErrorStream(tty).start();
        } catch (IOException e) {
            throw new RuntimeFailure("RunContainerError", "exec failed: " + e.getMessage(), e);
        }
        if (!stdin) {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // closed
            }
        }
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return stdin ? process.getOutputStream() : null;
            }

            @Override
            public InputStream stdout() {
                return process.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return tty ? null : process.getErrorStream();
            }

            @Override
            public CompletableFuture<Integer> exitCode() {
                return process.onExit().thenApply(Process::exitValue);
            }

            @Override
            public void close() {
                if (process.isAlive()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        };
    }

    private static String shellJoin(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String part : command) {
            sb.append(sb.length() == 0 ? "" : " ").append('\'').append(part.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    @Override
    public ExecSession attach(String containerId, boolean stdin, boolean tty) throws RuntimeFailure {
        Watch watch = watches.get(containerId);
        if (watch == null) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        try {
            PipedOutputStream outWriter = new PipedOutputStream();
            PipedInputStream out = new PipedInputStream(outWriter, 64 * 1024);
            PipedOutputStream errWriter = new PipedOutputStream();
            PipedInputStream err = new PipedInputStream(errWriter, 64 * 1024);
            OutputSink sink = new OutputSink() {
                @Override
                public void line(Instant timestamp, boolean stderr, String line) {
                    try {
                        (stderr && !tty ? errWriter : outWriter).write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        (stderr && !tty ? errWriter : outWriter).flush();
                    } catch (IOException ignored) {
                        // the client went away
                    }
                }

                @Override
                public void ended() {
                    closeQuietly(outWriter);
                    closeQuietly(errWriter);
                }
            };
            watch.attached.add(sink);
            Path stdinFifo = containerDir(containerId).resolve("stdin");
            OutputStream in = stdin && Files.exists(stdinFifo) ? new java.io.FileOutputStream(new RandomAccessFile(stdinFifo.toFile(), "rw").getFD()) : null;
            return new StreamExecSession(in, out, err, tty, watch.exited, () -> {
                watch.attached.remove(sink);
                sink.ended();
                closeQuietly(in);
            });
        } catch (IOException e) {
            throw new RuntimeFailure("RunContainerError", "attach failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Closeable followOutput(String containerId, Instant since, OutputSink sink) {
        Watch watch = watches.get(containerId);
        if (watch == null) {
            Optional<ContainerStatus> status = containerStatus(containerId);
            status.ifPresent(s -> {
                if (s.reason() != null && s.reason().equals("StartError") && s.message() != null) {
                    sink.line(Instant.now(), true, s.message());
                }
            });
            sink.ended();
            return () -> { };
        }
        watch.follow(sink);
        return () -> watch.sink = null;
    }

    @Override
    public Map<String, Usage> usage() {
        Map<String, Usage> usage = new HashMap<>();
        for (Watch watch : watches.values()) {
            if (watch.exited.isDone()) {
                continue;
            }
            usage.put(watch.id, new Usage(cpuMillis(watch.id), memoryBytes(watch.id)));
        }
        return usage;
    }

    private long memoryBytes(String id) {
        if (cgroups) {
            return readLong(nodeCgroup("memory").resolve(id).resolve("memory.usage_in_bytes"), 0);
        }
        long pid = readLong(containerDir(id).resolve("pid"), -1);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // gone
        }
        return 0;
    }

    private long cpuMillis(String id) {
        if (!cgroups) {
            return 0;
        }
        long nanos = readLong(nodeCgroup("cpuacct").resolve(id).resolve("cpuacct.usage"), -1);
        if (nanos < 0) {
            return 0;
        }
        long now = System.nanoTime();
        long[] previous = cpuSamples.put(id, new long[]{now, nanos});
        if (previous == null || now == previous[0]) {
            return 0;
        }
        return Math.max(0, (nanos - previous[1]) * 1000 / (now - previous[0]));
    }

    @Override
    public void close() {
        // Containers outlive the runtime object, as they outlive the kubelet.
    }

    /** Stops every container and releases every address of this node (tests and `kronika down` use it). */
    public void removeAll() {
        for (String id : containerIds()) {
            removeContainer(id);
        }
        for (SandboxStatus s : listSandboxes()) {
            removeSandbox(s.id());
        }
        if (settings.cgroupRoot() != null) {
            for (String controller : CGROUP_CONTROLLERS) {
                nodeCgroup(controller).toFile().delete();
            }
        }
    }

    // ---- files ----

    private Path containerDir(String id) {
        return settings.stateDir().resolve("containers").resolve(id);
    }

    private Optional<ObjectNode> readMeta(String id) {
        return readJson(containerDir(id).resolve("meta.json"));
    }

    private static Optional<ObjectNode> readJson(Path file) {
        try {
            return Optional.of(Json.parse(Files.readString(file)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void writeJson(Path file, JsonNode json) {
        writeString(file, Json.write(json));
    }

    private static void writeString(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + Thread.currentThread().getId());
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static long readLong(Path file, long fallback) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    private static void mkfifo(Path path) throws IOException {
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + path + " failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String resolve(String command, String path) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command)) ? command : null;
        }
        for (String dir : (path == null ? "" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return null;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
