package io.kronika.controllers.batch;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule (minute, hour, day of month, month, day of week) with lists, ranges, steps,
 * month and weekday names, {@code ?}, the {@code @yearly @annually @monthly @weekly @daily @midnight @hourly} macros,
 * and a time zone ({@code CRON_TZ=}/{@code TZ=} prefix or the CronJob's timeZone). When both day fields are
 * restricted a day matches either, as in Vixie cron.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domStar;
    private final boolean dowStar;
    private final ZoneId zone;

    private CronSchedule(BitSet minutes, BitSet hours, BitSet dom, BitSet months, BitSet dow, boolean domStar, boolean dowStar, ZoneId zone) {
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = dom;
        this.months = months;
        this.daysOfWeek = dow;
        this.domStar = domStar;
        this.dowStar = dowStar;
        this.zone = zone;
    }

    /** Parses {@code expression} in {@code timeZone} (null: UTC, or the expression's own prefix); IllegalArgumentException if invalid. */
    public static CronSchedule parse(String expression, String timeZone) {
        String expr = expression.trim();
        ZoneId zone = timeZone == null || timeZone.isEmpty() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        if (expr.startsWith("CRON_TZ=") || expr.startsWith("TZ=")) {
            int space = expr.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("no schedule after the time zone: " + expression);
            }
            zone = ZoneId.of(expr.substring(expr.indexOf('=') + 1, space));
            expr = expr.substring(space + 1).trim();
        }
        if (expr.startsWith("@")) {
            String m = MACROS.get(expr.toLowerCase(Locale.ROOT));
            if (m == null) {
                throw new IllegalArgumentException("unknown macro " + expr);
            }
            expr = m;
        }
        String[] f = expr.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 fields, got " + f.length + ": " + expression);
        }
        BitSet dow = field(f[4], 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0); // 7 is Sunday too
            dow.clear(7);
        }
        return new CronSchedule(field(f[0], 0, 59, null), field(f[1], 0, 23, null), field(f[2], 1, 31, null),
                field(f[3], 1, 12, MONTHS), dow, isStar(f[2]), isStar(f[4]), zone);
    }

    private static boolean isStar(String f) {
        return f.startsWith("*") || f.equals("?");
    }

    private static BitSet field(String field, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : field.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
                if (step <= 0) {
                    throw new IllegalArgumentException("step must be positive: " + part);
                }
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-');
                from = value(dash < 0 ? range : range.substring(0, dash), min, names);
                to = dash < 0 ? (slash >= 0 ? max : from) : value(range.substring(dash + 1), min, names);
            }
            if (from < min || to > max || from > to) {
                throw new IllegalArgumentException("out of range [" + min + ", " + max + "]: " + part);
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int value(String s, int min, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(s)) {
                    return i + min;
                }
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a value: " + s);
        }
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (domStar || dowStar) {
            return dom && dow;
        }
        return dom || dow;
    }

    /** The first time strictly after {@code after} the schedule fires, or null if none within five years. */
    public Instant next(Instant after) {
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.toInstant();
            }
        }
        return null;
    }
}
