package io.kronika.replay;

import io.kronika.schemas.ObjectEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots of the folded state in a directory (by default {@code <data-dir>/snapshots}): one Avro container file
 * per snapshot, {@code snapshot-<revision>.avro}, holding the current event of every live object plus where in
 * the events topic the snapshot stands (docs/decisions/007-snapshots-and-import.md). A snapshot is a cache: delete
 * the directory and replay only gets slower.
 */
public final class SnapshotStore {
    public static final String FORMAT = "snapshot/1";
    static final String REVISION = "kronika.snapshot.revision";
    static final String TIME = "kronika.snapshot.time";
    static final String TOPIC = "kronika.snapshot.eventsTopic";
    static final String LAST_OFFSET = "kronika.snapshot.lastEventOffset";
    static final String LAST_COMMAND = "kronika.snapshot.lastEventCommandId";
    static final String OBJECTS = "kronika.snapshot.objects";
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.avro");

    /**
     * One snapshot: the state right after {@code revision}, whose event is the record at {@code lastEventOffset} of
     * {@code eventsTopic} with {@code lastEventCommandId} (checked on resume, so a snapshot of another log is never used).
     */
    public record Snapshot(Path file, long revision, Instant time, String eventsTopic, long lastEventOffset,
                           String lastEventCommandId, long objects) {
        public StateFold load() {
            List<ObjectEvent> events = new ArrayList<>();
            HistoryFile.read(file, FORMAT, e -> events.add(e));
            return StateFold.restore(revision, time, events);
        }

        @Override
        public String toString() {
            return "snapshot at revision " + revision + " (" + objects + " objects, " + file.getFileName() + ")";
        }
    }

    private final Path dir;

    public SnapshotStore(Path dir) {
        this.dir = dir;
    }

    public static SnapshotStore inDataDir(Path dataDir) {
        return new SnapshotStore(dataDir.resolve("snapshots"));
    }

    public Path dir() {
        return dir;
    }

    /** The snapshots of {@code eventsTopic}, oldest first. */
    public List<Snapshot> list(String eventsTopic) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (NAME.matcher(f.getFileName().toString()).matches()) {
                    Snapshot s = describe(f);
                    if (s.eventsTopic().equals(eventsTopic)) {
                        out.add(s);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        out.sort(Comparator.comparingLong(Snapshot::revision));
        return out;
    }

    /** The latest snapshot at or below {@code revision}. */
    public Optional<Snapshot> nearestAtOrBelow(String eventsTopic, long revision) {
        Snapshot best = null;
        for (Snapshot s : list(eventsTopic)) {
            if (s.revision() <= revision) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The latest snapshot whose last event is at or before {@code time}. */
    public Optional<Snapshot> nearestAtOrBefore(String eventsTopic, Instant time) {
        Snapshot best = null;
        for (Snapshot s : list(eventsTopic)) {
            if (s.time() != null && !s.time().isAfter(time)) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<Snapshot> latest(String eventsTopic) {
        return nearestAtOrBelow(eventsTopic, Long.MAX_VALUE);
    }

    /** Writes the state of {@code fold}, whose last event is the record at {@code lastEventOffset}. */
    public Snapshot write(StateFold fold, String eventsTopic, long lastEventOffset, String lastEventCommandId) {
        if (fold.revision() <= 0) {
            throw new IllegalArgumentException("Nothing to snapshot before the first event");
        }
        Path file = dir.resolve(String.format("snapshot-%020d.avro", fold.revision()));
        Map<String, String> meta = Map.of(HistoryFile.FORMAT_KEY, FORMAT, REVISION, String.valueOf(fold.revision()),
                TIME, fold.time() == null ? "" : fold.time().toString(), TOPIC, eventsTopic,
                LAST_OFFSET, String.valueOf(lastEventOffset), LAST_COMMAND, lastEventCommandId,
                OBJECTS, String.valueOf(fold.objects().size()));
        HistoryFile.write(file, meta, append -> fold.objects().values().forEach(append));
        return describe(file);
    }

    private static Snapshot describe(Path file) {
        Map<String, String> m = HistoryFile.meta(file, FORMAT);
        Matcher name = NAME.matcher(file.getFileName().toString());
        long revision = Long.parseLong(m.getOrDefault(REVISION, name.matches() ? name.group(1) : "0"));
        String time = m.getOrDefault(TIME, "");
        return new Snapshot(file, revision, time.isEmpty() ? null : Instant.parse(time), m.getOrDefault(TOPIC, ""),
                Long.parseLong(m.getOrDefault(LAST_OFFSET, "-1")), m.getOrDefault(LAST_COMMAND, ""),
                Long.parseLong(m.getOrDefault(OBJECTS, "0")));
    }
}
