package io.kronika.replay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Writes snapshots of the folded state every {@code every} events, going on from the latest snapshot: once up to
 * the end of the log ({@link #catchUp}, {@code kronika history snapshot}), or following the log in the background
 * ({@link #start}, the all-in-one cluster).
 */
public final class Snapshotter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    public static final long DEFAULT_EVERY = 50_000;

    private final LogReader reader;
    private final SnapshotStore store;
    private final long every;
    private volatile boolean stopping;
    private Thread thread;

    public Snapshotter(LogReader reader, SnapshotStore store, long every) {
        if (every <= 0) {
            throw new IllegalArgumentException("snapshot interval must be > 0 events");
        }
        if (reader.isFile()) {
            throw new IllegalArgumentException("snapshots are of a cluster's log, not of an export file");
        }
        this.reader = reader;
        this.store = store;
        this.every = every;
    }

    /** Folds from the latest snapshot to the end of the log, writing one every N events and one at the end. */
    public List<SnapshotStore.Snapshot> catchUp(Progress progress, PrintStream log) {
        return run(false, () -> false, progress, log, true);
    }

    /** Follows the log on a daemon thread until closed, writing a snapshot every N events. */
    public static Snapshotter start(LogReader reader, SnapshotStore store, long every) {
        Snapshotter s = new Snapshotter(reader, store, every);
        s.thread = new Thread(() -> {
            try {
                s.run(true, () -> s.stopping, Progress.NONE, new PrintStream(OutputStream.nullOutputStream()), false);
            } catch (RuntimeException e) {
                if (!s.stopping) {
                    LOG.warn("The snapshotter stopped: {}", e.toString(), e);
                }
            }
        }, "kronika-snapshotter");
        s.thread.setDaemon(true);
        s.thread.start();
        return s;
    }

    private List<SnapshotStore.Snapshot> run(boolean follow, BooleanSupplier stop, Progress progress, PrintStream log, boolean finalSnapshot) {
        String topic = reader.eventsTopic();
        SnapshotStore.Snapshot latest = store.latest(topic).orElse(null);
        List<SnapshotStore.Snapshot> written = new ArrayList<>();
        long[] lastSnapshot = {latest == null ? 0 : latest.revision()};
        long[] lastOffset = {-1};
        String[] lastCommand = {null};
        StateFold fold = SnapshotFold.run(reader, latest, follow, stop, progress, log, (f, e, offset) -> {
            f.apply(e);
            lastOffset[0] = offset;
            lastCommand[0] = e.getCommandId();
            if (f.applied() > 0 && f.revision() - lastSnapshot[0] >= every) {
                written.add(store.write(f, topic, offset, e.getCommandId()));
                lastSnapshot[0] = f.revision();
                LOG.debug("Snapshot at revision {}", f.revision());
            }
            return true;
        });
        if (finalSnapshot && lastOffset[0] >= 0 && fold.revision() > lastSnapshot[0]) {
            written.add(store.write(fold, topic, lastOffset[0], lastCommand[0]));
        }
        return written;
    }

    @Override
    public void close() {
        stopping = true;
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
