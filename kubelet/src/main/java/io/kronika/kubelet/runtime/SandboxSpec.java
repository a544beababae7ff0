package io.kronika.kubelet.runtime;

import java.util.Map;

/**
 * What a pod's sandbox needs: identity, hostname, labels that find it again, and its resolver configuration
 * ({@code dns}; null leaves the runtime's default).
 */
public record SandboxSpec(String podUid, String namespace, String podName, String hostname, boolean hostNetwork,
                          Map<String, String> labels, Map<String, String> annotations, ResolvConf dns) {
    public SandboxSpec(String podUid, String namespace, String podName, String hostname, boolean hostNetwork,
                       Map<String, String> labels, Map<String, String> annotations) {
        this(podUid, namespace, podName, hostname, hostNetwork, labels, annotations, null);
    }
}
