package io.kronika.controllers.framework;

import io.kronika.schemas.ObjectKeys;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * A controller that keeps one object of a kind, under a fixed name, in every namespace: its keys are the namespaces,
 * it wakes on a namespace's changes and on changes to that object, and a reconcile gets the namespace with the object
 * (null when missing).
 */
public abstract class PerNamespaceObjectController implements Controller {
    private static final String NS_PREFIX = ObjectKeys.kindPrefix("", "Namespace");

    private final String group;
    private final String kind;
    private final String objectName;
    private final String objectPrefix;

    protected PerNamespaceObjectController(String group, String kind, String objectName) {
        this.group = group;
        this.kind = kind;
        this.objectName = objectName;
        this.objectPrefix = ObjectKeys.kindPrefix(group, kind);
    }

    /** The reconcile of one namespace: {@code object} is this controller's object in it, null when missing. */
    protected abstract Reconciled reconcile(CachedObject namespace, CachedObject object);

    /** Whether a change of the object (not of its namespace) wakes the namespace; every change by default. */
    protected boolean wakesOn(ClusterCache.Change objectChange) {
        return true;
    }

    /** Whether a namespace is being deleted (deletion timestamp or phase Terminating): nothing new goes into it. */
    public static boolean terminating(CachedObject namespace) {
        return Json.isTerminating(namespace.object()) || "Terminating".equals(Json.text(namespace.object(), "status", "phase"));
    }

    @Override
    public final void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(NS_PREFIX)) {
            enqueue.accept(change.key());
        } else if (change.key().startsWith(objectPrefix) && objectName.equals(change.latest().name()) && wakesOn(change)) {
            enqueue.accept(ObjectKeys.of("", "Namespace", "", change.latest().namespace()));
        }
    }

    @Override
    public final Collection<String> keys(ClusterCache cache) {
        return cache.listKind("", "Namespace").stream().map(CachedObject::key).toList();
    }

    @Override
    public final Reconciled reconcile(String key, ControllerContext context) {
        CachedObject namespace = context.cache().get(key).orElse(null);
        if (namespace == null) {
            return Reconciled.nothing();
        }
        return reconcile(namespace, context.cache().get(group, kind, namespace.name(), objectName).orElse(null));
    }
}
