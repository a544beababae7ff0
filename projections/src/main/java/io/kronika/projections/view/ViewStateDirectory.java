package io.kronika.projections.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the local state of a view can be trusted. The stores have no changelog and RocksDB runs without a
 * write-ahead log, so only a view that was closed cleanly (its stores flushed together with its committed offset)
 * may resume; after a crash, or when the state is gone, the view is rebuilt by folding the log from the start.
 * A marker file next to the application's state directory records the clean close; it is removed while running.
 * The marker names the layout of the stores: state written by a build with another layout (other stores, other
 * encodings) is not trusted either, and is rebuilt the same way.
 */
final class ViewStateDirectory {
    /** Bump when the stores change in a way that state written before cannot serve (2: lifetimes, history newest first). */
    static final int STATE_LAYOUT = 2;
    private static final String CLEAN = "closed cleanly, state layout " + STATE_LAYOUT + "\n";

    private final Path applicationDir;
    private final Path cleanMarker;

    ViewStateDirectory(Path stateDir, String applicationId) {
        this.applicationDir = stateDir.resolve(applicationId);
        this.cleanMarker = stateDir.resolve(applicationId + ".clean");
    }

    boolean closedCleanly() {
        try {
            return Files.isRegularFile(cleanMarker) && Files.isDirectory(applicationDir) && Files.readString(cleanMarker).equals(CLEAN);
        } catch (IOException e) {
            return false; // an unreadable marker vouches for nothing: rebuild
        }
    }

    void markOpen() {
        try {
            Files.createDirectories(cleanMarker.getParent());
            Files.deleteIfExists(cleanMarker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void markClosedCleanly() {
        try {
            Files.writeString(cleanMarker, CLEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
