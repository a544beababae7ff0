package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The garbage collector: dependents whose owners are all gone are deleted (background propagation); an owner
 * terminating with the {@code foregroundDeletion} finalizer has its dependents deleted (those with dependents of their
 * own in the foreground too) and loses the finalizer once none is left; one with the {@code orphan} finalizer has its
 * dependents released, then loses the finalizer. References to owners that are gone are removed when other owners
 * remain.
 */
public final class GarbageCollector implements Controller {
    public static final String FOREGROUND = "foregroundDeletion";
    public static final String ORPHAN = "orphan";

    @Override
    public String name() {
        return "garbagecollector";
    }

    @Override
    public int workers() {
        return 2;
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        CachedObject o = change.latest();
        if (change.current() != null && (!Owners.refs(o.object()).isEmpty() || hasGcFinalizer(o))) {
            enqueue.accept(change.key());
        }
        if (change.previous() != null) {
            // dependents of an owner that changed or went; owners of a dependent that went (foreground waits on it)
            for (Owners.OwnerRef ref : Owners.refs(change.previous().object())) {
                enqueue.accept(ownerKeyGuess(ref, change.previous().namespace()));
            }
        }
        if (change.deleted() || Json.isTerminating(o.object())) {
            dependentsSource.accept(new Pending(o.uid(), enqueue));
        }
    }

    private record Pending(String uid, Consumer<String> enqueue) {
    }

    private volatile ClusterCache cache;
    private final Consumer<Pending> dependentsSource = p -> {
        ClusterCache c = cache;
        if (c != null) {
            c.dependents(p.uid()).forEach(d -> p.enqueue().accept(d.key()));
        }
    };

    private static boolean hasGcFinalizer(CachedObject o) {
        List<String> f = Owners.finalizers(o.object());
        return f.contains(FOREGROUND) || f.contains(ORPHAN);
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        this.cache = cache;
        return cache.all().stream().filter(o -> !Owners.refs(o.object()).isEmpty() || hasGcFinalizer(o)).map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        this.cache = context.cache();
        CachedObject o = context.cache().get(key).orElse(null);
        if (o == null) {
            return Reconciled.nothing();
        }
        ClusterCache c = context.cache();
        return sync(o, c.dependents(o.uid()), ref -> findOwner(c, ref, o.namespace()), d -> !c.dependents(d.uid()).isEmpty());
    }

    private static String ownerKeyGuess(Owners.OwnerRef ref, String namespace) {
        return ObjectKeys.of(ref.group(), ref.kind(), namespace, ref.name());
    }

    private static Optional<CachedObject> findOwner(ClusterCache cache, Owners.OwnerRef ref, String namespace) {
        Optional<CachedObject> owner = cache.get(ref.group(), ref.kind(), namespace, ref.name());
        if (owner.isEmpty() && !namespace.isEmpty()) {
            owner = cache.get(ref.group(), ref.kind(), "", ref.name());
        }
        return owner.filter(x -> x.uid().equals(ref.uid()));
    }

    /**
     * The pure reconcile of one object: its dependents, how to find its owners, and whether a dependent has dependents
     * of its own.
     */
    public static Reconciled sync(CachedObject o, List<CachedObject> dependents,
                                  Function<Owners.OwnerRef, Optional<CachedObject>> owners,
                                  java.util.function.Predicate<CachedObject> hasDependents) {
        List<Action> actions = new ArrayList<>();
        List<String> finalizers = Owners.finalizers(o.object());
        if (Json.isTerminating(o.object()) && finalizers.contains(ORPHAN)) {
            for (CachedObject d : dependents) {
                actions.add(new Action.Update(d.ref(), Owners.release(d.object(), o.uid()), d.revision()));
            }
            if (dependents.isEmpty()) {
                actions.add(new Action.Update(o.ref(), Owners.withoutFinalizer(o.object(), ORPHAN), o.revision()));
            }
            return Reconciled.of(actions);
        }
        if (Json.isTerminating(o.object()) && finalizers.contains(FOREGROUND)) {
            for (CachedObject d : dependents) {
                if (Json.isTerminating(d.object())) {
                    continue;
                }
                if (hasDependents.test(d) && !Owners.finalizers(d.object()).contains(FOREGROUND)) {
                    ObjectNode withFinalizer = d.copy();
                    Json.metadata(withFinalizer).withArray("finalizers").add(FOREGROUND);
                    actions.add(new Action.Update(d.ref(), withFinalizer, d.revision()));
                }
                actions.add(new Action.Delete(d.ref(), d.uid(), null, null));
            }
            if (dependents.isEmpty()) {
                actions.add(new Action.Update(o.ref(), Owners.withoutFinalizer(o.object(), FOREGROUND), o.revision()));
            }
            return Reconciled.of(actions);
        }
        List<Owners.OwnerRef> refs = Owners.refs(o.object());
        if (refs.isEmpty()) {
            return Reconciled.nothing();
        }
        List<Owners.OwnerRef> gone = new ArrayList<>();
        boolean ownerDeletingInForeground = false;
        for (Owners.OwnerRef ref : refs) {
            Optional<CachedObject> owner = owners.apply(ref);
            if (owner.isEmpty()) {
                gone.add(ref);
            } else if (Json.isTerminating(owner.get().object()) && Owners.finalizers(owner.get().object()).contains(FOREGROUND)) {
                ownerDeletingInForeground = true;
            }
        }
        if (gone.size() == refs.size()) {
            if (!Json.isTerminating(o.object())) {
                actions.add(new Action.Delete(o.ref(), o.uid(), null, null));
            }
        } else if (!gone.isEmpty() && !ownerDeletingInForeground) {
            ObjectNode kept = o.copy();
            for (Owners.OwnerRef ref : gone) {
                kept = Owners.release(kept, ref.uid());
            }
            actions.add(new Action.Update(o.ref(), kept, o.revision()));
        }
        return Reconciled.of(actions);
    }
}
