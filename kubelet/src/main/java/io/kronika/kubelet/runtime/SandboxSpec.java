package io.kronika.kubelet.runtime;

import java.util.Map;

/** What a pod's sandbox needs: identity, hostname and labels that find it again. */
public record SandboxSpec(String podUid, String namespace, String podName, String hostname, boolean hostNetwork,
                          Map<String, String> labels, Map<String, String> annotations) {
}
