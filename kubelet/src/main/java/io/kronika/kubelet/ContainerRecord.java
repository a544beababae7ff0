package io.kronika.kubelet;

import io.kronika.kubelet.logs.ContainerLog;
import io.kronika.kubelet.pod.Backoff;
import io.kronika.kubelet.runtime.ContainerSpec;
import io.kronika.kubelet.runtime.ContainerStatus;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** What a pod worker knows of one of the pod's containers across its attempts. Owned by the pod's worker. */
final class ContainerRecord {
    final String name;
    final boolean init;
    /** Attempt (restart count) of the current container, or of the next one while there is none. */
    int attempt;
    String containerId;
    ContainerStatus status;
    /** The previous attempt, once it terminated: lastState. */
    ContainerStatus previous;
    ContainerSpec spec;
    final Backoff backoff;
    final Backoff imageBackoff;
    Instant imageFailedAt;
    /** No new start before this (after a start or configuration failure). */
    Instant retryAt;
    String waitingReason;
    String waitingMessage;
    ContainerLog log;
    Closeable output;
    /** Whether the startup probe passed (true without one). */
    volatile boolean started;
    /** Whether the readiness probe passes (true without one). */
    volatile boolean ready;
    final List<ScheduledFuture<?>> probes = new ArrayList<>();
    String probesFor;

    ContainerRecord(String name, boolean init, Duration backoffInitial, Duration backoffMax) {
        this.name = name;
        this.init = init;
        this.backoff = new Backoff(backoffInitial, backoffMax);
        this.imageBackoff = new Backoff(backoffInitial, backoffMax);
    }

    void waiting(String reason, String message) {
        this.waitingReason = reason;
        this.waitingMessage = message;
    }

    void clearWaiting() {
        waitingReason = null;
        waitingMessage = null;
    }

    boolean running() {
        return status != null && status.running();
    }

    boolean exited() {
        return status != null && status.exited();
    }

    void stopProbes() {
        probes.forEach(p -> p.cancel(false));
        probes.clear();
        probesFor = null;
    }

    void closeOutput() {
        if (output != null) {
            try {
                output.close();
            } catch (Exception ignored) {
                // closing
            }
            output = null;
        }
    }
}
