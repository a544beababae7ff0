package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.k8s.Quantity;
import io.kronika.eventstore.admission.ResourceQuotas;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ResourceQuota status: {@code status.hard} mirrors {@code spec.hard}, {@code status.used} is the usage of the namespace's
 * objects, computed with the same accounting admission enforces ({@link ResourceQuotas}). Admission never reads the
 * status; it is for people and tools.
 */
public final class ResourceQuotaController implements Controller {
    private static final String QUOTA_PREFIX = ObjectKeys.kindPrefix("", "ResourceQuota");
    private volatile ClusterCache cache;

    @Override
    public String name() {
        return "resourcequota";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(QUOTA_PREFIX)) {
            enqueue.accept(change.key());
            return;
        }
        String ns = change.latest().namespace();
        ClusterCache c = cache;
        if (!ns.isEmpty() && c != null) {
            c.listKind("", "ResourceQuota", ns).forEach(q -> enqueue.accept(q.key()));
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        this.cache = cache;
        return cache.listKind("", "ResourceQuota").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        this.cache = context.cache();
        CachedObject quota = context.cache().get(key).orElse(null);
        if (quota == null) {
            return Reconciled.nothing();
        }
        List<CachedObject> inNamespace = context.cache().all().stream().filter(o -> quota.namespace().equals(o.namespace())).toList();
        return sync(quota, inNamespace, context.clock().instant());
    }

    /** The pure reconcile: the quota, every object of its namespace, and the time (pods past their deletion stop counting). */
    public static Reconciled sync(CachedObject quota, List<CachedObject> inNamespace, Instant now) {
        if (Json.isTerminating(quota.object())) {
            return Reconciled.nothing();
        }
        JsonNode specHard = Json.at(quota.object(), "spec", "hard");
        ObjectNode hard = specHard instanceof ObjectNode h ? h.deepCopy() : Json.object();
        Map<String, Quantity> used;
        try {
            List<Map.Entry<ObjectRef, JsonNode>> objects = new ArrayList<>();
            inNamespace.forEach(o -> objects.add(Map.entry(o.ref(), o.object())));
            used = ResourceQuotas.used(quota.object(), objects, now);
        } catch (RuntimeException invalid) {
            return Reconciled.nothing(); // a quantity admission would have refused: nothing to report
        }
        ObjectNode status = Json.object();
        status.set("hard", hard);
        ObjectNode usedJson = status.putObject("used");
        used.forEach((r, q) -> usedJson.put(r, q.toString()));
        Reconciled result = Reconciled.nothing();
        if (!status.equals(Json.at(quota.object(), "status"))) {
            ObjectNode updated = quota.copy();
            updated.set("status", status);
            result = Reconciled.of(List.of(new Action.UpdateStatus(quota.ref(), updated, quota.revision())));
        }
        // a terminating pod stops counting at its deletion time: look again then
        Instant next = null;
        for (CachedObject o : inNamespace) {
            Instant deletion = Json.instant(Json.text(o.object(), "metadata", "deletionTimestamp"));
            if ("Pod".equals(o.ref().getKind()) && deletion != null && deletion.isAfter(now) && (next == null || deletion.isBefore(next))) {
                next = deletion;
            }
        }
        return next == null ? result : result.after(Duration.between(now, next).plusMillis(100));
    }
}
