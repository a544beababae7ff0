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
import java.util.function.Predicate;

/**
 * History as a portable file: an Avro object container file of {@link ObjectEvent}s in revision order. The file
 * carries its writer schema, so any Avro reader (and later versions of Kronika) can read it.
 */
public final class HistoryFile {
    public static final String FORMAT_KEY = "kronika.history.format";
    public static final String FORMAT = "events/1";

    private HistoryFile() {
    }

    /** Writes every committed event of the cluster to {@code file}; returns how many. */
    public static long export(LogReader reader, Path file, Progress progress) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            long[] n = {0};
            long[] lastRevision = {0};
            try (DataFileWriter<ObjectEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ObjectEvent.class))) {
                writer.setCodec(CodecFactory.deflateCodec(6));
                writer.setMeta(FORMAT_KEY, FORMAT);
                writer.create(ObjectEvent.getClassSchema(), tmp.toFile());
                reader.events(progress, e -> {
                    if (e.getRevision() <= lastRevision[0]) {
                        throw new IllegalStateException("The log is not in revision order at revision " + e.getRevision());
                    }
                    lastRevision[0] = e.getRevision();
                    try {
                        writer.append(e);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                    n[0]++;
                    return true;
                });
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return n[0];
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Hands the events of an export file to {@code handler} in order until it returns false. */
    public static void read(Path file, Predicate<ObjectEvent> handler) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("No such file: " + file);
        }
        try (DataFileReader<ObjectEvent> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ObjectEvent.class))) {
            String format = reader.getMetaString(FORMAT_KEY);
            if (!FORMAT.equals(format)) {
                throw new IllegalArgumentException(file + " is not a Kronika history export (" + FORMAT_KEY + " = " + format + ")");
            }
            ObjectEvent reuse = null;
            while (reader.hasNext()) {
                reuse = reader.next(null);
                if (!handler.test(reuse)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
