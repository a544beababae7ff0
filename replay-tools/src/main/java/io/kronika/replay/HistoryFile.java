package io.kronika.replay;

import io.kronika.schemas.ObjectEvent;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * History as a portable file: an Avro object container file of {@link ObjectEvent}s in revision order. The file
 * carries its writer schema, so any Avro reader (and later versions of Kronika) can read it. Snapshots use the
 * same container with another format tag (see {@link SnapshotStore}).
 */
public final class HistoryFile {
    public static final String FORMAT_KEY = "kronika.history.format";
    public static final String FORMAT = "events/1";

    private HistoryFile() {
    }

    /** Writes every committed event of the cluster to {@code file}; returns how many. */
    public static long export(LogReader reader, Path file, Progress progress) {
        return export(reader, file, Long.MAX_VALUE, progress);
    }

    /** Writes the committed events up to {@code toRevision} (the history until then); returns how many. */
    public static long export(LogReader reader, Path file, long toRevision, Progress progress) {
        long[] n = {0};
        long[] lastRevision = {0};
        write(file, Map.of(FORMAT_KEY, FORMAT), append -> reader.events(progress, e -> {
            if (e.getRevision() > toRevision) {
                return false;
            }
            if (e.getRevision() <= lastRevision[0]) {
                throw new IllegalStateException("The log is not in revision order at revision " + e.getRevision());
            }
            lastRevision[0] = e.getRevision();
            append.accept(e);
            n[0]++;
            return e.getRevision() < toRevision;
        }));
        return n[0];
    }

    /** Hands the events of an export file to {@code handler} in order until it returns false. */
    public static void read(Path file, Predicate<ObjectEvent> handler) {
        read(file, FORMAT, handler);
    }

    /**
     * Writes a container file with {@code meta} (which names its format under {@link #FORMAT_KEY}): {@code body}
     * appends the events. Written beside the target and moved into place, so a reader never sees half a file.
     */
    static void write(Path file, Map<String, String> meta, Consumer<Consumer<ObjectEvent>> body) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (DataFileWriter<ObjectEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ObjectEvent.class))) {
                writer.setCodec(CodecFactory.deflateCodec(6));
                meta.forEach(writer::setMeta);
                writer.create(ObjectEvent.getClassSchema(), tmp.toFile());
                body.accept(e -> {
                    try {
                        writer.append(e);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** The metadata of a container file of the given format (fails on another format). */
    static Map<String, String> meta(Path file, String format) {
        Map<String, String> meta = new HashMap<>();
        read(file, format, meta, e -> false);
        return meta;
    }

    /** Hands the events of a container file of {@code format} to {@code handler} in order until it returns false. */
    static void read(Path file, String format, Predicate<ObjectEvent> handler) {
        read(file, format, new HashMap<>(), handler);
    }

    private static void read(Path file, String format, Map<String, String> meta, Predicate<ObjectEvent> handler) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("No such file: " + file);
        }
        try (DataFileReader<ObjectEvent> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ObjectEvent.class))) {
            String found = reader.getMetaString(FORMAT_KEY);
            if (!format.equals(found)) {
                throw new IllegalArgumentException(file + " is not a Kronika " + (FORMAT.equals(format) ? "history export" : format)
                        + " file (" + FORMAT_KEY + " = " + found + ")");
            }
            for (String key : reader.getMetaKeys()) {
                if (key.startsWith("kronika.")) {
                    meta.put(key, reader.getMetaString(key));
                }
            }
            while (reader.hasNext()) {
                if (!handler.test(reader.next(null))) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
