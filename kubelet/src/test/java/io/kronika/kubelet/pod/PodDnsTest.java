package io.kronika.kubelet.pod;

import io.kronika.kubelet.runtime.ResolvConf;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PodDnsTest {
    private static final ResolvConf NODE = ResolvConf.parse("""
            # the node's resolver
            nameserver 127.0.0.53
            nameserver 10.0.0.2
            search corp.example
            options timeout:2 edns0
            """);
    private static final PodDns.Cluster CLUSTER = new PodDns.Cluster(List.of("127.96.0.0"), "cluster.local", NODE);
    private static final PodDns.Cluster NO_CLUSTER_DNS = new PodDns.Cluster(List.of(), "cluster.local", NODE);

    private static ResolvConf of(PodDns.Cluster cluster, String spec) {
        return PodDns.resolvConf(Json.parse("{\"metadata\":{\"namespace\":\"shop\"},\"spec\":" + spec + "}"), cluster);
    }

    @Test
    void clusterFirstIsTheDefaultAndPutsTheClusterDnsAndTheNamespaceSearchPathFirst() {
        ResolvConf conf = of(CLUSTER, "{}");
        assertThat(conf.nameservers()).containsExactly("127.96.0.0", "10.0.0.2");  // the node-local 127.0.0.53 is not the pod's
        assertThat(conf.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example");
        assertThat(conf.options()).containsExactly("ndots:5");
        assertThat(conf.render()).isEqualTo("""
                search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
                nameserver 127.96.0.0
                nameserver 10.0.0.2
                options ndots:5
                """);
    }

    @Test
    void defaultIsTheNodesResolverAndClusterFirstFallsBackToItWithoutAClusterDnsOrOnTheHostNetwork() {
        ResolvConf expected = new ResolvConf(List.of("10.0.0.2"), List.of("corp.example"), List.of("timeout:2", "edns0"));
        assertThat(of(CLUSTER, "{\"dnsPolicy\":\"Default\"}")).isEqualTo(expected);
        assertThat(of(NO_CLUSTER_DNS, "{\"dnsPolicy\":\"ClusterFirst\"}")).isEqualTo(expected);
        ResolvConf hostNetwork = of(CLUSTER, "{\"hostNetwork\":true}");
        assertThat(hostNetwork.nameservers()).containsExactly("127.0.0.53", "10.0.0.2");  // the host's own resolver works there
        assertThat(hostNetwork.searches()).containsExactly("corp.example");
        assertThat(of(CLUSTER, "{\"hostNetwork\":true,\"dnsPolicy\":\"ClusterFirstWithHostNet\"}").nameservers().get(0)).isEqualTo("127.96.0.0");
    }

    @Test
    void noneTakesOnlyTheDnsConfig() {
        ResolvConf conf = of(CLUSTER, """
                {"dnsPolicy":"None","dnsConfig":{"nameservers":["1.2.3.4"],"searches":["ns1.svc.cluster-domain.example"],
                 "options":[{"name":"ndots","value":"2"},{"name":"edns0"}]}}""");
        assertThat(conf).isEqualTo(new ResolvConf(List.of("1.2.3.4"), List.of("ns1.svc.cluster-domain.example"), List.of("ndots:2", "edns0")));
    }

    @Test
    void dnsConfigIsAppendedWithoutDuplicatesItsOptionsOverrideAndTheKubeletLimitsHold() {
        ResolvConf conf = of(CLUSTER, """
                {"dnsConfig":{"nameservers":["10.0.0.2","8.8.8.8","9.9.9.9"],"searches":["cluster.local","extra.example"],
                 "options":[{"name":"ndots","value":"1"},{"name":"single-request-reopen"}]}}""");
        assertThat(conf.nameservers()).containsExactly("127.96.0.0", "10.0.0.2", "8.8.8.8");
        assertThat(conf.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "extra.example");
        assertThat(conf.options()).containsExactly("ndots:1", "single-request-reopen");
    }
}
