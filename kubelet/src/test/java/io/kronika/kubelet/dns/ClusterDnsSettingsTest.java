package io.kronika.kubelet.dns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterDnsSettingsTest {
    @Test
    void thePodNameserverIsTheNetworkAddressOfTheClusterIpRange() {
        assertThat(ClusterDns.Settings.podNameserverFor("127.96.0.0/16")).isEqualTo("127.96.0.0");
        assertThat(ClusterDns.Settings.podNameserverFor("10.96.12.5/12")).isEqualTo("10.96.0.0");
        assertThat(ClusterDns.Settings.podNameserverFor("172.30.7.200/28")).isEqualTo("172.30.7.192");
        assertThatThrownBy(() -> ClusterDns.Settings.podNameserverFor("10.0.0.0/x")).hasMessageContaining("not a CIDR");
    }
}
