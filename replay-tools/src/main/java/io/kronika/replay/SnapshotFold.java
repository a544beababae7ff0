package io.kronika.replay;

import io.kronika.schemas.ObjectEvent;

import java.io.PrintStream;
import java.util.function.BooleanSupplier;

/**
 * Folds a cluster's log from a snapshot when one is given: the state is loaded from the snapshot file and the
 * events topic is read from the snapshot's last event on. That first record must be the snapshot's last event
 * (same revision and command id); if it is not, the snapshot belongs to another log (a recreated topic, a
 * reused data dir) and the fold starts again from the beginning of the log, saying so.
 */
public final class SnapshotFold {
    /** Takes one event after the start; applies it to {@code fold} (or not) and returns whether to go on. */
    @FunctionalInterface
    public interface Step {
        boolean accept(StateFold fold, ObjectEvent event, long offset);
    }

    private static final class NotThisLog extends RuntimeException {
        NotThisLog(String message) {
            super(message, null, false, false);
        }
    }

    private SnapshotFold() {
    }

    public static StateFold run(LogReader reader, SnapshotStore.Snapshot start, boolean follow, BooleanSupplier stop,
                                Progress progress, PrintStream log, Step step) {
        if (start != null) {
            try {
                return fromSnapshot(reader, start, follow, stop, progress, log, step);
            } catch (NotThisLog e) {
                log.println(e.getMessage() + "; folding from the start of the log instead");
            }
        }
        StateFold fold = new StateFold();
        reader.eventsFrom(-1, follow, stop, progress, (e, offset) -> step.accept(fold, e, offset));
        return fold;
    }

    private static StateFold fromSnapshot(LogReader reader, SnapshotStore.Snapshot start, boolean follow, BooleanSupplier stop,
                                          Progress progress, PrintStream log, Step step) {
        StateFold fold = start.load();
        log.println("replaying from the " + start + "; reading the events after revision " + start.revision());
        boolean[] anchored = {false};
        reader.eventsFrom(start.lastEventOffset(), follow, stop, progress, (e, offset) -> {
            if (!anchored[0]) {
                if (offset != start.lastEventOffset() || e.getRevision() != start.revision()
                        || !e.getCommandId().equals(start.lastEventCommandId())) {
                    throw new NotThisLog("The " + start + " does not match this log (offset " + offset + " holds revision "
                            + e.getRevision() + ")");
                }
                anchored[0] = true;
                return true;
            }
            return step.accept(fold, e, offset);
        });
        if (!anchored[0]) {
            throw new NotThisLog("The " + start + " is beyond the end of this log");
        }
        return fold;
    }
}
