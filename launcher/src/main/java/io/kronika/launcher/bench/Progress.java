package io.kronika.launcher.bench;

import java.io.PrintStream;

/** Progress lines on stderr (the result table goes to stdout), stamped with the seconds since the run began. */
final class Progress {
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    void line(String message) {
        out.printf("[%7.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, message);
        out.flush();
    }
}
