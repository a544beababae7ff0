package io.kronika.replay;

import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of a cluster folded from its events: for every live object key, the event that produced its current
 * version. A pure function of the events given, in their order: no clock, no randomness, so the same log prefix
 * always yields the same state (keys sorted).
 */
public final class StateFold {
    private final TreeMap<String, ObjectEvent> objects = new TreeMap<>();
    private final List<String> anomalies = new ArrayList<>();
    private long revision;
    private Instant time;
    private long applied;
    private long base;

    /** A fold that goes on from a snapshot: {@code objects} (the current event of each live key) at {@code revision}. */
    public static StateFold restore(long revision, Instant time, Iterable<ObjectEvent> objects) {
        StateFold fold = new StateFold();
        for (ObjectEvent e : objects) {
            if (e.getRevision() > revision) {
                throw new IllegalArgumentException("Snapshot at revision " + revision + " holds " + ObjectKeys.of(e.getRef())
                        + " at the later revision " + e.getRevision());
            }
            fold.objects.put(ObjectKeys.of(e.getRef()), e);
        }
        fold.revision = revision;
        fold.base = revision;
        fold.time = time;
        return fold;
    }

    /** Applies one event; events must come in strictly increasing revision order. */
    public StateFold apply(ObjectEvent event) {
        long r = event.getRevision();
        if (r <= revision) {
            throw new IllegalStateException("Event at revision " + r + " after revision " + revision
                    + ": the log is not in revision order (" + ObjectKeys.of(event.getRef()) + ")");
        }
        if (revision > 0 && r != revision + 1) {
            anomalies.add("revision gap: " + revision + " -> " + r);
        }
        String key = ObjectKeys.of(event.getRef());
        ObjectEvent previous = objects.get(key);
        switch (event.getType()) {
            case ADDED -> {
                if (previous != null) {
                    anomalies.add("ADDED at revision " + r + " of " + key + " which exists since revision " + previous.getRevision());
                }
                objects.put(key, event);
            }
            case MODIFIED -> {
                if (previous == null) {
                    anomalies.add("MODIFIED at revision " + r + " of " + key + " which does not exist");
                } else if (event.getPreviousRevision() != null && event.getPreviousRevision() != previous.getRevision()) {
                    anomalies.add("MODIFIED at revision " + r + " of " + key + " replaces revision " + event.getPreviousRevision()
                            + " but the current version is " + previous.getRevision());
                }
                objects.put(key, event);
            }
            case DELETED -> {
                if (previous == null) {
                    anomalies.add("DELETED at revision " + r + " of " + key + " which does not exist");
                }
                objects.remove(key);
            }
        }
        revision = r;
        time = event.getTimestamp();
        applied++;
        return this;
    }

    /** Folds {@code events} up to and including {@code toRevision} (all of them when it is {@code Long.MAX_VALUE}). */
    public static StateFold fold(Iterable<ObjectEvent> events, long toRevision) {
        StateFold fold = new StateFold();
        for (ObjectEvent e : events) {
            if (e.getRevision() > toRevision) {
                break;
            }
            fold.apply(e);
        }
        return fold;
    }

    /** Folds the prefix of {@code events} whose timestamps are at or before {@code time}. */
    public static StateFold foldToTime(Iterable<ObjectEvent> events, Instant time) {
        StateFold fold = new StateFold();
        for (ObjectEvent e : events) {
            if (e.getTimestamp().isAfter(time)) {
                break;
            }
            fold.apply(e);
        }
        return fold;
    }

    /** The revision of the last event applied (0 before any). */
    public long revision() {
        return revision;
    }

    /** The time of the last event applied, or null. */
    public Instant time() {
        return time;
    }

    /** Events applied by this fold (since its snapshot, when restored from one). */
    public long applied() {
        return applied;
    }

    /** The revision of the snapshot this fold was restored from (0: folded from the start of the log). */
    public long base() {
        return base;
    }

    /** Key → the event of the object's current version, sorted by key (a view). */
    public NavigableMap<String, ObjectEvent> objects() {
        return Collections.unmodifiableNavigableMap(objects);
    }

    /** A copy of the current objects, unaffected by later events. */
    public NavigableMap<String, ObjectEvent> snapshot() {
        return Collections.unmodifiableNavigableMap(new TreeMap<>(objects));
    }

    /** What the log says that no correct log says: revision gaps, additions of existing keys, changes of absent ones. */
    public List<String> anomalies() {
        return Collections.unmodifiableList(anomalies);
    }

    static boolean isLive(ObjectEvent e) {
        return e.getType() != EventType.DELETED;
    }
}
