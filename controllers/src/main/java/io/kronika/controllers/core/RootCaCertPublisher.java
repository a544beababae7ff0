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
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Kubernetes' root-ca-cert-publisher: a ConfigMap {@code kube-root-ca.crt} holding the cluster CA ({@code ca.crt}) in
 * every active namespace, re-created when deleted and put back when changed, so pods can verify the API server through
 * their projected service-account volume.
 */
public final class RootCaCertPublisher implements Controller {
    public static final String CONFIG_MAP = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
            + "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
    private static final String NS_PREFIX = ObjectKeys.kindPrefix("", "Namespace");
    private static final String CM_PREFIX = ObjectKeys.kindPrefix("", "ConfigMap");

    private final String caPem;

    public RootCaCertPublisher(String caPem) {
        this.caPem = Objects.requireNonNull(caPem);
    }

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(NS_PREFIX)) {
            enqueue.accept(change.key());
        } else if (change.key().startsWith(CM_PREFIX) && CONFIG_MAP.equals(change.latest().name())) {
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
        return sync(ns, context.cache().get("", "ConfigMap", ns.name(), CONFIG_MAP).orElse(null), caPem);
    }

    /** The pure reconcile: the namespace, its kube-root-ca.crt (null when missing) and the CA to publish. */
    public static Reconciled sync(CachedObject ns, CachedObject published, String caPem) {
        if (Json.isTerminating(ns.object()) || "Terminating".equals(Json.text(ns.object(), "status", "phase"))) {
            return Reconciled.nothing();
        }
        if (published == null) {
            ObjectNode cm = Json.object();
            cm.put("apiVersion", "v1");
            cm.put("kind", "ConfigMap");
            ObjectNode meta = cm.putObject("metadata");
            meta.put("name", CONFIG_MAP);
            meta.put("namespace", ns.name());
            meta.putObject("annotations").put("kubernetes.io/description", DESCRIPTION);
            cm.putObject("data").put(KEY, caPem);
            return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("", "ConfigMap", ns.name(), CONFIG_MAP), cm, null)));
        }
        if (caPem.equals(Json.text(published.object(), "data", KEY)) && published.object().path("data").size() == 1) {
            return Reconciled.nothing();
        }
        ObjectNode fixed = published.copy();
        fixed.putObject("data").put(KEY, caPem);
        fixed.remove("binaryData");
        return Reconciled.of(List.of(new Action.Update(published.ref(), fixed, published.revision())));
    }
}
