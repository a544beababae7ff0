package io.kronika.eventstore.admission;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact Kubernetes resource quantity ({@code 500m}, {@code 1.5Gi}, {@code 2e3}): its value as a {@link BigDecimal} of
 * base units and the text it was written as, kept for messages. Arithmetic keeps the format (binary or decimal) of the
 * left operand, as Kubernetes does.
 */
public record Quantity(BigDecimal value, boolean binary, String text) implements Comparable<Quantity> {
    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, false, "0");
    private static final Pattern SYNTAX = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final Map<Integer, String> DECIMAL = Map.of(-9, "n", -6, "u", -3, "m", 0, "", 3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
    private static final BigDecimal KI = BigDecimal.valueOf(1024);

    /** Parses a quantity; throws {@link IllegalArgumentException} naming the problem. */
    public static Quantity parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        if (suffix.endsWith("i")) {
            int power = java.util.Arrays.asList(BINARY).indexOf(suffix);
            return new Quantity(number.multiply(KI.pow(power)), true, text.trim());
        }
        if (suffix.startsWith("e") || suffix.startsWith("E") && suffix.length() > 1) {
            return new Quantity(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))), false, text.trim());
        }
        int exponent = DECIMAL.entrySet().stream().filter(e -> e.getValue().equals(suffix)).findFirst().orElseThrow().getKey();
        return new Quantity(number.scaleByPowerOfTen(exponent), false, text.trim());
    }

    /** A quantity of {@code value} base units written in Kubernetes' canonical form for {@code binary} or decimal format. */
    public static Quantity of(BigDecimal value, boolean binary) {
        return new Quantity(value, binary, format(value, binary));
    }

    public static Quantity count(long n) {
        return of(BigDecimal.valueOf(n), false);
    }

    public Quantity plus(Quantity other) {
        return of(value.add(other.value), binary);
    }

    public Quantity minus(Quantity other) {
        return of(value.subtract(other.value), binary);
    }

    public Quantity max(Quantity other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public boolean isPositive() {
        return value.signum() > 0;
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** Canonical text: the largest suffix that keeps an integer mantissa (binary ones only for binary integers). */
    static String format(BigDecimal value, boolean binary) {
        if (value.signum() == 0) {
            return "0";
        }
        if (binary && isInteger(value) && value.abs().compareTo(KI) >= 0) {
            BigDecimal v = value;
            int power = 0;
            while (power < BINARY.length - 1 && isInteger(v.divide(KI)) ) {
                v = v.divide(KI);
                power++;
            }
            if (power > 0) {
                return v.toBigIntegerExact() + BINARY[power];
            }
        }
        BigDecimal stripped = value.stripTrailingZeros();
        // exponent such that value = unscaled * 10^exp
        int exp = -stripped.scale();
        int suffixExp = Math.floorDiv(exp, 3) * 3;
        suffixExp = Math.max(-9, Math.min(18, suffixExp));
        if (suffixExp > 0 && stripped.abs().compareTo(BigDecimal.valueOf(1000)) < 0) {
            suffixExp = 0;
        }
        BigDecimal mantissa = stripped.scaleByPowerOfTen(-suffixExp);
        if (!isInteger(mantissa)) {
            // finer than a nanounit: Kubernetes rounds up
            mantissa = mantissa.setScale(0, java.math.RoundingMode.CEILING);
        }
        BigInteger whole = mantissa.toBigIntegerExact();
        return whole + DECIMAL.get(suffixExp);
    }

    private static boolean isInteger(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }
}
