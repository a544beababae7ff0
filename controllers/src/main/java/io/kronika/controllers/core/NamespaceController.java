package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Labels;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Namespace lifecycle: a terminating namespace gets phase Terminating, everything in it is deleted, then the
 * {@code kubernetes} finalizer is removed from {@code spec.finalizers}. A namespace already gone from the log (an
 * admission that deletes namespaces at once) still has its leftover contents deleted.
 */
public final class NamespaceController implements Controller {
    public static final String FINALIZER = "kubernetes";
    private static final String NS_PREFIX = ObjectKeys.kindPrefix("", "Namespace");

    @Override
    public String name() {
        return "namespace";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(NS_PREFIX)) {
            enqueue.accept(change.key());
            return;
        }
        String ns = change.latest().namespace();
        if (!ns.isEmpty()) {
            ClusterCache c = cache;
            CachedObject namespace = c == null ? null : c.get("", "Namespace", "", ns).orElse(null);
            if (namespace == null || Json.isTerminating(namespace.object())) {
                enqueue.accept(ObjectKeys.of("", "Namespace", "", ns));
            }
        }
    }

    private volatile ClusterCache cache;

    @Override
    public Collection<String> keys(ClusterCache cache) {
        this.cache = cache;
        return cache.listKind("", "Namespace").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        this.cache = context.cache();
        String name = ObjectKeys.parse(key).getName();
        CachedObject ns = context.cache().get(key).orElse(null);
        if (ns != null && !Json.isTerminating(ns.object())) {
            return Reconciled.nothing();
        }
        List<CachedObject> contents = context.cache().all().stream()
                .filter(o -> name.equals(o.namespace()) && !o.key().startsWith(NS_PREFIX)).toList();
        return sync(ns, contents);
    }

    /** The pure reconcile: the namespace (null when gone) and everything still in it. */
    public static Reconciled sync(CachedObject ns, List<CachedObject> contents) {
        List<Action> actions = new ArrayList<>();
        if (ns != null && !"Terminating".equals(Json.text(ns.object(), "status", "phase"))) {
            ObjectNode updated = ns.copy();
            updated.with("status").put("phase", "Terminating");
            actions.add(new Action.UpdateStatus(ns.ref(), updated, ns.revision()));
            return Reconciled.of(actions);
        }
        for (CachedObject o : contents) {
            if (!Json.isTerminating(o.object())) {
                actions.add(new Action.Delete(o.ref(), o.uid(), null, null));
            }
        }
        if (contents.isEmpty() && ns != null && Labels.strings(Json.at(ns.object(), "spec", "finalizers")).contains(FINALIZER)) {
            ObjectNode updated = ns.copy();
            ArrayNode kept = Json.array();
            Labels.strings(Json.at(ns.object(), "spec", "finalizers")).stream().filter(f -> !f.equals(FINALIZER)).forEach(kept::add);
            updated.with("spec").set("finalizers", kept);
            actions.add(new Action.Update(ns.ref(), updated, ns.revision()));
        }
        Reconciled r = Reconciled.of(actions);
        // objects that wait for their kubelet or their finalizers: look again
        return contents.isEmpty() ? r : r.after(Duration.ofSeconds(2));
    }
}
