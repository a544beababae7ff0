package io.kronika.schemas.k8s;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantityTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "0, 0",
            "00, 0",
            "100m, 100m",
            "0.1, 100m",
            "1000, 1k",
            "1024, 1024",
            "2000m, 2",
            "1.5, 1500m",
            "-1.5, -1500m",
            "1Ki, 1Ki",
            "1.5Gi, 1536Mi",
            "0.5Gi, 512Mi",
            "1024Mi, 1Gi",
            "0.5Ki, 512",
            "1e3, 1e3",
            "1E3, 1E3",
            "1.5e3, 1500",
            "12e6, 12e6",
            "1e-3, 1e-3",
            "0.0001, 100u",
            "0.0000000001, 1n",
            "1.0000000001, 1000000001n",
            "5., 5.",
            ".5, 500m",
            "+1, +1",
            "1E, 1E",
            "1000E, 1",
            "10Ei, 9223372036854775807",
            "128974848, 128974848",
            "129e6, 129e6",
            "123Mi, 123Mi",
            "1G, 1G",
            "1000000k, 1G",
    })
    void canonicalForm(String in, String out) {
        assertThat(Quantity.parse(in).toString()).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1Kb", "1 ", " 1", "1/2", "1ki"})
    void formatErrors(String in) {
        assertThatThrownBy(() -> Quantity.parse(in))
                .isInstanceOf(Quantity.QuantityFormatException.class)
                .hasMessageMatching("quantities must match the regular expression '\\^\\(\\[\\+-\\]\\?\\[0-9\\.\\]\\+\\)\\(\\[eEinumkKMGTP\\]\\*\\[-\\+\\]\\?\\[0-9\\]\\*\\)\\$'|unable to parse quantity's suffix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e", "1m3", "1Ki2", "1ee3", "1kM"})
    void suffixErrors(String in) {
        assertThatThrownBy(() -> Quantity.parse(in)).hasMessage(Quantity.ERR_SUFFIX);
    }

    @Test
    void errorMessageIsKubernetes() {
        assertThatThrownBy(() -> Quantity.parse("x"))
                .hasMessage("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    @Test
    void valuesRoundUpAwayFromZero() {
        assertThat(Quantity.parse("1.5").value()).isEqualTo(2);
        assertThat(Quantity.parse("1.5").milliValue()).isEqualTo(1500);
        assertThat(Quantity.parse("100m").value()).isEqualTo(1);
        assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
        assertThat(Quantity.parse("-1.5").value()).isEqualTo(-2);
        assertThat(Quantity.parse("1Gi").value()).isEqualTo(1073741824L);
        assertThat(Quantity.parse("250m").milliValue()).isEqualTo(250);
        assertThat(Quantity.parse("2").milliValue()).isEqualTo(2000);
        assertThat(Quantity.parse("1E").value()).isEqualTo(1_000_000_000_000_000_000L);
        assertThat(Quantity.parse("100E").value()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void exactValuesAndFormats() {
        assertThat(Quantity.parse("1.5Gi").toBigDecimal()).isEqualByComparingTo(new BigDecimal("1610612736"));
        assertThat(Quantity.parse("1Mi").format()).isEqualTo(Quantity.Format.BINARY_SI);
        assertThat(Quantity.parse("1e3").format()).isEqualTo(Quantity.Format.DECIMAL_EXPONENT);
        assertThat(Quantity.parse("0.5").format()).isEqualTo(Quantity.Format.DECIMAL_SI);
        assertThat(Quantity.parse("0.5Ki").format()).isEqualTo(Quantity.Format.BINARY_SI);
        assertThat(Quantity.parse("-").isZero()).isTrue();
    }

    @Test
    void comparison() {
        assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
        assertThat(Quantity.parse("1k")).isEqualTo(Quantity.parse("1000")).hasSameHashCodeAs(Quantity.parse("1000"));
        assertThat(Quantity.parse("500m")).isLessThan(Quantity.parse("1"));
        assertThat(Quantity.parse("1e3").compareTo(Quantity.parse("1k"))).isZero();
        assertThat(Quantity.parse("0")).isEqualTo(Quantity.parse("0Gi"));
    }

    @Test
    void jsonForms() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(Quantity.fromJson(f.numberNode(2)).toString()).isEqualTo("2");
        assertThat(Quantity.fromJson(f.numberNode(new BigDecimal("0.5"))).toString()).isEqualTo("500m");
        assertThat(Quantity.fromJson(f.textNode(" 1Gi ")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.fromJson(f.nullNode()).isZero()).isTrue();
        assertThatThrownBy(() -> Quantity.fromJson(f.booleanNode(true))).isInstanceOf(Quantity.QuantityFormatException.class);
    }

    @Test
    void arithmetic() {
        assertThat(Quantity.parse("500m").add(Quantity.parse("1.5")).toString()).isEqualTo("2");
        assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString()).isEqualTo("512Mi");
        assertThat(Quantity.ofMilli(1500).toString()).isEqualTo("1500m");
    }

    // --- as the scheduler uses it: exact values, MilliValue()/Value() rounding up

    @Test
    void parsesDecimalSiBinarySiAndExponentsExactly() {
        assertThat(Quantity.parse("500m").toBigDecimal()).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("1Gi").toBigDecimal()).isEqualByComparingTo(BigDecimal.valueOf(1024L * 1024 * 1024));
        assertThat(Quantity.parse("1e3").toBigDecimal()).isEqualByComparingTo("1000");
        assertThat(Quantity.parse("1E3").toBigDecimal()).isEqualByComparingTo("1000");
        assertThat(Quantity.parse("1.5").toBigDecimal()).isEqualByComparingTo("1.5");
        assertThat(Quantity.parse("2k").toBigDecimal()).isEqualByComparingTo("2000");
        assertThat(Quantity.parse("3M").toBigDecimal()).isEqualByComparingTo("3000000");
        assertThat(Quantity.parse("100Mi").toBigDecimal()).isEqualByComparingTo(BigDecimal.valueOf(100L * 1024 * 1024));
        assertThat(Quantity.parse("1Ki").toBigDecimal()).isEqualByComparingTo("1024");
        assertThat(Quantity.parse("1Ei").toBigDecimal()).isEqualByComparingTo(new BigDecimal("1152921504606846976"));
        assertThat(Quantity.parse("12n").toBigDecimal()).isEqualByComparingTo("0.000000012");
        assertThat(Quantity.parse("7u").toBigDecimal()).isEqualByComparingTo("0.000007");
        assertThat(Quantity.parse(".5").toBigDecimal()).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("5.").toBigDecimal()).isEqualByComparingTo("5");
        assertThat(Quantity.parse("-1.5e-3").toBigDecimal()).isEqualByComparingTo("-0.0015");
        assertThat(Quantity.parse("+2e+2").toBigDecimal()).isEqualByComparingTo("200");
        assertThat(Quantity.parse("0.1Gi").toBigDecimal()).isEqualByComparingTo(new BigDecimal("107374182.4"));
    }

    @Test
    void milliValueAndValueRoundUpLikeKubernetes() {
        assertThat(Quantity.parse("500m").milliValue()).isEqualTo(500);
        assertThat(Quantity.parse("2").milliValue()).isEqualTo(2000);
        assertThat(Quantity.parse("0.0001").milliValue()).isEqualTo(1);
        assertThat(Quantity.parse("1e3").milliValue()).isEqualTo(1_000_000);
        assertThat(Quantity.parse("1Gi").value()).isEqualTo(1073741824L);
        assertThat(Quantity.parse("0.1Gi").value()).isEqualTo(107374183L);
        assertThat(Quantity.parse("1500m").value()).isEqualTo(2);
        assertThat(Quantity.parse("128974848").value()).isEqualTo(128974848L);
        assertThat(Quantity.parse("129e6").value()).isEqualTo(129000000L);
        assertThat(Quantity.parse("123Mi").value()).isEqualTo(128974848L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1Gb", "1 Gi", "1e", "1ee3", "--1", "1Mi2", "0x10", "1e1.5", "12Q"})
    void rejectsWhatKubernetesRejects(String bad) {
        assertThatThrownBy(() -> Quantity.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }

    // --- as admission (quota, limit ranges) uses it: exact arithmetic that keeps Kubernetes' forms

    @Test
    void quantitiesAreExactAndKeepKubernetesForms() {
        assertThat(Quantity.parse("500m").toBigDecimal()).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("1.5Gi").toBigDecimal()).isEqualByComparingTo(BigDecimal.valueOf(1536L * 1024 * 1024));
        assertThat(Quantity.parse("2e3").toBigDecimal()).isEqualByComparingTo("2000");
        assertThat(Quantity.parse("0.1").add(Quantity.parse("0.2"))).isEqualTo(Quantity.parse("300m"));
        assertThat(Quantity.parse("300m").add(Quantity.parse("700m")).toString()).isEqualTo("1");
        assertThat(Quantity.parse("1Gi").add(Quantity.parse("1Gi")).toString()).isEqualTo("2Gi");
        assertThat(Quantity.parse("1").add(Quantity.parse("500m")).toString()).isEqualTo("1500m");
        assertThat(Quantity.parse("1k").add(Quantity.parse("1k")).toString()).isEqualTo("2k");
        assertThat(Quantity.parse("100M").compareTo(Quantity.parse("100Mi"))).isNegative();
    }

    @Test
    void countsMaxAndSign() {
        assertThat(Quantity.count(3).toString()).isEqualTo("3");
        assertThat(Quantity.count(2000).toString()).isEqualTo("2k");
        assertThat(Quantity.parse("1Gi").max(Quantity.parse("1G")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("1G").max(Quantity.parse("1Gi")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("1m").isPositive()).isTrue();
        assertThat(Quantity.ZERO.isPositive()).isFalse();
        assertThat(Quantity.parse("-1m").isPositive()).isFalse();
        assertThat(Quantity.parse("1").subtract(Quantity.parse("1")).isZero()).isTrue();
    }
}
