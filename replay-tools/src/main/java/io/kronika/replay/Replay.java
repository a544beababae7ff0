package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code history replay}: the exact state of the cluster at a revision or a moment, folded from the log. */
public final class Replay {
    private Replay() {
    }

    /** The state right after {@code revision}; fails when the log has not reached it. */
    public static StateFold toRevision(LogReader reader, long revision, Progress progress) {
        if (revision < 0) {
            throw new IllegalArgumentException("--to-revision must be >= 0");
        }
        StateFold fold = new StateFold();
        reader.events(progress, e -> {
            if (e.getRevision() > revision) {
                return false;
            }
            fold.apply(e);
            return e.getRevision() < revision;
        });
        if (fold.revision() < revision) {
            throw new IllegalArgumentException("Revision " + revision + " is not in the log: its last revision is " + fold.revision());
        }
        return fold;
    }

    /**
     * The state right after {@code revision}, starting from the nearest snapshot at or below it when
     * {@code snapshots} has one (and the log is a cluster's, not a file); says which start it took on {@code log}.
     */
    public static StateFold toRevision(LogReader reader, SnapshotStore snapshots, long revision, Progress progress, PrintStream log) {
        if (snapshots == null || reader.isFile()) {
            return toRevision(reader, revision, progress);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("--to-revision must be >= 0");
        }
        SnapshotStore.Snapshot start = snapshots.nearestAtOrBelow(reader.eventsTopic(), revision).orElse(null);
        if (start == null) {
            log.println("no snapshot at or below revision " + revision + " in " + snapshots.dir() + ": folding from the start of the log");
        }
        StateFold fold = SnapshotFold.run(reader, start, false, () -> false, progress, log, (f, e, offset) -> {
            if (e.getRevision() > revision) {
                return false;
            }
            f.apply(e);
            return e.getRevision() < revision;
        });
        if (fold.revision() < revision) {
            throw new IllegalArgumentException("Revision " + revision + " is not in the log: its last revision is " + fold.revision());
        }
        return fold;
    }

    /** The state at {@code time}, starting from the nearest snapshot at or before it when there is one. */
    public static StateFold toTime(LogReader reader, SnapshotStore snapshots, Instant time, Progress progress, PrintStream log) {
        if (snapshots == null || reader.isFile()) {
            return toTime(reader, time, progress);
        }
        SnapshotStore.Snapshot start = snapshots.nearestAtOrBefore(reader.eventsTopic(), time).orElse(null);
        return SnapshotFold.run(reader, start, false, () -> false, progress, log, (f, e, offset) -> {
            if (e.getTimestamp().isAfter(time)) {
                return false;
            }
            f.apply(e);
            return true;
        });
    }

    /** The state at {@code time}: every event accepted at or before it (the log prefix up to that moment). */
    public static StateFold toTime(LogReader reader, Instant time, Progress progress) {
        StateFold fold = new StateFold();
        reader.events(progress, e -> {
            if (e.getTimestamp().isAfter(time)) {
                return false;
            }
            fold.apply(e);
            return true;
        });
        return fold;
    }

    /** The state as a Kubernetes List whose resourceVersion is the revision; items sorted by key. */
    public static ObjectNode asList(StateFold fold) {
        return asList(fold, true);
    }

    /** Like kubectl, leaves out metadata.managedFields unless {@code managedFields}. */
    public static ObjectNode asList(StateFold fold, boolean managedFields) {
        ObjectNode list = Jsons.object();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", String.valueOf(fold.revision()));
        if (fold.time() != null) {
            meta.put("time", fold.time().toString());
        }
        ArrayNode items = list.putArray("items");
        fold.objects().values().forEach(e -> items.add(object(e, managedFields)));
        return list;
    }

    static JsonNode object(ObjectEvent e, boolean managedFields) {
        JsonNode o = Jsons.parse(e.getObject());
        if (!managedFields && o.path("metadata").isObject()) {
            ((ObjectNode) o.get("metadata")).remove("managedFields");
        }
        return o;
    }

    public static void print(StateFold fold, OutputFormat format, PrintStream out) {
        print(fold, format, true, out);
    }

    public static void print(StateFold fold, OutputFormat format, boolean managedFields, PrintStream out) {
        if (format != OutputFormat.TABLE) {
            format.write(out, asList(fold, managedFields));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ObjectEvent e : fold.objects().values()) {
            ObjectRef r = e.getRef();
            rows.add(List.of(kindOf(r), r.getNamespace().isEmpty() ? "" : r.getNamespace(), r.getName(),
                    String.valueOf(e.getRevision()), e.getTimestamp().toString(), e.getActor().getUser()));
        }
        out.println("# state at revision " + fold.revision() + (fold.time() == null ? "" : " (" + fold.time() + ")")
                + ": " + fold.objects().size() + " objects");
        OutputFormat.table(out, List.of("KIND", "NAMESPACE", "NAME", "RESOURCEVERSION", "CHANGED", "BY"), rows);
    }

    static String kindOf(ObjectRef r) {
        return r.getGroup().isEmpty() ? r.getKind() : r.getKind() + "." + r.getGroup();
    }

    /**
     * Writes the state to {@code dir}: one file per object under {@code group/kind/namespace/name.json|yaml}
     * ({@code _cluster} for cluster-scoped objects) and {@code state.json} naming the revision and the time.
     */
    public static int writeDir(StateFold fold, Path dir, OutputFormat format) {
        return writeDir(fold, dir, format, true);
    }

    public static int writeDir(StateFold fold, Path dir, OutputFormat format, boolean managedFields) {
        boolean yaml = format == OutputFormat.YAML;
        try {
            Files.createDirectories(dir);
            int written = 0;
            for (Map.Entry<String, ObjectEvent> entry : fold.objects().entrySet()) {
                ObjectRef r = entry.getValue().getRef();
                Path file = dir.resolve(safe(r.getGroup().isEmpty() ? "core" : r.getGroup())).resolve(safe(r.getKind()))
                        .resolve(r.getNamespace().isEmpty() ? "_cluster" : safe(r.getNamespace()))
                        .resolve(safe(r.getName()) + (yaml ? ".yaml" : ".json"));
                Files.createDirectories(file.getParent());
                JsonNode object = object(entry.getValue(), managedFields);
                Files.writeString(file, yaml ? Jsons.YAML.writeValueAsString(object) : Jsons.PRETTY.writeValueAsString(object) + "\n");
                written++;
            }
            ObjectNode state = Jsons.object();
            state.put("revision", fold.revision());
            state.put("time", fold.time() == null ? null : fold.time().toString());
            state.put("objects", written);
            Files.writeString(dir.resolve("state.json"), Jsons.PRETTY.writeValueAsString(state) + "\n");
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String safe(String s) {
        return s.replace('/', '_').replace("..", "__");
    }
}
