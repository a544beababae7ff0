package io.kronika.scheduler.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantityTest {
    @Test
    void parsesDecimalSiBinarySiAndExponentsExactly() {
        assertThat(Quantity.parse("500m")).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("1Gi")).isEqualByComparingTo(BigDecimal.valueOf(1024L * 1024 * 1024));
        assertThat(Quantity.parse("1e3")).isEqualByComparingTo("1000");
        assertThat(Quantity.parse("1E3")).isEqualByComparingTo("1000");
        assertThat(Quantity.parse("1.5")).isEqualByComparingTo("1.5");
        assertThat(Quantity.parse("2k")).isEqualByComparingTo("2000");
        assertThat(Quantity.parse("3M")).isEqualByComparingTo("3000000");
        assertThat(Quantity.parse("100Mi")).isEqualByComparingTo(BigDecimal.valueOf(100L * 1024 * 1024));
        assertThat(Quantity.parse("1Ki")).isEqualByComparingTo("1024");
        assertThat(Quantity.parse("1Ei")).isEqualByComparingTo(new BigDecimal("1152921504606846976"));
        assertThat(Quantity.parse("12n")).isEqualByComparingTo("0.000000012");
        assertThat(Quantity.parse("7u")).isEqualByComparingTo("0.000007");
        assertThat(Quantity.parse(".5")).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("5.")).isEqualByComparingTo("5");
        assertThat(Quantity.parse("-1.5e-3")).isEqualByComparingTo("-0.0015");
        assertThat(Quantity.parse("+2e+2")).isEqualByComparingTo("200");
        assertThat(Quantity.parse("0.1Gi")).isEqualByComparingTo(new BigDecimal("107374182.4"));
    }

    @Test
    void milliValueAndValueRoundUpLikeKubernetes() {
        assertThat(Quantity.milliValue("500m")).isEqualTo(500);
        assertThat(Quantity.milliValue("2")).isEqualTo(2000);
        assertThat(Quantity.milliValue("0.0001")).isEqualTo(1);
        assertThat(Quantity.milliValue("1e3")).isEqualTo(1_000_000);
        assertThat(Quantity.value("1Gi")).isEqualTo(1073741824L);
        assertThat(Quantity.value("0.1Gi")).isEqualTo(107374183L);
        assertThat(Quantity.value("1500m")).isEqualTo(2);
        assertThat(Quantity.value("128974848")).isEqualTo(128974848L);
        assertThat(Quantity.value("129e6")).isEqualTo(129000000L);
        assertThat(Quantity.value("123Mi")).isEqualTo(128974848L);
    }

    @Test
    void rejectsWhatKubernetesRejects() {
        for (String bad : new String[]{"", "m", "1.2.3", "1Gb", "1 Gi", "1e", "e3", "1ee3", "--1", "1Mi2", "0x10", "1e1.5"}) {
            assertThatThrownBy(() -> Quantity.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("quantities must match");
        }
    }
}
