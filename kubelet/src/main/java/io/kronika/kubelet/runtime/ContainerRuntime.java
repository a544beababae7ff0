package io.kronika.kubelet.runtime;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the kubelet needs from a container runtime, shaped like Kubernetes' CRI: pod sandboxes (the pod's network
 * identity), images, containers, exec and output. One instance serves one node. Every container the runtime makes
 * carries the pod's uid, the container's name and its attempt (the restart count) so that a restarted kubelet can
 * find and adopt what it left running.
 *
 * <p>Calls may block (the docker engine, a process stopping within its grace period); the kubelet calls them from
 * its worker threads, never from a timer or the event feed.
 */
public interface ContainerRuntime extends AutoCloseable {
    /** {@code docker}, {@code process} or {@code sim}. */
    String type();

    /** As Kubernetes' nodeInfo.containerRuntimeVersion: {@code docker://28.2.2}. */
    String version();

    /** Capacity and identity of the machine this runtime runs containers on. */
    NodeFacts nodeFacts();

    /** Told the uid of a pod one of whose containers changed state on its own (exited, was killed). */
    void setListener(Consumer<String> containerChanged);

    /** Whether requests and limits are enforced, and if not why (shown in the node's conditions). */
    default LimitsSupport limitsSupport() {
        return new LimitsSupport(true, "the runtime enforces cpu and memory limits");
    }

    // ---- sandboxes ----

    SandboxStatus runSandbox(SandboxSpec spec) throws RuntimeFailure;

    /** Stops the sandbox and releases its IP; idempotent. */
    void stopSandbox(String sandboxId);

    void removeSandbox(String sandboxId);

    List<SandboxStatus> listSandboxes();

    // ---- images ----

    boolean imagePresent(String image);

    /** Pulls an image; {@code auth} may be null. Throws with the registry's answer when it can not. */
    void pullImage(String image, RegistryAuth auth) throws ImagePullException;

    // ---- containers ----

    /**
     * Creates and starts a container in the sandbox and returns its id. A container that was created but could not
     * start is reported by {@link #containerStatus} as exited with reason {@code StartError}; a container that could
     * not even be created throws.
     */
    String startContainer(SandboxStatus sandbox, ContainerSpec spec) throws RuntimeFailure;

    /** SIGTERM (or the image's stop signal), up to {@code grace}, then SIGKILL; returns once it has stopped. */
    void stopContainer(String containerId, Duration grace);

    void removeContainer(String containerId);

    /** Every container this runtime holds for this node, running or exited. */
    List<ContainerStatus> listContainers();

    Optional<ContainerStatus> containerStatus(String containerId);

    /** Runs a command in a running container and waits for it (exec probes, preStop hooks). */
    ExecResult execSync(String containerId, List<String> command, Duration timeout);

    /** Starts an interactive command in a running container (kubectl exec). */
    ExecSession exec(String containerId, List<String> command, boolean stdin, boolean tty) throws RuntimeFailure;

    /** Connects to the main process's stdin and output (kubectl attach). */
    ExecSession attach(String containerId, boolean stdin, boolean tty) throws RuntimeFailure;

    /**
     * Follows what the container writes, from its start (or from {@code since}, when the kubelet resumes after a
     * restart), line by line, until it exits or the returned handle is closed. Called once per container.
     */
    Closeable followOutput(String containerId, Instant since, OutputSink sink);

    /** Usage of each running container (keyed by container id): cpu in millicores, memory in bytes. */
    Map<String, Usage> usage();

    /** Whether the kubelet can connect to the pod's IP for probes and port-forward; the sim runtime can not. */
    default boolean podNetworkReachable() {
        return true;
    }

    /**
     * Answers a probe the kubelet can not run against a real endpoint (sim runtime); {@code null} means
     * "run it for real".
     */
    default ProbeAnswer simulatedProbe(ContainerSpec container, String probeKind) {
        return null;
    }

    @Override
    void close();

    record ProbeAnswer(boolean success, String message) {
    }

    record LimitsSupport(boolean enforced, String message) {
    }

    record Usage(long cpuMillis, long memoryBytes) {
    }

    /** Receives a container's output as lines (without the line end). */
    interface OutputSink {
        void line(Instant timestamp, boolean stderr, String line);

        /** The container's output ended (it exited); nothing follows. */
        default void ended() {
        }
    }
}
