package io.kronika.kubelet.logs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The log of one container attempt. On disk (CRI format, rotated at {@code maxBytes} into at most
 * {@code maxFiles} files: {@code N.log}, {@code N.log.1}, …) or, without a directory, the last lines in memory
 * (sim nodes). Followers get every line appended after they start, and are told when the container's output ends.
 */
public final class ContainerLog {
    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private final int memoryLines;
    private final Deque<LogEntry> memory = new ArrayDeque<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private BufferedWriter writer;
    private long written;
    private boolean ended;

    public interface Follower {
        void entry(LogEntry entry);

        void ended();
    }

    /** A log on disk at {@code file}. */
    public ContainerLog(Path file, long maxBytes, int maxFiles) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxFiles = Math.max(1, maxFiles);
        this.memoryLines = 0;
        try {
            Files.createDirectories(file.getParent());
            written = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A log in memory keeping the last {@code lines} lines. */
    public ContainerLog(int lines) {
        this.file = null;
        this.maxBytes = 0;
        this.maxFiles = 0;
        this.memoryLines = lines;
    }

    public synchronized void append(LogEntry entry) {
        if (file == null) {
            memory.addLast(entry);
            while (memory.size() > memoryLines) {
                memory.removeFirst();
            }
        } else {
            try {
                String text = entry.toCri() + "\n";
                int size = text.getBytes(StandardCharsets.UTF_8).length;
                if (written > 0 && written + size > maxBytes) {
                    rotate();
                }
                if (writer == null) {
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                writer.write(text);
                writer.flush();
                written += size;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Follower follower : followers) {
            follower.entry(entry);
        }
    }

    private void rotate() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (maxFiles <= 1) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(maxFiles - 1));
            for (int i = maxFiles - 2; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        written = 0;
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** The container's output ended: followers are told, later followers get what there is and end at once. */
    public synchronized void end() {
        ended = true;
        for (Follower follower : followers) {
            follower.ended();
        }
        followers.clear();
        closeWriter();
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Reopens a log whose container is running again after a kubelet restart. */
    public synchronized void reopen() {
        ended = false;
    }

    /** Every entry kept, oldest first. */
    public synchronized List<LogEntry> entries() {
        if (file == null) {
            return new ArrayList<>(memory);
        }
        List<LogEntry> entries = new ArrayList<>();
        try {
            if (writer != null) {
                writer.flush();
            }
            for (int i = maxFiles - 1; i >= 1; i--) {
                readInto(rotated(i), entries::add);
            }
            readInto(file, entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static void readInto(Path path, Consumer<LogEntry> sink) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            lines.forEach(l -> sink.accept(LogEntry.fromCri(l)));
        }
    }

    /** The entries a query selects, oldest first. */
    public List<LogEntry> read(LogQuery query) {
        List<LogEntry> all = entries();
        List<LogEntry> selected = new ArrayList<>();
        for (LogEntry entry : all) {
            if (query.since() == null || !entry.timestamp().isBefore(query.since())) {
                selected.add(entry);
            }
        }
        if (query.tailLines() >= 0 && selected.size() > query.tailLines()) {
            selected = selected.subList(selected.size() - (int) query.tailLines(), selected.size());
        }
        return selected;
    }

    /**
     * Sends what the query selects, then every later entry, until the container's output ends or the returned
     * handle is closed. The hand-over has no gap and no duplicate.
     */
    public synchronized AutoCloseable follow(LogQuery query, Follower follower) {
        for (LogEntry entry : read(query)) {
            follower.entry(entry);
        }
        if (ended) {
            follower.ended();
            return () -> { };
        }
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    public synchronized void close() {
        closeWriter();
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // closing
            }
            writer = null;
        }
    }

    /** Files of this log (for removal). */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (file != null) {
            files.add(file);
            for (int i = 1; i < maxFiles; i++) {
                files.add(rotated(i));
            }
        }
        return files;
    }
}
