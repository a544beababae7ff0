package io.kronika.kubelet.server;

/**
 * What the node endpoint serves HTTPS with, as a Kubernetes kubelet's {@code --tls-cert-file}, {@code --tls-private-key-file}
 * and {@code --client-ca-file}: a serving certificate signed by the cluster CA, and the CA whose client certificates
 * are accepted (the gateway's {@code kube-apiserver-kubelet-client}). All PEM.
 */
public record NodeTls(String certificatePem, String keyPem, String clientCaPem) {
    @Override
    public String toString() {
        return "NodeTls[certificate, key, clientCa]";
    }
}
