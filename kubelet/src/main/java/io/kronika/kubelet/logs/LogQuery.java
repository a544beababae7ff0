package io.kronika.kubelet.logs;

import java.time.Instant;

/**
 * What {@code kubectl logs} asks for: the last {@code tailLines} lines (-1: all), lines at or after {@code since}
 * (null: all), each prefixed with its RFC 3339 timestamp when {@code timestamps}, at most {@code limitBytes} (-1: no
 * limit).
 */
public record LogQuery(long tailLines, Instant since, boolean timestamps, long limitBytes) {
    public static final LogQuery ALL = new LogQuery(-1, null, false, -1);
}
