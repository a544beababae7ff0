package io.kronika.kubelet.logs;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** One line a container wrote, as the kubelet keeps it (the CRI log format on disk). */
public record LogEntry(Instant timestamp, boolean stderr, String line) {
    /** {@code 2016-10-06T00:17:09.669794202Z stdout F text}. */
    public String toCri() {
        return DateTimeFormatter.ISO_INSTANT.format(timestamp) + (stderr ? " stderr F " : " stdout F ") + line;
    }

    public static LogEntry fromCri(String text) {
        int first = text.indexOf(' ');
        int second = first < 0 ? -1 : text.indexOf(' ', first + 1);
        int third = second < 0 ? -1 : text.indexOf(' ', second + 1);
        if (third < 0) {
            return new LogEntry(Instant.EPOCH, false, text);
        }
        try {
            return new LogEntry(Instant.parse(text.substring(0, first)), text.startsWith("stderr", first + 1), text.substring(third + 1));
        } catch (RuntimeException e) {
            return new LogEntry(Instant.EPOCH, false, text);
        }
    }

    /** The line as kubectl shows it, with the timestamp when asked for. */
    public String render(boolean timestamps) {
        return timestamps ? DateTimeFormatter.ISO_INSTANT.format(timestamp) + " " + line + "\n" : line + "\n";
    }
}
