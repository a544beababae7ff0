package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An informer over the whole cluster: lists every object (except core Events) from the view at one revision, then
 * follows the event feed from that revision, so it never misses or repeats a change. Holds the objects parsed, an
 * index by owner uid, and the revision it has applied; listeners hear every change (on the feed's thread: they must
 * only enqueue work). When the feed ends a subscription (too slow, revision gone) the cache lists again and tells its
 * listeners the differences.
 */
public final class ClusterCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCache.class);
    private static final String EVENT_PREFIX = ObjectKeys.kindPrefix("", "Event");

    /** One change: {@code previous} null for an addition, {@code current} null for a deletion. */
    public record Change(String key, CachedObject previous, CachedObject current) {
        public CachedObject latest() {
            return current != null ? current : previous;
        }

        public boolean deleted() {
            return current == null;
        }
    }

    private final ClusterView view;
    private final EventFeed feed;
    private final ConcurrentSkipListMap<String, CachedObject> objects = new ConcurrentSkipListMap<>();
    private final Map<String, Set<String>> byOwnerUid = new ConcurrentHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final Object revisionLock = new Object();
    private volatile long revision;
    private volatile EventFeed.Subscription subscription;
    private volatile boolean closed;

    public ClusterCache(ClusterView view, EventFeed feed) {
        this.view = view;
        this.feed = feed;
    }

    public void addListener(Consumer<Change> listener) {
        listeners.add(listener);
    }

    /** Lists and starts following the feed. */
    public synchronized void start() {
        relist();
    }

    private synchronized void relist() {
        if (closed) {
            return;
        }
        long at = view.appliedRevision();
        Map<String, CachedObject> fresh = new HashMap<>();
        String after = null;
        do {
            ListPage page = view.list("", at, o -> !o.key().startsWith(EVENT_PREFIX), 1000, after);
            for (StoredObject o : page.items()) {
                fresh.put(o.key(), new CachedObject(o.key(), o.ref(), o.revision(), o.uid(), Json.parse(o.json())));
            }
            after = page.continueAfterKey();
        } while (after != null);
        List<Change> changes = new ArrayList<>();
        for (CachedObject old : objects.values()) {
            if (!fresh.containsKey(old.key())) {
                changes.add(new Change(old.key(), old, null));
            }
        }
        for (CachedObject now : fresh.values()) {
            CachedObject old = objects.get(now.key());
            if (old == null || old.revision() != now.revision()) {
                changes.add(new Change(now.key(), old, now));
            }
        }
        for (Change c : changes) {
            store(c);
        }
        setRevision(at);
        changes.forEach(this::tell);
        subscription = feed.subscribe(at, e -> true, this::apply, this::feedEnded);
        LOG.info("Controller cache listed {} objects at revision {}", objects.size(), at);
    }

    private void feedEnded(Throwable error) {
        if (closed) {
            return;
        }
        LOG.warn("Controller cache feed ended ({}); listing again", error.toString());
        Thread t = new Thread(() -> {
            try {
                relist();
            } catch (RuntimeException e) {
                LOG.error("Controller cache could not list again", e);
            }
        }, "controller-cache-relist");
        t.setDaemon(true);
        t.start();
    }

    /** Applies one event of the log (the feed calls this in revision order). */
    public void apply(ObjectEvent event) {
        String key = ObjectKeys.of(event.getRef());
        if (!key.startsWith(EVENT_PREFIX)) {
            CachedObject previous = objects.get(key);
            CachedObject current = event.getType() == EventType.DELETED ? null
                    : new CachedObject(key, event.getRef(), event.getRevision(), event.getUid(), Json.parse(event.getObject()));
            if (previous != null || current != null) {
                Change change = new Change(key, previous, current);
                store(change);
                setRevision(event.getRevision());
                tell(change);
                return;
            }
        }
        setRevision(event.getRevision());
    }

    private void store(Change change) {
        if (change.previous() != null) {
            for (String owner : ownerUids(change.previous().object())) {
                Set<String> keys = byOwnerUid.get(owner);
                if (keys != null) {
                    keys.remove(change.key());
                    if (keys.isEmpty()) {
                        byOwnerUid.remove(owner, keys);
                    }
                }
            }
        }
        if (change.current() == null) {
            objects.remove(change.key());
        } else {
            objects.put(change.key(), change.current());
            for (String owner : ownerUids(change.current().object())) {
                byOwnerUid.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(change.key());
            }
        }
    }

    private static Set<String> ownerUids(JsonNode object) {
        Set<String> uids = new HashSet<>();
        JsonNode refs = Json.at(object, "metadata", "ownerReferences");
        if (refs != null && refs.isArray()) {
            refs.forEach(r -> {
                String uid = Json.text(r, "uid");
                if (uid != null) {
                    uids.add(uid);
                }
            });
        }
        return uids;
    }

    private void tell(Change change) {
        for (Consumer<Change> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("A cache listener failed on {}", change.key(), e);
            }
        }
    }

    private void setRevision(long r) {
        synchronized (revisionLock) {
            if (r > revision) {
                revision = r;
                revisionLock.notifyAll();
            }
        }
    }

    /** The revision of the last event applied. */
    public long revision() {
        return revision;
    }

    /** Waits until the cache has applied {@code r}; false on timeout. */
    public boolean awaitRevision(long r, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (revisionLock) {
            while (revision < r) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return revision >= r;
                }
                TimeUnit.NANOSECONDS.timedWait(revisionLock, left);
            }
            return true;
        }
    }

    public Optional<CachedObject> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    public Optional<CachedObject> get(String group, String kind, String namespace, String name) {
        return get(ObjectKeys.of(group, kind, namespace, name));
    }

    /** Objects whose key starts with the prefix, in key order. */
    public List<CachedObject> list(String prefix) {
        return new ArrayList<>(objects.subMap(prefix, prefix + Character.MAX_VALUE).values());
    }

    public List<CachedObject> list(String prefix, Predicate<CachedObject> filter) {
        return objects.subMap(prefix, prefix + Character.MAX_VALUE).values().stream().filter(filter).toList();
    }

    public List<CachedObject> listKind(String group, String kind) {
        return list(ObjectKeys.kindPrefix(group, kind));
    }

    public List<CachedObject> listKind(String group, String kind, String namespace) {
        return list(ObjectKeys.namespacePrefix(group, kind, namespace));
    }

    /** Objects with an owner reference to {@code ownerUid}. */
    public List<CachedObject> dependents(String ownerUid) {
        Set<String> keys = byOwnerUid.get(ownerUid);
        if (keys == null) {
            return List.of();
        }
        List<CachedObject> out = new ArrayList<>();
        for (String k : keys) {
            CachedObject o = objects.get(k);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    public Collection<CachedObject> all() {
        return objects.values();
    }

    public int size() {
        return objects.size();
    }

    @Override
    public void close() {
        closed = true;
        EventFeed.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        synchronized (revisionLock) {
            revisionLock.notifyAll();
        }
    }
}
