package io.kronika.launcher.security;

import io.kronika.gateway.stream.KubeletClientCredentials;
import io.kronika.kubelet.server.NodeAuthorizer;
import io.kronika.kubelet.server.NodeTls;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates that secure the kubelets' node endpoint, issued by the cluster CA when a process starts and kept in
 * memory only: the kubelet's serving certificate (for the addresses it listens on and announces) and the gateway's
 * client certificate {@code kube-apiserver-kubelet-client} (group system:masters), as kubeadm's
 * {@code apiserver-kubelet-client.crt}. Only the gateway's process holds the latter.
 */
public final class NodeEndpointCertificates {
    private NodeEndpointCertificates() {
    }

    /** TLS for a node endpoint reachable at {@code hosts} (wildcard listen addresses are left out), trusting the cluster CA for clients. */
    public static NodeTls serving(ClusterPki pki, Collection<String> hosts) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        for (String host : hosts) {
            if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
                names.add(host);
            }
        }
        String[] issued = pki.servingCertificate("kronika-kubelet", names);
        return new NodeTls(issued[0], issued[1], pki.caPem());
    }

    /** What the gateway presents to kubelets, and the CA their serving certificates must chain to. */
    public static KubeletClientCredentials gatewayClient(ClusterPki pki) {
        String[] issued = pki.clientCertificate(NodeAuthorizer.KUBELET_CLIENT, List.of(NodeAuthorizer.MASTERS));
        return new KubeletClientCredentials(issued[0], issued[1], pki.caPem());
    }

    /**
     * For {@code kronika kubelet}: TLS from the data dir's cluster CA when the cluster has one (it was started without
     * {@code --insecure-http}), else empty (plain HTTP, as the cluster's gateway then expects).
     */
    public static Optional<NodeTls> forKubeletProcess(Path dataDir, Collection<String> hosts) {
        return ClusterPki.exists(dataDir) ? Optional.of(serving(ClusterPki.open(dataDir), hosts)) : Optional.empty();
    }
}
