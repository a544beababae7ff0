package io.kronika.schemas.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes resource quantity (apimachinery resource.Quantity): a decimal number with an SI, binary-SI or
 * decimal-exponent suffix, such as {@code 100m}, {@code 1.5Gi}, {@code 1e3}.
 *
 * <p>Parsing follows Kubernetes exactly: the grammar {@code [+-]digits[.digits][suffix]} with suffixes
 * {@code n u m "" k M G T P E}, {@code Ki Mi Gi Ti Pi Ei} and {@code e<int>}/{@code E<int>}; values are exact and
 * rounded away from zero to nanounits (1e-9); binary-SI values are capped at 2^63-1. {@link #toString()} is the
 * string Kubernetes serializes: the input itself when it is already canonical (Kubernetes keeps it, even a
 * leading {@code +} or an upper-case {@code E}), otherwise the canonical form — the largest suffix of the
 * quantity's format that leaves an integer mantissa, with binary-SI quantities that are not whole multiples of
 * 1024 (or are below 1024) printed as decimal SI ({@code 1.5Gi} → {@code 1536Mi}, {@code 0.1} → {@code 100m},
 * {@code 1000} → {@code 1k}). Like Kubernetes, a decimal-SI value beyond the exa range prints its mantissa
 * without a suffix (there is no SI prefix above E).
 */
public final class Quantity implements Comparable<Quantity> {
    /** The regular expression in Kubernetes' format error. */
    public static final String REGEX = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
    public static final String ERR_FORMAT = "quantities must match the regular expression '" + REGEX + "'";
    public static final String ERR_NUMERIC = "unable to parse numeric part of quantity";
    public static final String ERR_SUFFIX = "unable to parse quantity's suffix";

    /** How a quantity prints: 12e6, 12Mi, 12M. */
    public enum Format { DECIMAL_EXPONENT, BINARY_SI, DECIMAL_SI }

    private static final BigDecimal MAX_ALLOWED = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigInteger B1024 = BigInteger.valueOf(1024);
    private static final Map<Integer, String> DECIMAL_SUFFIXES = Map.of(-9, "n", -6, "u", -3, "m", 0, "", 3, "k",
            6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, null);

    private final BigDecimal value;
    private final Format format;
    private final String string;

    private Quantity(BigDecimal value, Format format, String cached) {
        this.value = value;
        this.format = format;
        this.string = cached != null ? cached : canonical(value, format);
    }

    /** A quantity of exactly {@code value} (rounded away from zero to nanounits) printed in {@code format}. */
    public static Quantity of(BigDecimal value, Format format) {
        BigDecimal v = value.scale() > 9 ? value.setScale(9, RoundingMode.UP) : value;
        return new Quantity(v.stripTrailingZeros(), Objects.requireNonNull(format), null);
    }

    public static Quantity ofMilli(long milli) {
        return of(BigDecimal.valueOf(milli, 3), Format.DECIMAL_SI);
    }

    /** A count of {@code n} whole units (decimal SI), as quota usage counts objects. */
    public static Quantity count(long n) {
        return of(BigDecimal.valueOf(n), Format.DECIMAL_SI);
    }

    /** Thrown for a string that is not a quantity; the message is Kubernetes' error text. */
    public static final class QuantityFormatException extends IllegalArgumentException {
        public QuantityFormatException(String message) {
            super(message);
        }
    }

    /** True when {@code s} parses. */
    public static boolean isValid(String s) {
        try {
            parse(s);
            return true;
        } catch (QuantityFormatException e) {
            return false;
        }
    }

    /**
     * A quantity in JSON as Kubernetes decodes it: a string (trimmed) or a bare number; {@code null} is zero.
     *
     * @throws QuantityFormatException for anything else or a string that does not parse
     */
    public static Quantity fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return ZERO;
        }
        if (node.isTextual()) {
            return parse(node.textValue().strip());
        }
        if (node.isNumber()) {
            return parse(node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.decimalValue().toPlainString());
        }
        throw new QuantityFormatException(ERR_FORMAT);
    }

    /** Parses a quantity exactly as Kubernetes' ParseQuantity. */
    public static Quantity parse(String str) {
        if (str == null || str.isEmpty()) {
            throw new QuantityFormatException(ERR_FORMAT);
        }
        if (str.equals("0")) {
            return new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");
        }
        // --- split into sign, number, fraction and suffix (parseQuantityString)
        boolean positive = true;
        int pos = 0;
        int end = str.length();
        if (str.charAt(0) == '-') {
            positive = false;
            pos++;
        } else if (str.charAt(0) == '+') {
            pos++;
        }
        while (pos < end && str.charAt(pos) == '0') {
            pos++;
        }
        String num;
        String denom = "";
        String value;
        String suffix = "";
        if (pos >= end) {
            num = "0";
            value = "0";
        } else {
            int i = pos;
            while (i < end && isDigit(str.charAt(i))) {
                i++;
            }
            num = str.substring(pos, i);
            pos = i;
            if (num.isEmpty()) {
                num = "0";
            }
            boolean done = i >= end;
            if (done) {
                value = str;
            } else {
                if (str.charAt(pos) == '.') {
                    pos++;
                    int j = pos;
                    while (j < end && isDigit(str.charAt(j))) {
                        j++;
                    }
                    denom = str.substring(pos, j);
                    pos = j;
                }
                value = str.substring(0, pos);
                if (pos < end) {
                    int suffixStart = pos;
                    int k = pos;
                    while (k < end && "eEinumkKMGTP".indexOf(str.charAt(k)) >= 0) {
                        k++;
                    }
                    if (k < end && (str.charAt(k) == '-' || str.charAt(k) == '+')) {
                        k++;
                    }
                    while (k < end && isDigit(str.charAt(k))) {
                        k++;
                    }
                    if (k < end) {
                        throw new QuantityFormatException(ERR_FORMAT);
                    }
                    suffix = str.substring(suffixStart);
                }
            }
        }
        // --- interpret the suffix
        int base;
        int exponent;
        Format format;
        switch (suffix) {
            case "" -> { base = 10; exponent = 0; format = Format.DECIMAL_SI; }
            case "n" -> { base = 10; exponent = -9; format = Format.DECIMAL_SI; }
            case "u" -> { base = 10; exponent = -6; format = Format.DECIMAL_SI; }
            case "m" -> { base = 10; exponent = -3; format = Format.DECIMAL_SI; }
            case "k" -> { base = 10; exponent = 3; format = Format.DECIMAL_SI; }
            case "M" -> { base = 10; exponent = 6; format = Format.DECIMAL_SI; }
            case "G" -> { base = 10; exponent = 9; format = Format.DECIMAL_SI; }
            case "T" -> { base = 10; exponent = 12; format = Format.DECIMAL_SI; }
            case "P" -> { base = 10; exponent = 15; format = Format.DECIMAL_SI; }
            case "E" -> { base = 10; exponent = 18; format = Format.DECIMAL_SI; }
            case "Ki" -> { base = 2; exponent = 10; format = Format.BINARY_SI; }
            case "Mi" -> { base = 2; exponent = 20; format = Format.BINARY_SI; }
            case "Gi" -> { base = 2; exponent = 30; format = Format.BINARY_SI; }
            case "Ti" -> { base = 2; exponent = 40; format = Format.BINARY_SI; }
            case "Pi" -> { base = 2; exponent = 50; format = Format.BINARY_SI; }
            case "Ei" -> { base = 2; exponent = 60; format = Format.BINARY_SI; }
            default -> {
                if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                    long parsed;
                    try {
                        parsed = Long.parseLong(suffix.substring(1));
                    } catch (NumberFormatException e) {
                        throw new QuantityFormatException(ERR_SUFFIX);
                    }
                    base = 10;
                    exponent = (int) parsed; // Go truncates to int32 as well
                    format = Format.DECIMAL_EXPONENT;
                } else {
                    throw new QuantityFormatException(ERR_SUFFIX);
                }
            }
        }
        // --- fast path: fits an int64 with a scale of at least nano
        int precision = 0;
        int scale = 0;
        long mantissa = 1;
        if (format == Format.BINARY_SI) {
            if (exponent >= 0 && denom.isEmpty()) {
                mantissa = 1L << exponent;
                precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
            } else {
                precision = -1;
            }
        } else {
            scale = exponent;
            precision = 18 - (num.length() + denom.length());
        }
        if (precision >= 0) {
            scale -= denom.length();
            if (scale >= -9) {
                String shifted = num + denom;
                long v;
                try {
                    v = Long.parseLong(shifted);
                } catch (NumberFormatException e) {
                    throw new QuantityFormatException(ERR_NUMERIC);
                }
                long result;
                boolean ok = true;
                try {
                    result = Math.multiplyExact(v, mantissa);
                } catch (ArithmeticException e) {
                    result = 0;
                    ok = false;
                }
                if (ok) {
                    if (!positive) {
                        result = -result;
                    }
                    BigDecimal amount = BigDecimal.valueOf(result).scaleByPowerOfTen(scale);
                    boolean keep = format == Format.BINARY_SI
                            ? exponent % 10 == 0 && (v & 0x07) != 0
                            : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
                    return new Quantity(amount, format, keep ? str : null);
                }
            }
        }
        // --- slow path: arbitrary precision, rounded away from zero to nano
        BigDecimal amount;
        try {
            amount = new BigDecimal(value.isEmpty() ? "x" : value);
        } catch (NumberFormatException e) {
            throw new QuantityFormatException(ERR_NUMERIC);
        }
        if (base == 10) {
            amount = amount.scaleByPowerOfTen(exponent);
        } else {
            amount = amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
        }
        int sign = amount.signum();
        amount = amount.abs();
        if (amount.signum() != 0) {
            amount = amount.setScale(9, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI && amount.compareTo(MAX_ALLOWED) > 0) {
            amount = MAX_ALLOWED;
        }
        if (format == Format.BINARY_SI && amount.compareTo(BigDecimal.ONE) < 0 && amount.signum() > 0) {
            format = Format.DECIMAL_SI;
        }
        if (sign < 0) {
            amount = amount.negate();
        }
        return new Quantity(amount.stripTrailingZeros(), format, null);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String canonical(BigDecimal value, Format format) {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            if (value.compareTo(BigDecimal.valueOf(-1024)) > 0 && value.compareTo(BigDecimal.valueOf(1024)) < 0) {
                format = Format.DECIMAL_SI;
            } else if (value.stripTrailingZeros().scale() > 0) {
                format = Format.DECIMAL_SI;
            }
        }
        if (format == Format.BINARY_SI) {
            BigInteger amount = value.toBigIntegerExact();
            boolean negative = amount.signum() < 0;
            amount = amount.abs();
            int times = 0;
            while (amount.compareTo(B1024) >= 0 && amount.mod(B1024).signum() == 0) {
                amount = amount.divide(B1024);
                times++;
            }
            String suffix = times < BINARY_SUFFIXES.length ? BINARY_SUFFIXES[times] : "";
            return (negative ? "-" : "") + amount + suffix;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN);
            exponent--;
        }
        String suffix;
        if (format == Format.DECIMAL_EXPONENT) {
            suffix = exponent == 0 ? "" : "e" + exponent;
        } else {
            suffix = DECIMAL_SUFFIXES.getOrDefault(exponent, "");
        }
        return mantissa + suffix;
    }

    /** The exact value. */
    public BigDecimal toBigDecimal() {
        return value;
    }

    public Format format() {
        return format;
    }

    public int signum() {
        return value.signum();
    }

    public boolean isPositive() {
        return value.signum() > 0;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    /** The value in units, rounded up (away from zero), as Kubernetes' Value(); saturates at the int64 range. */
    public long value() {
        return scaledValue(0);
    }

    /** The value in thousandths, rounded up (away from zero), as Kubernetes' MilliValue(). */
    public long milliValue() {
        return scaledValue(-3);
    }

    /** The value in units of 10^scale, rounded up (away from zero), as Kubernetes' ScaledValue(scale). */
    public long scaledValue(int scale) {
        BigDecimal scaled = value.scaleByPowerOfTen(-scale).setScale(0, RoundingMode.UP);
        if (scaled.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        if (scaled.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Long.MIN_VALUE;
        }
        return scaled.longValueExact();
    }

    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value).stripTrailingZeros(), value.signum() == 0 ? other.format : format, null);
    }

    public Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value).stripTrailingZeros(), value.signum() == 0 ? other.format : format, null);
    }

    /** The larger of the two; this one when they are equal. */
    public Quantity max(Quantity other) {
        return compareTo(other) >= 0 ? this : other;
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    /** Equal values are equal quantities, whatever their format (as Kubernetes' Equal/Cmp). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    /** The string Kubernetes serializes for this quantity. */
    @Override
    public String toString() {
        return string;
    }
}
