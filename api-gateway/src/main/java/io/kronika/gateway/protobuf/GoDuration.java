package io.kronika.gateway.protobuf;

/** Go's time.Duration.String(): {@code 1h2m3.5s}, {@code 1.5ms}, {@code 0s}, as metav1.Duration marshals. */
final class GoDuration {
    private GoDuration() {
    }

    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos < 0) {
            out.append('-');
        }
        long u = Math.abs(nanos);
        if (u < 1_000_000_000L) {
            if (u < 1_000) {
                return out.append(u).append("ns").toString();
            }
            if (u < 1_000_000) {
                return out.append(fraction(u, 1_000)).append("µs").toString();
            }
            return out.append(fraction(u, 1_000_000)).append("ms").toString();
        }
        long hours = u / 3_600_000_000_000L;
        u -= hours * 3_600_000_000_000L;
        long minutes = u / 60_000_000_000L;
        u -= minutes * 60_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(fraction(u, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%0" + Long.toString(unit).length() + "d", rest).substring(1).replaceAll("0+$", "");
        return whole + "." + digits;
    }
}
