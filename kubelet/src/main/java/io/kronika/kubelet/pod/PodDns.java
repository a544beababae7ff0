package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.runtime.ResolvConf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolver configuration from its {@code dnsPolicy} and {@code dnsConfig}, as the Kubernetes kubelet forms it:
 * <ul>
 *   <li>ClusterFirst (the default; for hostNetwork pods only as ClusterFirstWithHostNet): the cluster DNS, search
 *   {@code <ns>.svc.<domain> svc.<domain> <domain>} followed by the node's search domains, {@code options ndots:5};
 *   without a cluster DNS it falls back to Default, as the kubelet does;</li>
 *   <li>Default: the node's resolv.conf;</li>
 *   <li>None: only what dnsConfig says.</li>
 * </ul>
 * dnsConfig nameservers and searches are appended without duplicates, its options override same-named ones; at most
 * 3 nameservers and 32 search domains are kept (the kubelet's limits).
 *
 * <p>One deviation: the cluster DNS here answers only cluster names (no upstream forwarding as CoreDNS's), so
 * ClusterFirst keeps the node's nameservers after it, which glibc asks when the cluster DNS refuses a name.
 */
public final class PodDns {
    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCHES = 32;

    /**
     * @param clusterNameservers the cluster DNS addresses pods use (empty: none configured)
     * @param clusterDomain      e.g. cluster.local
     * @param node               the node's resolv.conf
     */
    public record Cluster(List<String> clusterNameservers, String clusterDomain, ResolvConf node) {
    }

    private PodDns() {
    }

    public static ResolvConf resolvConf(JsonNode pod, Cluster cluster) {
        JsonNode spec = pod.path("spec");
        String namespace = pod.path("metadata").path("namespace").asText("default");
        boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
        String policy = spec.path("dnsPolicy").asText("ClusterFirst");
        boolean clusterFirst = policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork);
        if (clusterFirst && cluster.clusterNameservers().isEmpty()) {
            clusterFirst = false;   // the kubelet's fallback: no cluster DNS configured
        }
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> nodeNameservers = cluster.node().nameservers().stream()
                .filter(ns -> hostNetwork || !ns.startsWith("127.")).toList();  // a node-local resolver is not the pod's
        if (policy.equals("None")) {
            // only dnsConfig
        } else if (clusterFirst) {
            String domain = cluster.clusterDomain();
            nameservers.addAll(cluster.clusterNameservers());
            nameservers.addAll(nodeNameservers);
            searches.addAll(List.of(namespace + ".svc." + domain, "svc." + domain, domain));
            searches.addAll(cluster.node().searches());
            options.add("ndots:5");
        } else {
            nameservers.addAll(nodeNameservers);
            searches.addAll(cluster.node().searches());
            options.addAll(cluster.node().options());
        }
        JsonNode dnsConfig = spec.path("dnsConfig");
        dnsConfig.path("nameservers").forEach(n -> nameservers.add(n.asText()));
        dnsConfig.path("searches").forEach(s -> searches.add(s.asText()));
        Map<String, String> merged = new LinkedHashMap<>();
        options.forEach(o -> merged.put(optionName(o), o));
        for (JsonNode option : dnsConfig.path("options")) {
            String name = option.path("name").asText();
            merged.put(name, option.hasNonNull("value") ? name + ":" + option.path("value").asText() : name);
        }
        return new ResolvConf(first(MAX_NAMESERVERS, nameservers), first(MAX_SEARCHES, searches), List.copyOf(merged.values()));
    }

    private static String optionName(String option) {
        int colon = option.indexOf(':');
        return colon < 0 ? option : option.substring(0, colon);
    }

    private static List<String> first(int limit, List<String> values) {
        return new LinkedHashSet<>(values).stream().limit(limit).toList();
    }
}
