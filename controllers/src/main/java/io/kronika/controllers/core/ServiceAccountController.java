package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.PerNamespaceObjectController;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.util.List;

/** ServiceAccounts: a {@code default} ServiceAccount in every active namespace (re-created when deleted). */
public final class ServiceAccountController extends PerNamespaceObjectController {
    public static final String DEFAULT = "default";

    public ServiceAccountController() {
        super("", "ServiceAccount", DEFAULT);
    }

    @Override
    public String name() {
        return "serviceaccount";
    }

    @Override
    protected boolean wakesOn(ClusterCache.Change accountChange) {
        return accountChange.deleted();
    }

    @Override
    protected Reconciled reconcile(CachedObject namespace, CachedObject defaultAccount) {
        return sync(namespace, defaultAccount);
    }

    /** The pure reconcile: the namespace and its default ServiceAccount (null when missing). */
    public static Reconciled sync(CachedObject ns, CachedObject defaultAccount) {
        if (defaultAccount != null || terminating(ns)) {
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
