package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/** ServiceAccounts: a {@code default} ServiceAccount in every active namespace (re-created when deleted). */
public final class ServiceAccountController implements Controller {
    public static final String DEFAULT = "default";
    private static final String NS_PREFIX = ObjectKeys.kindPrefix("", "Namespace");
    private static final String SA_PREFIX = ObjectKeys.kindPrefix("", "ServiceAccount");

    @Override
    public String name() {
        return "serviceaccount";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(NS_PREFIX)) {
            enqueue.accept(change.key());
        } else if (change.key().startsWith(SA_PREFIX) && change.deleted() && DEFAULT.equals(change.latest().name())) {
            enqueue.accept(ObjectKeys.of("", "Namespace", "", change.latest().namespace()));
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return cache.listKind("", "Namespace").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        CachedObject ns = context.cache().get(key).orElse(null);
        if (ns == null) {
            return Reconciled.nothing();
        }
        return sync(ns, context.cache().get("", "ServiceAccount", ns.name(), DEFAULT).orElse(null));
    }

    /** The pure reconcile: the namespace and its default ServiceAccount (null when missing). */
    public static Reconciled sync(CachedObject ns, CachedObject defaultAccount) {
        if (defaultAccount != null || Json.isTerminating(ns.object()) || "Terminating".equals(Json.text(ns.object(), "status", "phase"))) {
            return Reconciled.nothing();
        }
        ObjectNode sa = Json.object();
        sa.put("apiVersion", "v1");
        sa.put("kind", "ServiceAccount");
        ObjectNode meta = sa.putObject("metadata");
        meta.put("name", DEFAULT);
        meta.put("namespace", ns.name());
        return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("", "ServiceAccount", ns.name(), DEFAULT), sa, null)));
    }
}
