package io.kronika.launcher;

import io.kronika.eventstore.broker.EmbeddedKafkaBroker;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.dns.ClusterDns;
import io.kronika.kubelet.ingress.IngressProxy;
import io.kronika.kubelet.proxy.ServiceProxy;
import io.kronika.kubelet.runtime.docker.DockerRuntime;
import io.kronika.launcher.security.ClusterPki;
import io.kronika.launcher.security.NodeEndpointCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The node-level networking of the all-in-one process, from the options: service proxy, cluster DNS, ingress, and
 * the node endpoint's TLS (a serving certificate from the cluster CA; plain HTTP only with --insecure-http).
 */
final class NodeNetworking {
    private NodeNetworking() {
    }

    static KubeletServices.Settings settings(ClusterOptions options) {
        KubeletServices.Settings settings = KubeletServices.Settings.defaults();
        if (options.serviceProxy) {
            settings = settings.withServiceProxy(ServiceProxy.Settings.defaults());
        }
        if (options.clusterDnsPort >= 0) {
            int port = options.clusterDnsPort == 0 ? freePort() : options.clusterDnsPort;
            settings = settings.withClusterDns(new ClusterDns.Settings("127.0.0.1", port, "cluster.local", podNameserver(options)));
        }
        if (options.ingressPort >= 0) {
            settings = settings.withIngress(new IngressProxy.Settings("0.0.0.0", options.ingressPort));
        }
        if (!options.insecureHttp) {
            settings = settings.withTls(NodeEndpointCertificates.serving(ClusterPki.open(options.dataDir()),
                    List.of(settings.serverHost(), settings.advertisedHost())));
        }
        return settings;
    }

    /** Docker-runtime pods name the cluster DNS at the ClusterIP range's network address, port 53 (they route the range). */
    private static String podNameserver(ClusterOptions options) {
        boolean docker = KubeletFleet.DOCKER.equals(KubeletFleet.resolveRuntime(options.runtime, DockerRuntime.Settings.defaults().dockerHost()));
        return docker ? ClusterDns.Settings.podNameserverFor(options.serviceClusterIpRange) : null;
    }

    static List<String> describe(KubeletServices services) {
        List<String> lines = new ArrayList<>();
        if (services.endpoint() != null) {
            lines.add("Node endpoint: " + services.endpoint() + (services.endpoint().startsWith("https:")
                    ? " (client certificate kube-apiserver-kubelet-client required)" : " (plain HTTP, no authentication)"));
        }
        services.serviceProxy().ifPresent(proxy -> lines.add("Service proxy: ClusterIPs and NodePorts forwarded to ready endpoints"));
        services.clusterDns().ifPresent(dns -> lines.add("Cluster DNS: " + dns.address() + " (cluster.local)"
                + dns.podNameserver().map(ns -> "; docker pods: " + ns + ":53").orElse("")));
        services.ingress().ifPresent(ingress -> lines.add("Ingress (class kronika): port " + ingress.port()));
        return lines;
    }

    private static int freePort() {
        try {
            return EmbeddedKafkaBroker.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
