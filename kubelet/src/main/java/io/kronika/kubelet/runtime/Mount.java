package io.kronika.kubelet.runtime;

/** A host path shown to a container at {@code containerPath}. */
public record Mount(String hostPath, String containerPath, boolean readOnly) {
}
