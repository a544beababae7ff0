package io.kronika.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Moments on the command line: RFC 3339 ({@code 2026-01-02T03:04:05Z}) or an age ({@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}). */
public final class Times {
    private static final Pattern AGE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Times() {
    }

    public static Instant parse(String s, Instant now) {
        if (s == null) {
            return null;
        }
        Matcher m = AGE.matcher(s.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return OffsetDateTime.parse(s.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a time: '" + s + "' (RFC 3339 such as 2026-01-02T03:04:05Z, or an age such as 15m)");
        }
    }
}
