package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Labels;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.k8s.Quantity;
import io.kronika.schemas.ObjectKeys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * PersistentVolume binding and the local-path provisioner. Each PVC is bound to the smallest Available PV of its class
 * whose capacity and access modes suffice, in steps that each take one conditional write (the PV's claimRef first, so two
 * claims never take one volume; then the PV's phase and the claim's volumeName; then the claim's phase). A claim without
 * a matching PV whose class is provisioned by {@link #PROVISIONER} gets a new hostPath PV under the configured directory,
 * pre-bound to it. The default StorageClass {@code standard} is created when absent. A PV whose claim is gone is deleted
 * (reclaim policy Delete) or Released (Retain); a PV without a claim is Available.
 *
 * <p>A claim of a class with {@code volumeBindingMode: WaitForFirstConsumer} stays Pending until a pod using it is
 * scheduled. Kronika's scheduler does not look at volumes, so this controller records the pod's node in the claim's
 * {@value #SELECTED_NODE} annotation (where Kubernetes' scheduler would put it) and then binds the claim to a
 * volume whose node affinity admits that node, or provisions one pinned to it.
 */
public final class PersistentVolumeController implements Controller {
    public static final String DEFAULT_CLASS = "standard";
    public static final String PROVISIONER = "kronika.io/local-path";
    public static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
    private static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    private static final String POD_PREFIX = ObjectKeys.kindPrefix("", "Pod");
    private static final String PV_PREFIX = ObjectKeys.kindPrefix("", "PersistentVolume");
    private static final String PVC_PREFIX = ObjectKeys.kindPrefix("", "PersistentVolumeClaim");
    private static final String CLASS_PREFIX = ObjectKeys.kindPrefix("storage.k8s.io", "StorageClass");
    private static final String DEFAULT_CLASS_KEY = ObjectKeys.of("storage.k8s.io", "StorageClass", "", DEFAULT_CLASS);

    private final Path localPathDir;
    private volatile ClusterCache cache;

    public PersistentVolumeController(Path localPathDir) {
        this.localPathDir = localPathDir;
    }

    @Override
    public String name() {
        return "persistentvolume-binder";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        String key = change.key();
        if (key.startsWith(PVC_PREFIX)) {
            enqueue.accept(key);
            ClusterCache c = cache;
            if (change.deleted() && c != null) {
                // the volumes it held are released
                c.listKind("", "PersistentVolume").stream().filter(v -> key.equals(claimKey(v.object())))
                        .forEach(v -> enqueue.accept(v.key()));
            }
        } else if (key.startsWith(PV_PREFIX)) {
            enqueue.accept(key);
            String claim = claimKey(change.latest().object());
            if (claim != null) {
                enqueue.accept(claim);
            }
            if (change.deleted() || claim == null) {
                pendingClaims().forEach(enqueue);
            }
        } else if (key.startsWith(POD_PREFIX) && !change.deleted() && !Pods.nodeName(change.current().object()).isEmpty()
                && (change.previous() == null || Pods.nodeName(change.previous().object()).isEmpty())) {
            // a pod just scheduled is the first consumer its waiting claims wait for
            for (String claim : claimsOf(change.current().object())) {
                enqueue.accept(ObjectKeys.of("", "PersistentVolumeClaim", change.current().namespace(), claim));
            }
        } else if (key.startsWith(CLASS_PREFIX)) {
            if (key.equals(DEFAULT_CLASS_KEY)) {
                enqueue.accept(key);
            }
            pendingClaims().forEach(enqueue);
        }
    }

    private List<String> pendingClaims() {
        ClusterCache c = cache;
        return c == null ? List.of() : c.listKind("", "PersistentVolumeClaim").stream()
                .filter(p -> Json.text(p.object(), "spec", "volumeName") == null).map(CachedObject::key).toList();
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        this.cache = cache;
        List<String> keys = new ArrayList<>();
        keys.add(DEFAULT_CLASS_KEY);
        cache.listKind("", "PersistentVolume").forEach(o -> keys.add(o.key()));
        cache.listKind("", "PersistentVolumeClaim").forEach(o -> keys.add(o.key()));
        return keys;
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        this.cache = context.cache();
        ClusterCache c = context.cache();
        if (key.equals(DEFAULT_CLASS_KEY)) {
            return syncDefaultClass(c.get(key).orElse(null));
        }
        if (key.startsWith(PV_PREFIX)) {
            CachedObject pv = c.get(key).orElse(null);
            String claim = pv == null ? null : claimKey(pv.object());
            return pv == null ? Reconciled.nothing() : syncVolume(pv, claim == null ? null : c.get(claim).orElse(null));
        }
        CachedObject claim = c.get(key).orElse(null);
        if (claim == null) {
            return Reconciled.nothing();
        }
        String consumerNode = c.listKind("", "Pod", claim.namespace()).stream()
                .filter(p -> Pods.isActive(p.object()) && !Pods.nodeName(p.object()).isEmpty() && claimsOf(p.object()).contains(claim.name()))
                .map(p -> Pods.nodeName(p.object())).sorted().findFirst().orElse(null);
        return syncClaim(claim, c.listKind("", "PersistentVolume"), c.listKind("storage.k8s.io", "StorageClass"), localPathDir,
                consumerNode, node -> c.get("", "Node", "", node).map(CachedObject::object).orElse(null));
    }

    /** Names of the claims a pod's volumes use. */
    static List<String> claimsOf(JsonNode pod) {
        List<String> claims = new ArrayList<>();
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            String claim = Json.text(volume, "persistentVolumeClaim", "claimName");
            if (claim != null) {
                claims.add(claim);
            }
        }
        return claims;
    }

    /** The default StorageClass, created when absent. */
    public static Reconciled syncDefaultClass(CachedObject existing) {
        if (existing != null) {
            return Reconciled.nothing();
        }
        ObjectNode sc = Json.object();
        sc.put("apiVersion", "storage.k8s.io/v1");
        sc.put("kind", "StorageClass");
        ObjectNode meta = sc.putObject("metadata");
        meta.put("name", DEFAULT_CLASS);
        meta.putObject("annotations").put(DEFAULT_CLASS_ANNOTATION, "true");
        sc.put("provisioner", PROVISIONER);
        sc.put("reclaimPolicy", "Delete");
        sc.put("volumeBindingMode", "Immediate");
        return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("storage.k8s.io", "StorageClass", "", DEFAULT_CLASS), sc, null)));
    }

    /** A PV: Available without a claim; when its bound claim is gone, deleted (policy Delete) or Released. */
    public static Reconciled syncVolume(CachedObject pv, CachedObject claim) {
        if (Json.isTerminating(pv.object())) {
            return Reconciled.nothing();
        }
        JsonNode claimRef = Json.at(pv.object(), "spec", "claimRef");
        String phase = Json.text(pv.object(), "status", "phase");
        if (claimRef == null || claimRef.isNull()) {
            return "Available".equals(phase) ? Reconciled.nothing() : volumePhase(pv, "Available");
        }
        String boundUid = Json.text(claimRef, "uid");
        boolean claimGone = boundUid != null && (claim == null || !boundUid.equals(claim.uid()));
        if (!claimGone) {
            return Reconciled.nothing();
        }
        if ("Delete".equals(Json.text(pv.object(), "spec", "persistentVolumeReclaimPolicy"))) {
            return Reconciled.of(List.of(new Action.Delete(pv.ref(), pv.uid(), null, null)));
        }
        return "Released".equals(phase) ? Reconciled.nothing() : volumePhase(pv, "Released");
    }

    /** A claim with no scheduled consumer (see the other overload). */
    public static Reconciled syncClaim(CachedObject claim, List<CachedObject> volumes, List<CachedObject> classes, Path localPathDir) {
        return syncClaim(claim, volumes, classes, localPathDir, null, node -> null);
    }

    /**
     * A claim: its class settled, then bound step by step to a matching or newly provisioned PV; with a
     * WaitForFirstConsumer class only once {@code consumerNode} (the node of a scheduled pod using it, or null) is
     * recorded as its selected node. {@code nodes} gives a Node object by name (null when there is none).
     */
    public static Reconciled syncClaim(CachedObject claim, List<CachedObject> volumes, List<CachedObject> classes, Path localPathDir,
                                       String consumerNode, java.util.function.Function<String, JsonNode> nodes) {
        ObjectNode pvc = claim.object();
        if (Json.isTerminating(pvc)) {
            return Reconciled.nothing();
        }
        JsonNode classField = Json.at(pvc, "spec", "storageClassName");
        if (classField == null || classField.isNull()) {
            CachedObject byDefault = classes.stream()
                    .filter(c -> "true".equals(Json.annotations(c.object()).get(DEFAULT_CLASS_ANNOTATION)))
                    .min(Comparator.comparing(CachedObject::name)).orElse(null);
            if (byDefault != null && Json.text(pvc, "spec", "volumeName") == null) {
                ObjectNode updated = claim.copy();
                updated.with("spec").put("storageClassName", byDefault.name());
                return Reconciled.of(List.of(new Action.Update(claim.ref(), updated, claim.revision())));
            }
        }
        String className = classField == null || classField.isNull() ? "" : classField.asText();
        CachedObject storageClass = classes.stream().filter(c -> c.name().equals(className)).findFirst().orElse(null);
        boolean waitForConsumer = storageClass != null
                && WAIT_FOR_FIRST_CONSUMER.equals(Json.text(storageClass.object(), "volumeBindingMode"));
        String selectedNode = Json.annotations(pvc).get(SELECTED_NODE);
        String named = Json.text(pvc, "spec", "volumeName");
        CachedObject pv = named != null ? volumes.stream().filter(v -> v.name().equals(named)).findFirst().orElse(null)
                : volumes.stream().filter(v -> claimedBy(v.object(), claim) && !Json.isTerminating(v.object())).findFirst().orElse(null);
        if (pv == null && named == null && waitForConsumer && selectedNode == null) {
            if (consumerNode != null) {
                ObjectNode updated = claim.copy();
                Json.metadata(updated).with("annotations").put(SELECTED_NODE, consumerNode);
                return Reconciled.of(List.of(new Action.Update(claim.ref(), updated, claim.revision())));
            }
            if ("Pending".equals(Json.text(pvc, "status", "phase"))) {
                return Reconciled.nothing();
            }
            List<Action> waiting = new ArrayList<>(claimStatus(claim, "Pending", null).actions());
            waiting.add(new Action.RecordEvent(claim.ref(), claim.uid(), "v1", "Normal", "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding"));
            return Reconciled.of(waiting);
        }
        JsonNode node = waitForConsumer && selectedNode != null ? nodes.apply(selectedNode) : null;
        if (pv == null && named == null) {
            pv = matchingVolume(claim, className, volumes, waitForConsumer ? node : null, waitForConsumer);
        }
        if (pv == null) {
            if (storageClass != null && PROVISIONER.equals(Json.text(storageClass.object(), "provisioner")) && named == null) {
                return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("", "PersistentVolume", "", volumeName(claim)),
                        provision(claim, storageClass, localPathDir, waitForConsumer ? selectedNode : null, node), null)));
            }
            return "Pending".equals(Json.text(pvc, "status", "phase")) ? Reconciled.nothing() : claimStatus(claim, "Pending", null);
        }
        if (!claimedBy(pv.object(), claim)) {
            ObjectNode updated = pv.copy();
            updated.with("spec").set("claimRef", claimRef(claim));
            return Reconciled.of(List.of(new Action.Update(pv.ref(), updated, pv.revision())));
        }
        List<Action> actions = new ArrayList<>();
        if (!"Bound".equals(Json.text(pv.object(), "status", "phase"))) {
            actions.addAll(volumePhase(pv, "Bound").actions());
        }
        if (!pv.name().equals(Json.text(pvc, "spec", "volumeName"))) {
            ObjectNode updated = claim.copy();
            updated.with("spec").put("volumeName", pv.name());
            ObjectNode annotations = Json.metadata(updated).with("annotations");
            annotations.put("pv.kubernetes.io/bind-completed", "yes");
            annotations.put("pv.kubernetes.io/bound-by-controller", "yes");
            actions.add(new Action.Update(claim.ref(), updated, claim.revision()));
        } else if (!"Bound".equals(Json.text(pvc, "status", "phase"))) {
            actions.addAll(claimStatus(claim, "Bound", pv).actions());
        }
        return Reconciled.of(actions);
    }

    /**
     * The smallest Available PV of the class whose capacity and access modes suffice; when {@code checkAffinity}, only
     * volumes whose node affinity admits {@code node} (none when the node is unknown, bar volumes without affinity).
     */
    private static CachedObject matchingVolume(CachedObject claim, String className, List<CachedObject> volumes, JsonNode node,
                                               boolean checkAffinity) {
        Quantity wanted = quantity(Json.text(claim.object(), "spec", "resources", "requests", "storage"));
        List<String> modes = Labels.strings(Json.at(claim.object(), "spec", "accessModes"));
        return volumes.stream()
                .filter(v -> !Json.isTerminating(v.object()))
                .filter(v -> { JsonNode ref = Json.at(v.object(), "spec", "claimRef"); return ref == null || ref.isNull(); })
                .filter(v -> !"Released".equals(Json.text(v.object(), "status", "phase")) && !"Failed".equals(Json.text(v.object(), "status", "phase")))
                .filter(v -> className.equals(java.util.Objects.requireNonNullElse(Json.text(v.object(), "spec", "storageClassName"), "")))
                .filter(v -> Labels.strings(Json.at(v.object(), "spec", "accessModes")).containsAll(modes))
                .filter(v -> quantity(Json.text(v.object(), "spec", "capacity", "storage")).compareTo(wanted) >= 0)
                .filter(v -> !checkAffinity || admits(v.object(), node))
                .min(Comparator.comparing((CachedObject v) -> quantity(Json.text(v.object(), "spec", "capacity", "storage"))).thenComparing(CachedObject::name))
                .orElse(null);
    }

    private static boolean admits(JsonNode pv, JsonNode node) {
        JsonNode required = Json.at(pv, "spec", "nodeAffinity", "required");
        if (required == null || required.isNull()) {
            return true;
        }
        return node != null && Labels.matchesNodeSelector(required, withHostname(node));
    }

    private static java.util.Map<String, String> withHostname(JsonNode node) {
        java.util.Map<String, String> labels = new java.util.HashMap<>(Json.labels(node));
        labels.putIfAbsent(HOSTNAME_LABEL, Json.name(node));
        return labels;
    }

    /** A hostPath PV for the claim; pinned to {@code selectedNode} (by its hostname label) when given. */
    private static ObjectNode provision(CachedObject claim, CachedObject storageClass, Path localPathDir, String selectedNode,
                                        JsonNode node) {
        String name = volumeName(claim);
        ObjectNode pv = Json.object();
        pv.put("apiVersion", "v1");
        pv.put("kind", "PersistentVolume");
        ObjectNode meta = pv.putObject("metadata");
        meta.put("name", name);
        meta.putObject("annotations").put("pv.kubernetes.io/provisioned-by", PROVISIONER);
        ObjectNode spec = pv.putObject("spec");
        String size = Json.text(claim.object(), "spec", "resources", "requests", "storage");
        spec.putObject("capacity").put("storage", size == null ? "0" : size);
        JsonNode modes = Json.at(claim.object(), "spec", "accessModes");
        spec.set("accessModes", modes == null || modes.isEmpty() ? Json.array().add("ReadWriteOnce") : modes.deepCopy());
        String policy = Json.text(storageClass.object(), "reclaimPolicy");
        spec.put("persistentVolumeReclaimPolicy", policy == null ? "Delete" : policy);
        spec.put("storageClassName", storageClass.name());
        spec.put("volumeMode", "Filesystem");
        ObjectNode hostPath = spec.putObject("hostPath");
        hostPath.put("path", localPathDir.resolve(name + "_" + claim.namespace() + "_" + claim.name()).toString());
        hostPath.put("type", "DirectoryOrCreate");
        spec.set("claimRef", claimRef(claim));
        if (selectedNode != null) {
            String hostname = node == null ? selectedNode : withHostname(node).get(HOSTNAME_LABEL);
            ObjectNode expression = spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
                    .putArray("matchExpressions").addObject();
            expression.put("key", HOSTNAME_LABEL);
            expression.put("operator", "In");
            expression.putArray("values").add(hostname);
        }
        return pv;
    }

    private static String volumeName(CachedObject claim) {
        return "pvc-" + claim.uid();
    }

    private static ObjectNode claimRef(CachedObject claim) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", "v1");
        ref.put("kind", "PersistentVolumeClaim");
        ref.put("namespace", claim.namespace());
        ref.put("name", claim.name());
        ref.put("uid", claim.uid());
        return ref;
    }

    private static boolean claimedBy(JsonNode pv, CachedObject claim) {
        JsonNode ref = Json.at(pv, "spec", "claimRef");
        if (ref == null || ref.isNull()) {
            return false;
        }
        String uid = Json.text(ref, "uid");
        return claim.name().equals(Json.text(ref, "name")) && claim.namespace().equals(Json.text(ref, "namespace"))
                && (uid == null || uid.equals(claim.uid()));
    }

    private static String claimKey(JsonNode pv) {
        JsonNode ref = Json.at(pv, "spec", "claimRef");
        if (ref == null || ref.isNull() || Json.text(ref, "name") == null) {
            return null;
        }
        return ObjectKeys.of("", "PersistentVolumeClaim", Json.text(ref, "namespace"), Json.text(ref, "name"));
    }

    private static Quantity quantity(String text) {
        try {
            return text == null ? Quantity.ZERO : Quantity.parse(text.trim());
        } catch (IllegalArgumentException e) {
            return Quantity.ZERO;
        }
    }

    private static Reconciled volumePhase(CachedObject pv, String phase) {
        ObjectNode updated = pv.copy();
        updated.with("status").put("phase", phase);
        return Reconciled.of(List.of(new Action.UpdateStatus(pv.ref(), updated, pv.revision())));
    }

    private static Reconciled claimStatus(CachedObject claim, String phase, CachedObject pv) {
        ObjectNode updated = claim.copy();
        ObjectNode status = updated.with("status");
        status.put("phase", phase);
        if (pv != null) {
            JsonNode modes = Json.at(pv.object(), "spec", "accessModes");
            JsonNode capacity = Json.at(pv.object(), "spec", "capacity");
            if (modes != null) {
                status.set("accessModes", modes.deepCopy());
            }
            if (capacity != null) {
                status.set("capacity", capacity.deepCopy());
            }
        }
        return Reconciled.of(List.of(new Action.UpdateStatus(claim.ref(), updated, claim.revision())));
    }
}
