package io.kronika.gateway.quantity;

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
}
