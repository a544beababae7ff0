package io.kronika.kubelet.runtime.sim;

import io.kronika.kubelet.pod.ImageRefs;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.ContainerSpec;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.ExecResult;
import io.kronika.kubelet.runtime.ExecSession;
import io.kronika.kubelet.runtime.ImagePullException;
import io.kronika.kubelet.runtime.NodeFacts;
import io.kronika.kubelet.runtime.RegistryAuth;
import io.kronika.kubelet.runtime.RuntimeFailure;
import io.kronika.kubelet.runtime.SandboxSpec;
import io.kronika.kubelet.runtime.SandboxStatus;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A simulated runtime, as KWOK simulates nodes: nothing runs, containers only move through their states on timers,
 * so thousands of nodes fit in one JVM. A container is running after {@code startDelay}; with restartPolicy Never
 * or OnFailure it exits 0 after {@code runDuration}; with Always it runs until stopped. Pod annotations change that
 * per pod: {@value #EXIT_CODE} (exit with this code after the run duration, whatever the policy),
 * {@value #RUN_DURATION} and {@value #START_DELAY} (Go durations: 500ms, 3s, 1m), {@value #IGNORE_SIGTERM} (stopping
 * takes the whole grace period). Failure rates make containers crash ({@code crashRate}) or pulls fail
 * ({@code pullFailureRate}); images from a registry under {@code .invalid} never pull. Usage figures follow the
 * requests.
 */
public final class SimRuntime implements ContainerRuntime {
    public static final String EXIT_CODE = "sim.kronika.io/exit-code";
    public static final String RUN_DURATION = "sim.kronika.io/run-duration";
    public static final String START_DELAY = "sim.kronika.io/start-delay";
    public static final String IGNORE_SIGTERM = "sim.kronika.io/ignore-sigterm";
    public static final String PROBE_FAIL = "sim.kronika.io/fail-probes";

    private static final AtomicInteger NEXT_BLOCK = new AtomicInteger();

    /**
     * @param cpuMillis       node capacity
     * @param memoryBytes     node capacity
     * @param startDelay      created → running
     * @param runDuration     how long containers that end (Never, OnFailure, exit-code annotation) run
     * @param crashRate       probability that a container exits with code 1 after its run duration
     * @param pullFailureRate probability that an image pull fails
     * @param seed            of the random choices
     */
    public record Settings(long cpuMillis, long memoryBytes, Duration startDelay, Duration runDuration, double crashRate,
                           double pullFailureRate, long seed) {
        public static Settings defaults() {
            return new Settings(32_000, 256L << 30, Duration.ofMillis(200), Duration.ofSeconds(5), 0, 0, 1);
        }

        public Settings withDelays(Duration startDelay, Duration runDuration) {
            return new Settings(cpuMillis, memoryBytes, startDelay, runDuration, crashRate, pullFailureRate, seed);
        }

        public Settings withFailureRates(double crashRate, double pullFailureRate) {
            return new Settings(cpuMillis, memoryBytes, startDelay, runDuration, crashRate, pullFailureRate, seed);
        }

        public Settings withCapacity(long cpuMillis, long memoryBytes) {
            return new Settings(cpuMillis, memoryBytes, startDelay, runDuration, crashRate, pullFailureRate, seed);
        }
    }

    private final String nodeName;
    private final Settings settings;
    private final ScheduledExecutorService timers;
    private final Random random;
    private final int block;
    private final BitSet usedIps = new BitSet(256);
    private final Map<String, SimSandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, SimContainer> containers = new ConcurrentHashMap<>();
    private volatile Consumer<String> listener = uid -> { };

    private static final class SimSandbox {
        final SandboxStatus status;
        volatile boolean ready = true;

        SimSandbox(SandboxStatus status) {
            this.status = status;
        }
    }

    private final class SimContainer {
        final ContainerSpec spec;
        final String id;
        final String sandboxId;
        final Instant createdAt = Instant.now();
        volatile ContainerStatus.State state = ContainerStatus.State.CREATED;
        volatile Instant startedAt;
        volatile Instant finishedAt;
        volatile int exitCode;
        volatile String reason;
        volatile OutputSink sink;
        final List<String> pendingLines = new ArrayList<>();
        ScheduledFuture<?> timer;
        final long cpu;
        final long memory;

        SimContainer(ContainerSpec spec, String sandboxId) {
            this.spec = spec;
            this.sandboxId = sandboxId;
            this.id = UUID.randomUUID().toString().replace("-", "");
            Random r = new Random(id.hashCode());
            this.cpu = spec.cpuRequestMillis() > 0 ? (long) (spec.cpuRequestMillis() * (0.3 + 0.6 * r.nextDouble())) : 1 + r.nextInt(20);
            this.memory = spec.memoryRequestBytes() > 0 ? (long) (spec.memoryRequestBytes() * (0.3 + 0.6 * r.nextDouble()))
                    : (4L << 20) + r.nextInt(28 << 20);
        }

        synchronized void emit(String line) {
            if (sink != null) {
                sink.line(Instant.now(), false, line);
            } else {
                pendingLines.add(line);
            }
        }

        ContainerStatus status() {
            return new ContainerStatus(id, spec.podUid(), spec.namespace(), spec.podName(), spec.name(), spec.attempt(),
                    sandboxId, spec.image(), "sim://" + spec.image(), state, createdAt, startedAt, finishedAt, exitCode, reason, null,
                    Long.parseLong(spec.labels().getOrDefault(io.kronika.kubelet.runtime.RuntimeLabels.GRACE, "-1")));
        }
    }

    public SimRuntime(String nodeName, Settings settings, ScheduledExecutorService timers) {
        this.nodeName = nodeName;
        this.settings = settings;
        this.timers = timers;
        this.random = new Random(settings.seed() ^ nodeName.hashCode());
        this.block = NEXT_BLOCK.getAndIncrement() % (64 * 256);
    }

    @Override
    public String type() {
        return "sim";
    }

    @Override
    public String version() {
        return "sim://0.1.0";
    }

    @Override
    public NodeFacts nodeFacts() {
        return new NodeFacts(settings.cpuMillis(), settings.memoryBytes(), 100L << 30, "linux", "amd64", "5.15.0-sim",
                "Kronika simulated node", UUID.nameUUIDFromBytes(("machine:" + nodeName).getBytes()).toString().replace("-", ""),
                UUID.nameUUIDFromBytes(("boot:" + nodeName).getBytes()).toString(), "127.0.0.1");
    }

    @Override
    public void setListener(Consumer<String> containerChanged) {
        this.listener = containerChanged;
    }

    @Override
    public LimitsSupport limitsSupport() {
        return new LimitsSupport(true, "simulated: limits are bookkeeping only");
    }

    // ---- sandboxes ----

    @Override
    public synchronized SandboxStatus runSandbox(SandboxSpec spec) {
        for (SimSandbox existing : sandboxes.values()) {
            if (existing.status.podUid().equals(spec.podUid()) && existing.ready) {
                return existing.status;
            }
        }
        int host = usedIps.nextClearBit(1);
        if (host > 254) {
            host = 1 + random.nextInt(254);
        }
        usedIps.set(host);
        // Loopback addresses nobody listens on: 127.64.0.0/10, one /24 per simulated node.
        String ip = "127." + (64 + block / 256) + "." + (block % 256) + "." + host;
        SandboxStatus status = new SandboxStatus(UUID.randomUUID().toString().replace("-", ""), spec.podUid(),
                spec.namespace(), spec.podName(), ip, true, Instant.now());
        sandboxes.put(status.id(), new SimSandbox(status));
        return status;
    }

    @Override
    public synchronized void stopSandbox(String sandboxId) {
        SimSandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox != null && sandbox.ready) {
            sandbox.ready = false;
            String ip = sandbox.status.ip();
            usedIps.clear(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)));
        }
    }

    @Override
    public void removeSandbox(String sandboxId) {
        stopSandbox(sandboxId);
        sandboxes.remove(sandboxId);
    }

    @Override
    public List<SandboxStatus> listSandboxes() {
        List<SandboxStatus> list = new ArrayList<>();
        for (SimSandbox s : sandboxes.values()) {
            SandboxStatus st = s.status;
            list.add(new SandboxStatus(st.id(), st.podUid(), st.namespace(), st.podName(), st.ip(), s.ready, st.createdAt()));
        }
        return list;
    }

    // ---- images ----

    @Override
    public boolean imagePresent(String image) {
        return !unpullable(image);
    }

    private static boolean unpullable(String image) {
        String registry = ImageRefs.registry(image);
        String host = registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.endsWith(".invalid");
    }

    @Override
    public void pullImage(String image, RegistryAuth auth) throws ImagePullException {
        if (unpullable(image)) {
            throw new ImagePullException("failed to pull and unpack image \"" + image + "\": failed to resolve reference: dial tcp: lookup "
                    + ImageRefs.registry(image) + ": no such host");
        }
        if (settings.pullFailureRate() > 0 && chance(settings.pullFailureRate())) {
            throw new ImagePullException("failed to pull image \"" + image + "\": simulated pull failure");
        }
    }

    private synchronized boolean chance(double p) {
        return random.nextDouble() < p;
    }

    // ---- containers ----

    @Override
    public String startContainer(SandboxStatus sandbox, ContainerSpec spec) throws RuntimeFailure {
        SimContainer c = new SimContainer(spec, sandbox.id());
        containers.put(c.id, c);
        Duration startDelay = duration(spec.podAnnotations().get(START_DELAY), settings.startDelay());
        c.timer = timers.schedule(() -> running(c), startDelay.toMillis(), TimeUnit.MILLISECONDS);
        return c.id;
    }

    private void running(SimContainer c) {
        synchronized (c) {
            if (c.state != ContainerStatus.State.CREATED) {
                return;
            }
            c.state = ContainerStatus.State.RUNNING;
            c.startedAt = Instant.now();
        }
        c.emit("simulated container " + c.spec.name() + " started (attempt " + c.spec.attempt() + ")");
        listener.accept(c.spec.podUid());
        Map<String, String> annotations = c.spec.podAnnotations();
        Duration run = duration(annotations.get(RUN_DURATION), settings.runDuration());
        Integer exitCode = null;
        if (c.spec.init()) {
            exitCode = 0;
            run = Duration.ZERO;
        } else if (annotations.containsKey(EXIT_CODE)) {
            exitCode = parseInt(annotations.get(EXIT_CODE), 1);
        } else if (settings.crashRate() > 0 && chance(settings.crashRate())) {
            exitCode = 1;
        } else if (!"Always".equals(c.spec.restartPolicy())) {
            exitCode = 0;
        }
        if (exitCode != null) {
            int code = exitCode;
            synchronized (c) {
                c.timer = timers.schedule(() -> exit(c, code, null), run.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void exit(SimContainer c, int code, String reason) {
        synchronized (c) {
            if (c.state == ContainerStatus.State.EXITED) {
                return;
            }
            if (c.timer != null) {
                c.timer.cancel(false);
            }
            c.state = ContainerStatus.State.EXITED;
            c.exitCode = code;
            c.reason = reason;
            c.finishedAt = Instant.now();
            if (c.startedAt == null) {
                c.startedAt = c.finishedAt;
            }
        }
        c.emit("simulated container " + c.spec.name() + " exited with code " + code);
        OutputSink sink = c.sink;
        if (sink != null) {
            sink.ended();
        }
        listener.accept(c.spec.podUid());
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        SimContainer c = containers.get(containerId);
        if (c == null || c.state == ContainerStatus.State.EXITED) {
            return;
        }
        if ("true".equals(c.spec.podAnnotations().get(IGNORE_SIGTERM)) && !grace.isZero()) {
            CompletableFuture<Void> killed = new CompletableFuture<>();
            timers.schedule(() -> killed.complete(null), grace.toMillis(), TimeUnit.MILLISECONDS);
            killed.join();
            exit(c, 137, "Error");
            return;
        }
        exit(c, 143, "Error");
    }

    @Override
    public void removeContainer(String containerId) {
        SimContainer c = containers.remove(containerId);
        if (c != null && c.timer != null) {
            c.timer.cancel(false);
        }
    }

    @Override
    public List<ContainerStatus> listContainers() {
        List<ContainerStatus> list = new ArrayList<>();
        containers.values().forEach(c -> list.add(c.status()));
        return list;
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        SimContainer c = containers.get(containerId);
        return c == null ? Optional.empty() : Optional.of(c.status());
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        SimContainer c = containers.get(containerId);
        if (c == null || c.state != ContainerStatus.State.RUNNING) {
            return new ExecResult(-1, "container is not running", false);
        }
        boolean fail = "true".equals(c.spec.podAnnotations().get(PROBE_FAIL));
        return new ExecResult(fail ? 1 : 0, "", false);
    }

    @Override
    public ProbeAnswer simulatedProbe(ContainerSpec container, String probeKind) {
        boolean fail = "true".equals(container.podAnnotations().get(PROBE_FAIL));
        return new ProbeAnswer(!fail, fail ? "simulated probe failure" : "simulated");
    }

    @Override
    public boolean podNetworkReachable() {
        return false;
    }

    @Override
    public ExecSession exec(String containerId, List<String> command, boolean stdin, boolean tty) throws RuntimeFailure {
        SimContainer c = containers.get(containerId);
        if (c == null || c.state != ContainerStatus.State.RUNNING) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        String out = "simulated exec in " + c.spec.name() + ": " + String.join(" ", command) + "\n";
        return fixedSession(out);
    }

    @Override
    public ExecSession attach(String containerId, boolean stdin, boolean tty) throws RuntimeFailure {
        return exec(containerId, List.of("attach"), stdin, tty);
    }

    private static ExecSession fixedSession(String out) {
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public java.io.InputStream stdout() {
                return new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public java.io.InputStream stderr() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public CompletableFuture<Integer> exitCode() {
                return CompletableFuture.completedFuture(0);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Closeable followOutput(String containerId, Instant since, OutputSink sink) {
        SimContainer c = containers.get(containerId);
        if (c == null) {
            sink.ended();
            return () -> { };
        }
        synchronized (c) {
            for (String line : c.pendingLines) {
                sink.line(Instant.now(), false, line);
            }
            c.pendingLines.clear();
            c.sink = sink;
            if (c.state == ContainerStatus.State.EXITED) {
                sink.ended();
            }
        }
        return () -> c.sink = null;
    }

    @Override
    public Map<String, Usage> usage() {
        Map<String, Usage> usage = new HashMap<>();
        for (SimContainer c : containers.values()) {
            if (c.state == ContainerStatus.State.RUNNING) {
                usage.put(c.id, new Usage(c.cpu, c.memory));
            }
        }
        return usage;
    }

    @Override
    public void close() {
        containers.values().forEach(c -> {
            if (c.timer != null) {
                c.timer.cancel(false);
            }
        });
        containers.clear();
        sandboxes.clear();
    }

    /** Go-style durations: 500ms, 3s, 2m, 1h; a bare number is seconds. */
    public static Duration duration(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            if (t.endsWith("h")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
