package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.PerNamespaceObjectController;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.util.List;
import java.util.Objects;

/**
 * Kubernetes' root-ca-cert-publisher: a ConfigMap {@code kube-root-ca.crt} holding the cluster CA ({@code ca.crt}) in
 * every active namespace, re-created when deleted and put back when changed, so pods can verify the API server through
 * their projected service-account volume.
 */
public final class RootCaCertPublisher extends PerNamespaceObjectController {
    public static final String CONFIG_MAP = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
            + "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private final String caPem;

    public RootCaCertPublisher(String caPem) {
        super("", "ConfigMap", CONFIG_MAP);
        this.caPem = Objects.requireNonNull(caPem);
    }

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    protected Reconciled reconcile(CachedObject namespace, CachedObject published) {
        return sync(namespace, published, caPem);
    }

    /** The pure reconcile: the namespace, its kube-root-ca.crt (null when missing) and the CA to publish. */
    public static Reconciled sync(CachedObject ns, CachedObject published, String caPem) {
        if (terminating(ns)) {
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
