package io.kronika.controllers.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Revisions;
import io.kronika.controllers.framework.Templates;
import io.kronika.schemas.ObjectKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * StatefulSet: pods named {@code <set>-<ordinal>} for ordinals [0, replicas), each with the PVCs of the
 * volumeClaimTemplates ({@code <claim>-<set>-<ordinal>}, created before the pod and kept after it). OrderedReady creates
 * one pod at a time in order, each once the ones before are Running and Ready, and removes in reverse order; Parallel
 * creates and removes at once. The template's revisions are ControllerRevisions; a RollingUpdate replaces, from the
 * highest ordinal down to {@code partition}, one pod at a time whose revision is not the update revision.
 */
public final class StatefulSetController implements Controller {
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private static final String STS_PREFIX = ObjectKeys.kindPrefix("apps", "StatefulSet");

    @Override
    public String name() {
        return "statefulset";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(STS_PREFIX)) {
            enqueue.accept(change.key());
        } else if (change.key().startsWith(ObjectKeys.kindPrefix("", "Pod"))
                || change.key().startsWith(ObjectKeys.kindPrefix("apps", "ControllerRevision"))) {
            Owners.enqueueController(change, "apps", "StatefulSet", enqueue);
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return cache.listKind("apps", "StatefulSet").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        CachedObject sts = context.cache().get(key).orElse(null);
        if (sts == null) {
            context.expectations().forget(key);
            return Reconciled.nothing();
        }
        List<CachedObject> pods = context.cache().listKind("", "Pod", sts.namespace()).stream()
                .filter(p -> Owners.isControlledBy(p.object(), sts.uid())).toList();
        List<CachedObject> revisions = context.cache().listKind("apps", "ControllerRevision", sts.namespace()).stream()
                .filter(r -> Owners.isControlledBy(r.object(), sts.uid())).toList();
        List<CachedObject> claims = context.cache().listKind("", "PersistentVolumeClaim", sts.namespace());
        return sync(sts, pods, revisions, claims, context.expectations().satisfied(key));
    }

