package io.kronika.projections.view;

import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.projections.fold.HistoryReader;
import io.kronika.projections.fold.LifetimesWalk;
import io.kronika.projections.fold.NodeIndexKeys;
import io.kronika.projections.fold.ObjectVersion;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The read side of {@link io.kronika.projections.ClusterView} over the stores. Reads as of a revision the view has
 * applied are stable while the fold goes on: versions at or before it are never rewritten, and a key the fold
 * moved past it is answered from history.
 */
public final class ViewQueries {
    private final ViewStores stores;

    public ViewQueries(ViewStores stores) {
        this.stores = stores;
    }

    public Optional<StoredObject> get(String key) {
        ObjectVersion current = stores.objects().get(key);
        return current == null || current.deleted() ? Optional.empty() : Optional.of(current.toStoredObject(key));
    }

    public Optional<StoredObject> getAt(String key, long revision) {
        ObjectVersion current = stores.objects().get(key);
        if (current != null && current.revision() <= revision) {
            return visible(key, current);
        }
        try (HistoryReader history = stores.direct().historyReader()) {
            return visible(key, history.latestAtOrBefore(key, revision));
        }
    }

    /**
     * See {@link io.kronika.projections.ClusterView#list}; {@code atRevision} must already be applied. A list as of
     * the applied revision walks the current objects; one further back walks the keys that existed then (the
     * lifetimes store, raw) and seeks each one's version in history, so its cost does not grow with the history.
     */
    public ListPage list(String keyPrefix, long atRevision, Predicate<StoredObject> filter, int limit, String continueAfterKey) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        String start = startKey(keyPrefix, continueAfterKey);
        if (atRevision < stores.appliedRevision()) {
            try (LifetimesWalk keys = stores.direct().lifetimesWalk(); HistoryReader history = stores.direct().historyReader()) {
                keys.start(keyPrefix, start);
                return page(atRevision, () -> {
                    String key = keys.nextExistingAt(atRevision);
                    return key == null ? null : visible(key, history.latestAtOrBefore(key, atRevision));
                }, filter, limit);
            }
        }
        try (KeyValueIterator<String, ObjectVersion> it = stores.objects().range(start, null);
             LazyHistoryReader history = new LazyHistoryReader(stores.direct())) {
            return page(atRevision, () -> {
                if (!it.hasNext()) {
                    return null;
                }
                KeyValue<String, ObjectVersion> entry = it.next();
                if (!entry.key.startsWith(keyPrefix)) {
                    return null;
                }
                // The fold may have moved a key past the revision since the list started.
                return visible(entry.key, entry.value.revision() <= atRevision
                        ? entry.value : history.get().latestAtOrBefore(entry.key, atRevision));
            }, filter, limit);
        }
    }

    /** The items of candidates at {@code limit} ({@code 0}: all); null from the candidates ends them. */
    private static ListPage page(long atRevision, Supplier<Optional<StoredObject>> candidates, Predicate<StoredObject> filter, int limit) {
        List<StoredObject> items = new ArrayList<>();
        boolean more = false;
        for (Optional<StoredObject> candidate = candidates.get(); candidate != null; candidate = candidates.get()) {
            Optional<StoredObject> item = candidate.filter(filter);
            if (item.isEmpty()) {
                continue;
            }
            if (limit > 0 && items.size() == limit) {
                more = true;
                break;
            }
            items.add(item.get());
        }
        String continueKey = more ? items.get(items.size() - 1).key() : null;
        return new ListPage(atRevision, List.copyOf(items), continueKey);
    }

    /** Live pods bound to the node, in key order. */
    public List<StoredObject> podsOnNode(String nodeName) {
        List<StoredObject> pods = new ArrayList<>();
        String prefix = NodeIndexKeys.prefix(nodeName);
        try (KeyValueIterator<String, String> it = stores.podsByNode().range(prefix, null)) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                if (!entry.key.startsWith(prefix)) {
                    break;
                }
                get(entry.value).ifPresent(pods::add);
            }
        }
        return pods;
    }

    public OptionalLong offsetOfRevision(long revision) {
        Long offset = stores.revisionOffsets().get(revision);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** The object without its status, as of now. */
    public Optional<StoredObject> spec(String key) {
        ObjectVersion spec = stores.specs().get(key);
        return spec == null ? Optional.empty() : Optional.of(spec.toStoredObject(key));
    }

    /** Only the object's status (JSON), as of now; empty when the object does not exist or reports none. */
    public Optional<StoredObject> status(String key) {
        ObjectVersion status = stores.statuses().get(key);
        return status == null ? Optional.empty() : Optional.of(status.toStoredObject(key));
    }

    private static Optional<StoredObject> visible(String key, ObjectVersion version) {
        return version == null || version.deleted() ? Optional.empty() : Optional.of(version.toStoredObject(key));
    }

    private static String startKey(String keyPrefix, String continueAfterKey) {
        if (continueAfterKey == null || continueAfterKey.compareTo(keyPrefix) < 0) {
            return keyPrefix;
        }
        return continueAfterKey + '\0'; // the smallest key after it
    }
}
