package io.kronika.kubelet.util;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityTest {
    @Test
    void cpuAndMemoryQuantities() {
        assertThat(Quantity.cpuMillis("2")).isEqualTo(2000);
        assertThat(Quantity.cpuMillis("250m")).isEqualTo(250);
        assertThat(Quantity.cpuMillis("0.5")).isEqualTo(500);
        assertThat(Quantity.bytes("64Mi")).isEqualTo(64L << 20);
        assertThat(Quantity.bytes("1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantity.bytes("1e3")).isEqualTo(1000);
        assertThat(Quantity.formatCpu(2000)).isEqualTo("2");
        assertThat(Quantity.formatCpu(1500)).isEqualTo("1500m");
    }

    @Test
    void leaseMicroTime() {
        assertThat(Json.microTime(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01T00:00:00.000000Z");
        assertThat(Json.microTime(Instant.parse("2026-01-01T00:00:00.123456789Z"))).isEqualTo("2026-01-01T00:00:00.123456Z");
    }
}
