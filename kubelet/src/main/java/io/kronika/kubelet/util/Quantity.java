package io.kronika.kubelet.util;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Kubernetes resource quantities: cpu to millicores, memory to bytes, and back. */
public final class Quantity {
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", new BigDecimal("0.000000001")), Map.entry("u", new BigDecimal("0.000001")),
            Map.entry("m", new BigDecimal("0.001")), Map.entry("k", BigDecimal.valueOf(1_000L)),
            Map.entry("M", BigDecimal.valueOf(1_000_000L)), Map.entry("G", BigDecimal.valueOf(1_000_000_000L)),
            Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)), Map.entry("P", BigDecimal.valueOf(1_000_000_000_000_000L)),
            Map.entry("E", new BigDecimal("1000000000000000000")));

    private Quantity() {
    }

    /** The value of a quantity as a decimal of base units (cores, bytes). */
    public static BigDecimal parse(String quantity) {
        String q = quantity.trim();
        if (q.isEmpty()) {
            throw new IllegalArgumentException("empty quantity");
        }
        int end = q.length();
        while (end > 0 && Character.isLetter(q.charAt(end - 1))) {
            end--;
        }
        String number = q.substring(0, end);
        String suffix = q.substring(end);
        BigDecimal value;
        if (suffix.isEmpty() || (!SUFFIXES.containsKey(suffix) && (suffix.startsWith("e") || suffix.startsWith("E")))) {
            value = new BigDecimal(q);
        } else {
            BigDecimal factor = SUFFIXES.get(suffix);
            if (factor == null) {
                throw new IllegalArgumentException("unknown quantity suffix in " + quantity);
            }
            value = new BigDecimal(number).multiply(factor);
        }
        return value;
    }

    public static long cpuMillis(String quantity) {
        return parse(quantity).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public static long bytes(String quantity) {
        return parse(quantity).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Millicores as Kubernetes prints them: whole cores plain ("2"), otherwise in m ("1500m"). */
    public static String formatCpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** Bytes as a plain integer quantity. */
    public static String formatBytes(long bytes) {
        return Long.toString(bytes);
    }
}
