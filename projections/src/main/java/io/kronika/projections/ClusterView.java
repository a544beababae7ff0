package io.kronika.projections;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The read side of the cluster: the projections of the events topic, queried in this process.
 * Keys are object keys ({@link io.kronika.schemas.ObjectKeys}); prefixes select a kind, or a kind in a namespace.
 */
public interface ClusterView {
    /** Revision of the last event folded into the views. */
    long appliedRevision();

    /** Blocks until {@link #appliedRevision()} is at least {@code revision} (read-your-writes), or throws. */
    void awaitRevision(long revision, Duration timeout) throws TimeoutException, InterruptedException;

    /** The current version of an object, if it exists. */
    Optional<StoredObject> get(String key);

    /** The version of an object as of {@code revision} (the latest version at or before it), if it existed then. */
    Optional<StoredObject> getAt(String key, long revision);

    /**
     * Objects whose key starts with {@code keyPrefix}, in key order, as of {@code atRevision} (which must not be
     * after {@link #appliedRevision()}), starting after {@code continueAfterKey} (null: from the start), keeping
     * those {@code filter} accepts, at most {@code limit} of them (0: no limit).
     */
    ListPage list(String keyPrefix, long atRevision, Predicate<StoredObject> filter, int limit, String continueAfterKey);

    /** Pods currently bound to {@code nodeName}. */
    List<StoredObject> podsOnNode(String nodeName);

    /** Offset in the events topic of the event with this revision, if the views have applied it. */
    OptionalLong offsetOfRevision(long revision);
}
