package io.kronika.scheduler.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 1e3}, {@code 1.5}), parsed exactly.
 * <pre>
 * quantity        ::= signedNumber suffix
 * signedNumber    ::= [+-] (digits | digits . digits | digits . | . digits)
 * suffix          ::= binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m "" k M G T P E) | (e|E) signedInteger
 * </pre>
 * Values are exact {@link BigDecimal}s; {@link #milliValue} and {@link #value} round up to whole units as
 * Kubernetes' {@code MilliValue()} and {@code Value()} do, so a request of {@code 0.0001} cpu still counts 1m.
 */
public final class Quantity {
    private static final BigInteger KI = BigInteger.valueOf(1024);

    private Quantity() {
    }

    /** The exact value of {@code text}. */
    public static BigDecimal parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("quantity is null");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text);
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i++;
        }
        int numberStart = i;
        int digitsBefore = 0;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
            digitsBefore++;
        }
        int digitsAfter = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
                digitsAfter++;
            }
        }
        if (digitsBefore + digitsAfter == 0) {
            throw invalid(text);
        }
        String number = s.substring(numberStart, i);
        if (number.endsWith(".")) {
            number = number.substring(0, number.length() - 1);
        }
        if (number.startsWith(".")) {
            number = "0" + number;
        }
        BigDecimal value = new BigDecimal(number);
        String suffix = s.substring(i);
        value = applySuffix(value, suffix, text);
        return negative ? value.negate() : value;
    }

    private static BigDecimal applySuffix(BigDecimal value, String suffix, String text) {
        switch (suffix) {
            case "":
                return value;
            case "n":
                return value.scaleByPowerOfTen(-9);
            case "u":
                return value.scaleByPowerOfTen(-6);
            case "m":
                return value.scaleByPowerOfTen(-3);
            case "k":
                return value.scaleByPowerOfTen(3);
            case "M":
                return value.scaleByPowerOfTen(6);
            case "G":
                return value.scaleByPowerOfTen(9);
            case "T":
                return value.scaleByPowerOfTen(12);
            case "P":
                return value.scaleByPowerOfTen(15);
            case "E":
                return value.scaleByPowerOfTen(18);
            case "Ki":
                return value.multiply(new BigDecimal(KI.pow(1)));
            case "Mi":
                return value.multiply(new BigDecimal(KI.pow(2)));
            case "Gi":
                return value.multiply(new BigDecimal(KI.pow(3)));
            case "Ti":
                return value.multiply(new BigDecimal(KI.pow(4)));
            case "Pi":
                return value.multiply(new BigDecimal(KI.pow(5)));
            case "Ei":
                return value.multiply(new BigDecimal(KI.pow(6)));
            default:
                break;
        }
        char first = suffix.charAt(0);
        if ((first == 'e' || first == 'E') && suffix.length() > 1) {
            String exponent = suffix.substring(1);
            int j = 0;
            if (exponent.charAt(0) == '+' || exponent.charAt(0) == '-') {
                j++;
            }
            if (j == exponent.length()) {
                throw invalid(text);
            }
            for (int k = j; k < exponent.length(); k++) {
                if (!isDigit(exponent.charAt(k))) {
                    throw invalid(text);
                }
            }
            int power;
            try {
                power = Integer.parseInt(exponent);
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (Math.abs(power) > 100) {
                throw invalid(text);
            }
            return value.scaleByPowerOfTen(power);
        }
        throw invalid(text);
    }

    /** Whole units, rounded up (Kubernetes' {@code Value()}); saturates at {@link Long#MAX_VALUE}. */
    public static long value(String text) {
        return toLongCeil(parse(text));
    }

    /** Thousandths, rounded up (Kubernetes' {@code MilliValue()}): {@code "500m"} is 500, {@code "2"} is 2000. */
    public static long milliValue(String text) {
        return toLongCeil(parse(text).scaleByPowerOfTen(3));
    }

    private static long toLongCeil(BigDecimal v) {
        BigDecimal ceil = v.setScale(0, RoundingMode.CEILING);
        if (ceil.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        if (ceil.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Long.MIN_VALUE;
        }
        return ceil.longValueExact();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("quantities must match the regular expression "
                + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"" + text + "\"");
    }
}
