package io.kronika.kubelet.runtime;

/**
 * The machine a runtime runs containers on, as the Node reports it: capacity (cpu millicores, memory bytes,
 * ephemeral storage bytes) and nodeInfo.
 */
public record NodeFacts(long cpuMillis, long memoryBytes, long ephemeralStorageBytes, String operatingSystem,
                        String architecture, String kernelVersion, String osImage, String machineId, String bootId,
                        String internalIp) {
}