    /** The ordinal of a pod of {@code set}, or -1. */
    static int ordinal(String setName, String podName) {
        if (!podName.startsWith(setName + "-")) {
            return -1;
        }
        try {
            return Integer.parseInt(podName.substring(setName.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean runningAndReady(JsonNode pod) {
        return "Running".equals(Pods.phase(pod)) && Pods.isReady(pod) && !Json.isTerminating(pod);
    }

    /**
     * The pure reconcile: the set, the pods and ControllerRevisions it controls, the PVCs of its namespace, and whether
     * its earlier creates and deletes have been seen.
     */
    public static Reconciled sync(CachedObject sts, List<CachedObject> pods, List<CachedObject> revisions, List<CachedObject> claims,
                                  boolean expectationsSatisfied) {
        JsonNode set = sts.object();
        if (Json.isTerminating(set)) {
            return Reconciled.nothing();
        }
        List<Action> actions = new ArrayList<>();
        JsonNode template = Json.at(set, "spec", "template");
        long collisions = Json.longAt(set, 0, "status", "collisionCount");
        String updateHash = Revisions.hash(template, collisions);
        String updateRevision = Revisions.name(sts, updateHash);
        if (Revisions.find(revisions, updateRevision) == null) {
            actions.add(Revisions.create(sts, "apps/v1", "StatefulSet", template, updateHash, revisions));
        }
        String currentRevision = Json.text(set, "status", "currentRevision");
        CachedObject current = currentRevision == null ? null : Revisions.find(revisions, currentRevision);
        if (current == null) {
            currentRevision = updateRevision;
        }
        JsonNode currentTemplate = current == null ? template : Revisions.template(current);
        String currentHash = currentRevision.substring(sts.name().length() + 1);

        int replicas = (int) Json.longAt(set, 1, "spec", "replicas");
        boolean parallel = "Parallel".equals(Json.text(set, "spec", "podManagementPolicy"));
        boolean onDelete = "OnDelete".equals(Json.text(set, "spec", "updateStrategy", "type"));
        int partition = (int) Json.longAt(set, 0, "spec", "updateStrategy", "rollingUpdate", "partition");

        TreeMap<Integer, CachedObject> byOrdinal = new TreeMap<>();
        for (CachedObject p : pods) {
            int o = ordinal(sts.name(), p.name());
            if (o >= 0) {
                byOrdinal.put(o, p);
            }
        }
        Set<String> claimNames = new HashSet<>();
        claims.forEach(c -> claimNames.add(c.name()));
        boolean anyTerminating = pods.stream().anyMatch(p -> Json.isTerminating(p.object()));
        int changes = 0;
        if (expectationsSatisfied) {
            // failed pods are replaced
            for (CachedObject p : byOrdinal.values()) {
                if ("Failed".equals(Pods.phase(p.object())) && !Json.isTerminating(p.object())) {
                    actions.add(new Action.Delete(p.ref(), p.uid(), null, sts.key()));
                    changes++;
                }
            }
            // scale up (and re-create missing ordinals)
            for (int i = 0; i < replicas && (parallel || changes == 0); i++) {
                CachedObject p = byOrdinal.get(i);
                if (p == null) {
                    boolean update = onDelete || i >= partition;
                    JsonNode t = update ? template : currentTemplate;
                    String hash = update ? updateHash : currentHash;
                    actions.addAll(claimsFor(sts, i, claimNames));
                    actions.add(new Action.Create(ObjectKeys.ref("", "Pod", sts.namespace(), sts.name() + "-" + i),
                            pod(sts, t, hash, i), sts.key()));
                    changes++;
                } else if (!parallel && !runningAndReady(p.object())) {
                    break; // OrderedReady: wait for this one
                }
                if (!parallel && changes > 0) {
                    break;
                }
            }
            // scale down, highest ordinal first
            if (changes == 0 || parallel) {
                boolean lowerHealthy = byOrdinal.headMap(replicas).values().stream().allMatch(p -> runningAndReady(p.object()))
                        && byOrdinal.headMap(replicas).size() == replicas;
                for (CachedObject p : byOrdinal.tailMap(replicas, true).descendingMap().values()) {
                    if (Json.isTerminating(p.object())) {
                        if (!parallel) {
                            break;
                        }
                        continue;
                    }
                    if (!parallel && (!lowerHealthy || anyTerminating)) {
                        break;
                    }
                    actions.add(new Action.Delete(p.ref(), p.uid(), null, sts.key()));
                    changes++;
                    if (!parallel) {
                        break;
                    }
                }
            }
            // rolling update: one pod at a time, from the highest ordinal down to the partition
            if (changes == 0 && !onDelete && !anyTerminating && byOrdinal.headMap(replicas).size() == replicas
                    && byOrdinal.headMap(replicas).values().stream().allMatch(p -> runningAndReady(p.object()))) {
                for (int i = replicas - 1; i >= partition; i--) {
                    CachedObject p = byOrdinal.get(i);
                    if (!updateHash.equals(Json.labels(p.object()).get(Revisions.HASH_LABEL))) {
                        actions.add(new Action.Delete(p.ref(), p.uid(), null, sts.key()));
                        actions.add(new Action.RecordEvent(sts.ref(), sts.uid(), "apps/v1", "Normal", "SuccessfulDelete",
                                "delete Pod " + p.name() + " in StatefulSet " + sts.name() + " for update to revision " + updateRevision));
                        break;
                    }
                }
            }
        }
        // status
        int present = 0;
        int ready = 0;
        int currentReplicas = 0;
        int updated = 0;
        for (CachedObject p : byOrdinal.values()) {
            if (Json.isTerminating(p.object()) || "Failed".equals(Pods.phase(p.object())) || "Succeeded".equals(Pods.phase(p.object()))) {
                continue;
            }
            present++;
            if (runningAndReady(p.object())) {
                ready++;
            }
            String hash = Json.labels(p.object()).get(Revisions.HASH_LABEL);
            if (currentHash.equals(hash)) {
                currentReplicas++;
            }
            if (updateHash.equals(hash)) {
                updated++;
            }
        }
        String statusCurrent = currentRevision;
        if (updated == replicas && present == replicas) {
            statusCurrent = updateRevision;
            currentReplicas = updated;
        }
        ObjectNode status = Json.object();
        status.put("observedGeneration", Json.longAt(set, 1, "metadata", "generation"));
        status.put("replicas", present);
        status.put("readyReplicas", ready);
        status.put("currentReplicas", currentReplicas);
        status.put("updatedReplicas", updated);
        status.put("availableReplicas", ready);
        status.put("currentRevision", statusCurrent);
        status.put("updateRevision", updateRevision);
        status.put("collisionCount", collisions);
        Action statusUpdate = Templates.statusUpdate(sts, status);
        if (statusUpdate != null) {
            actions.add(statusUpdate);
        }
        return Reconciled.of(actions);
    }

    private static List<Action> claimsFor(CachedObject sts, int ordinal, Set<String> existing) {
        List<Action> out = new ArrayList<>();
        JsonNode templates = Json.at(sts.object(), "spec", "volumeClaimTemplates");
        if (templates == null || !templates.isArray()) {
            return out;
        }
        for (JsonNode vct : templates) {
            String name = claimName(vct, sts, ordinal);
            if (existing.contains(name)) {
                continue;
            }
            ObjectNode pvc = Json.object();
            pvc.put("apiVersion", "v1");
            pvc.put("kind", "PersistentVolumeClaim");
            ObjectNode meta = pvc.putObject("metadata");
            meta.put("name", name);
            meta.put("namespace", sts.namespace());
            JsonNode labels = Json.at(sts.object(), "spec", "selector", "matchLabels");
            if (labels != null && labels.isObject()) {
                meta.set("labels", labels.deepCopy());
            }
            JsonNode vctLabels = Json.at(vct, "metadata", "labels");
            if (vctLabels != null && vctLabels.isObject()) {
                meta.with("labels").setAll((ObjectNode) vctLabels.deepCopy());
            }
            pvc.set("spec", vct.has("spec") ? vct.get("spec").deepCopy() : Json.object());
            out.add(new Action.Create(ObjectKeys.ref("", "PersistentVolumeClaim", sts.namespace(), name), pvc, null));
        }
        return out;
    }

    static String claimName(JsonNode vct, CachedObject sts, int ordinal) {
        return Json.text(vct, "metadata", "name") + "-" + sts.name() + "-" + ordinal;
    }

    private static ObjectNode pod(CachedObject sts, JsonNode template, String hash, int ordinal) {
        String name = sts.name() + "-" + ordinal;
        ObjectNode pod = Templates.pod(sts, "apps/v1", "StatefulSet", template, name, null);
        ObjectNode labels = Json.metadata(pod).with("labels");
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, String.valueOf(ordinal));
        labels.put(Revisions.HASH_LABEL, hash);
        ObjectNode spec = pod.with("spec");
        spec.put("hostname", name);
        String service = Json.text(sts.object(), "spec", "serviceName");
        if (service != null && !service.isEmpty()) {
            spec.put("subdomain", service);
        }
        JsonNode templates = Json.at(sts.object(), "spec", "volumeClaimTemplates");
        if (templates != null && templates.isArray() && !templates.isEmpty()) {
            ArrayNode volumes = spec.withArray("volumes");
            for (JsonNode vct : templates) {
                String volume = Json.text(vct, "metadata", "name");
                for (int i = volumes.size() - 1; i >= 0; i--) {
                    if (volume.equals(Json.text(volumes.get(i), "name"))) {
                        volumes.remove(i);
                    }
                }
                ObjectNode v = volumes.addObject();
                v.put("name", volume);
                v.putObject("persistentVolumeClaim").put("claimName", claimName(vct, sts, ordinal));
            }
        }
        return pod;
    }
}
