package io.kronika.replay;

import java.io.PrintStream;

/** Progress of long work on stderr: a line redrawn at most four times a second. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void update(long done, long total) {
        }

        @Override
        public void done(long done) {
        }
    };

    void update(long done, long total);

    void done(long done);

    static Progress to(PrintStream out, String label) {
        return new Progress() {
            private final long started = System.nanoTime();
            private long lastDraw;
            private boolean drawn;

            @Override
            public void update(long done, long total) {
                long now = System.nanoTime();
                if (now - lastDraw < 250_000_000L) {
                    return;
                }
                lastDraw = now;
                drawn = true;
                double seconds = Math.max((now - started) / 1e9, 1e-3);
                String pct = total > 0 ? String.format(" (%3d%%)", Math.min(100, done * 100 / total)) : "";
                int width = 30;
                int filled = total > 0 ? (int) Math.min(width, done * width / total) : 0;
                out.printf("\r%s [%s%s] %d/%d%s %.0f/s", label, "#".repeat(filled), " ".repeat(width - filled), done,
                        total, pct, done / seconds);
                out.flush();
            }

            @Override
            public void done(long done) {
                if (drawn) {
                    double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
                    out.printf("\r%s: %d records in %.1fs%s%n", label, done, seconds, " ".repeat(40));
                    out.flush();
                }
            }
        };
    }
}
