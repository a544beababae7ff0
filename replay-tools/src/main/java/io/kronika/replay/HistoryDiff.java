package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;

/** {@code history diff}: the objects added, changed and removed between two revisions, with field-level diffs. */
public final class HistoryDiff {
    /** Fields that change with every version and say nothing by themselves; the revisions are shown apart. */
    public static final Set<String> IGNORED = Set.of("metadata.resourceVersion", "metadata.managedFields");

    public enum Kind { ADDED, CHANGED, REMOVED }

    public record Entry(Kind kind, String key, ObjectRef ref, Long fromRevision, Long toRevision, List<JsonDiff.Change> changes) {
    }

    public record Result(long from, long to, List<Entry> entries) {
        public ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("fromRevision", from);
            n.put("toRevision", to);
            ArrayNode arr = n.putArray("objects");
            for (Entry e : entries) {
                ObjectNode o = arr.addObject();
                o.put("change", e.kind().name().toLowerCase());
                o.put("kind", e.ref().getKind());
                o.put("group", e.ref().getGroup());
                o.put("namespace", e.ref().getNamespace());
                o.put("name", e.ref().getName());
                if (e.fromRevision() != null) {
                    o.put("fromResourceVersion", String.valueOf(e.fromRevision()));
                }
                if (e.toRevision() != null) {
                    o.put("toResourceVersion", String.valueOf(e.toRevision()));
                }
                o.set("fields", JsonDiff.toJson(e.changes()));
            }
            return n;
        }
    }

    private HistoryDiff() {
    }

    /** Reads the log once: the state at {@code from} is copied on the way to {@code to}. */
    public static Result between(LogReader reader, long from, long to, KindMatcher kind, Progress progress) {
        if (from > to) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
        StateFold fold = new StateFold();
        NavigableMap<String, ObjectEvent>[] before = new NavigableMap[]{from == 0 ? fold.snapshot() : null};
        reader.events(progress, e -> {
            if (e.getRevision() > to) {
                return false;
            }
            fold.apply(e);
            if (before[0] == null && e.getRevision() >= from) {
                before[0] = fold.snapshot();
            }
            return e.getRevision() < to;
        });
        if (fold.revision() < to) {
            throw new IllegalArgumentException("Revision " + to + " is not in the log: its last revision is " + fold.revision());
        }
        return compare(before[0], fold.objects(), from, to, kind);
    }

    /**
     * Like {@link #between(LogReader, long, long, KindMatcher, Progress)}, starting from the nearest snapshot at or
     * below {@code from} when {@code snapshots} has one (said on {@code log}).
     */
    public static Result between(LogReader reader, SnapshotStore snapshots, long from, long to, KindMatcher kind, Progress progress,
                                 java.io.PrintStream log) {
        if (snapshots == null || reader.isFile()) {
            return between(reader, from, to, kind, progress);
        }
        if (from > to) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
        SnapshotStore.Snapshot start = snapshots.nearestAtOrBelow(reader.eventsTopic(), from).orElse(null);
        @SuppressWarnings("unchecked")
        NavigableMap<String, ObjectEvent>[] before = new NavigableMap[1];
        StateFold fold = SnapshotFold.run(reader, start, false, () -> false, progress, log, (f, e, offset) -> {
            if (e.getRevision() > to) {
                return false;
            }
            if (before[0] == null && e.getRevision() > from) {
                before[0] = f.snapshot(); // the state at from: everything up to the event before this one
            }
            f.apply(e);
            return e.getRevision() < to;
        });
        if (fold.revision() < to) {
            throw new IllegalArgumentException("Revision " + to + " is not in the log: its last revision is " + fold.revision());
        }
        return compare(before[0] != null ? before[0] : fold.snapshot(), fold.objects(), from, to, kind);
    }

    /** Pure: the differences between two states. */
    public static Result compare(NavigableMap<String, ObjectEvent> a, NavigableMap<String, ObjectEvent> b, long from, long to, KindMatcher kind) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Entry> entries = new ArrayList<>();
        for (String key : keys) {
            ObjectEvent x = a.get(key);
            ObjectEvent y = b.get(key);
            ObjectRef ref = (y != null ? y : x).getRef();
            if (kind != null && !kind.matches(ref)) {
                continue;
            }
            if (x == null) {
                entries.add(new Entry(Kind.ADDED, key, ref, null, y.getRevision(), List.of()));
            } else if (y == null) {
                entries.add(new Entry(Kind.REMOVED, key, ref, x.getRevision(), null, List.of()));
            } else if (x.getRevision() != y.getRevision()) {
                JsonNode xo = Jsons.parse(x.getObject());
                JsonNode yo = Jsons.parse(y.getObject());
                List<JsonDiff.Change> changes = JsonDiff.diff(xo, yo, IGNORED);
                // A delete and re-create with the same content is still a change: a new uid, new revision.
                entries.add(new Entry(Kind.CHANGED, key, ref, x.getRevision(), y.getRevision(), changes));
            }
        }
        return new Result(from, to, entries);
    }

    public static void print(Result result, OutputFormat format, PrintStream out) {
        if (format != OutputFormat.TABLE) {
            format.write(out, result.toJson());
            return;
        }
        long added = result.entries().stream().filter(e -> e.kind() == Kind.ADDED).count();
        long changed = result.entries().stream().filter(e -> e.kind() == Kind.CHANGED).count();
        long removed = result.entries().stream().filter(e -> e.kind() == Kind.REMOVED).count();
        out.printf("# revision %d -> %d: %d added, %d changed, %d removed%n", result.from(), result.to(), added, changed, removed);
        List<List<String>> rows = new ArrayList<>();
        for (Entry e : result.entries()) {
            rows.add(List.of(e.kind().name(), Replay.kindOf(e.ref()), e.ref().getNamespace(), e.ref().getName(),
                    (e.fromRevision() == null ? "-" : e.fromRevision()) + " -> " + (e.toRevision() == null ? "-" : e.toRevision())));
        }
        OutputFormat.table(out, List.of("CHANGE", "KIND", "NAMESPACE", "NAME", "RESOURCEVERSION"), rows);
        for (Entry e : result.entries()) {
            if (e.kind() == Kind.CHANGED && !e.changes().isEmpty()) {
                out.println();
                out.println(Replay.kindOf(e.ref()) + " " + (e.ref().getNamespace().isEmpty() ? "" : e.ref().getNamespace() + "/") + e.ref().getName() + ":");
                e.changes().forEach(c -> out.println("  " + c));
            }
        }
    }
}
