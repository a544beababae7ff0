package io.kronika.kubelet.runtime;

import java.time.Instant;

/**
 * A container as the runtime sees it. {@code reason} for an exited container: Completed, Error, OOMKilled,
 * StartError (could not start), or null to let the kubelet derive it from the exit code. {@code graceSeconds} is the
 * pod's terminationGracePeriodSeconds when the container was made (-1: unknown), for stopping orphans.
 */
public record ContainerStatus(String id, String podUid, String namespace, String podName, String name, int attempt,
                              String sandboxId, String image, String imageId, State state, Instant createdAt,
                              Instant startedAt, Instant finishedAt, int exitCode, String reason, String message,
                              long graceSeconds) {
    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }

    public boolean running() {
        return state == State.RUNNING;
    }

    public boolean exited() {
        return state == State.EXITED;
    }
}
