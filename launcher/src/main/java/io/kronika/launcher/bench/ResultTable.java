package io.kronika.launcher.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Prints the results: one row per system and level, then the ratio of Kronika's to etcd's writes/s per level. */
final class ResultTable {
    private static final List<String> SYSTEM_ORDER = List.of("kronika", "etcd");

    private ResultTable() {
    }

    static void print(PrintStream out, Duration duration, List<LevelResult> results) {
        out.println("store benchmark: conditional writes (update if resourceVersion/mod_revision matches), "
                + DurationConverter.format(duration) + " per level");
        out.printf(Locale.ROOT, "%-8s %8s %10s %9s %9s %9s%n", "system", "writers", "writes/s", "p50 ms", "p99 ms", "rejects");
        List<LevelResult> rows = results.stream()
                .sorted(Comparator.comparingInt(LevelResult::writers).thenComparingInt(r -> SYSTEM_ORDER.indexOf(r.system())))
                .toList();
        for (LevelResult r : rows) {
            out.printf(Locale.ROOT, "%-8s %8d %10.1f %9.2f %9.2f %9d%s%n", r.system(), r.writers(), r.writesPerSecond(),
                    r.p50Millis(), r.p99Millis(), r.rejects(), r.errors() > 0 ? "   (" + r.errors() + " errors)" : "");
        }
        StringBuilder ratios = new StringBuilder("ratio kronika/etcd writes/s:");
        boolean any = false;
        for (int writers : new TreeSet<>(results.stream().map(LevelResult::writers).toList())) {
            Optional<LevelResult> kronika = find(results, "kronika", writers);
            Optional<LevelResult> etcd = find(results, "etcd", writers);
            if (kronika.isPresent() && etcd.isPresent() && etcd.get().writesPerSecond() > 0) {
                ratios.append(String.format(Locale.ROOT, any ? "  %d: %.2f" : " %d: %.2f", writers,
                        kronika.get().writesPerSecond() / etcd.get().writesPerSecond()));
                any = true;
            }
        }
        if (any) {
            out.println(ratios);
        }
        results.stream().filter(r -> r.firstProblem() != null).forEach(r -> out.printf(
                "note: %s at %d writers: %s%n", r.system(), r.writers(), r.firstProblem()));
        out.flush();
    }

    private static Optional<LevelResult> find(List<LevelResult> results, String system, int writers) {
        return results.stream().filter(r -> r.system().equals(system) && r.writers() == writers).findFirst();
    }
}
