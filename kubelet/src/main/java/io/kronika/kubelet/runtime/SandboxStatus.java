package io.kronika.kubelet.runtime;

import java.time.Instant;

/** A pod sandbox: the pod's network identity (its IP). */
public record SandboxStatus(String id, String podUid, String namespace, String podName, String ip, boolean ready,
                            Instant createdAt) {
}
