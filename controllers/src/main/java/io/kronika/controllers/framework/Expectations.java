package io.kronika.controllers.framework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller is waiting to see after it acted, per owner (e.g. a ReplicaSet): the keys of objects it created
 * and the keys of objects it deleted. Until the cache has shown all of them (or they failed, or the expectations
 * expired), the controller does not create or delete for that owner again — so it never creates twice while its last
 * create is in flight.
 */
public final class Expectations {
    private record Pending(Set<String> creates, Set<String> deletes, Instant since) {
    }

    private final Map<String, Pending> byOwner = new ConcurrentHashMap<>();
    private final Map<String, String> ownerOf = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    public Expectations(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    public void expectCreate(String owner, String objectKey) {
        byOwner.computeIfAbsent(owner, o -> new Pending(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), clock.instant()))
                .creates().add(objectKey);
        ownerOf.put("c:" + objectKey, owner);
    }

    public void expectDelete(String owner, String objectKey) {
        byOwner.computeIfAbsent(owner, o -> new Pending(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), clock.instant()))
                .deletes().add(objectKey);
        ownerOf.put("d:" + objectKey, owner);
    }

    /** The cache showed {@code objectKey} (created) — or the create failed. */
    public void created(String objectKey) {
        String owner = ownerOf.remove("c:" + objectKey);
        if (owner != null) {
            Pending p = byOwner.get(owner);
            if (p != null) {
                p.creates().remove(objectKey);
                cleanUp(owner, p);
            }
        }
    }

    /** The cache showed {@code objectKey} terminating or gone — or the delete failed. */
    public void deleted(String objectKey) {
        String owner = ownerOf.remove("d:" + objectKey);
        if (owner != null) {
            Pending p = byOwner.get(owner);
            if (p != null) {
                p.deletes().remove(objectKey);
                cleanUp(owner, p);
            }
        }
    }

    private void cleanUp(String owner, Pending p) {
        if (p.creates().isEmpty() && p.deletes().isEmpty()) {
            byOwner.remove(owner, p);
        }
    }

    /** True when nothing is pending for {@code owner}, or what is pending is older than the time to live. */
    public boolean satisfied(String owner) {
        Pending p = byOwner.get(owner);
        if (p == null) {
            return true;
        }
        if (Duration.between(p.since(), clock.instant()).compareTo(ttl) > 0) {
            byOwner.remove(owner, p);
            return true;
        }
        return p.creates().isEmpty() && p.deletes().isEmpty();
    }

    public void forget(String owner) {
        byOwner.remove(owner);
    }

    /** Feeds observations from the cache: additions satisfy creates, terminations and deletions satisfy deletes. */
    public void observe(ClusterCache.Change change) {
        if (change.current() != null && change.previous() == null) {
            created(change.key());
        }
        if (change.current() == null || Json.isTerminating(change.current().object())) {
            deleted(change.key());
        }
    }
}
