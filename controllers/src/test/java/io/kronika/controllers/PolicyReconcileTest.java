package io.kronika.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.controllers.core.PersistentVolumeController;
import io.kronika.controllers.core.ResourceQuotaController;
import io.kronika.controllers.core.ServiceAccountTokenController;
import io.kronika.controllers.core.ServiceAccountTokens;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Reconciled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.kronika.controllers.testing.Objects.cached;
import static io.kronika.controllers.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The reconcile functions of the quota, volume binding and token controllers on hand-built states. */
class PolicyReconcileTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final KeyPair KEY = ServiceAccountTokens.generateKey();

    private static <T> List<T> of(Reconciled r, Class<T> type) {
        return r.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    // ---- ResourceQuota ----

    private static CachedObject quota(String statusJson) {
        return cached("", "ResourceQuota", "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"q\",\"namespace\":\"ns\"},"
                + "\"spec\":{\"hard\":{\"pods\":\"3\",\"requests.cpu\":\"2\",\"count/configmaps\":\"5\",\"limits.memory\":\"1Gi\"}}"
                + (statusJson == null ? "" : ",\"status\":" + statusJson) + "}");
    }

    private static CachedObject podWithCpu(String name, String cpu, String extraMeta) {
        CachedObject p = pod("ns", name, "{}", null, "n1", true, "2026-01-01T00:00:00Z");
        var o = p.copy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/containers/0")).putObject("resources").putObject("requests").put("cpu", cpu);
        if (extraMeta != null) {
            o.with("metadata").put("deletionTimestamp", extraMeta);
        }
        return cached("", "Pod", io.kronika.controllers.framework.Json.write(o));
    }

    @Test
    void quotaStatusReportsHardAndUsageFromTheObjects() {
        List<CachedObject> objects = List.of(podWithCpu("a", "250m", null), podWithCpu("b", "1", null),
                cached("", "ConfigMap", "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"ns\"}}"));
        Reconciled r = ResourceQuotaController.sync(quota(null), objects, NOW);
        List<Action.UpdateStatus> updates = of(r, Action.UpdateStatus.class);
        assertThat(updates).hasSize(1);
        JsonNode status = updates.get(0).object().get("status");
        assertThat(status.at("/hard/pods").asText()).isEqualTo("3");
        assertThat(status.at("/used/pods").asText()).isEqualTo("2");
        assertThat(status.at("/used/requests.cpu").asText()).isEqualTo("1250m");
        assertThat(status.at("/used/count~1configmaps").asText()).isEqualTo("1");
        assertThat(status.at("/used/limits.memory").asText()).isEqualTo("0");
        assertThat(r.requeueAfter()).isNull();

        String upToDate = "{\"hard\":{\"pods\":\"3\",\"requests.cpu\":\"2\",\"count/configmaps\":\"5\",\"limits.memory\":\"1Gi\"},"
                + "\"used\":{\"count/configmaps\":\"1\",\"limits.memory\":\"0\",\"pods\":\"2\",\"requests.cpu\":\"1250m\"}}";
        assertThat(ResourceQuotaController.sync(quota(upToDate), objects, NOW).actions()).isEmpty();
    }

    @Test
    void aTerminatingPodCountsUntilItsDeletionTimeThenTheQuotaLooksAgain() {
        List<CachedObject> objects = List.of(podWithCpu("a", "1", "2026-01-01T00:10:30Z"));
        Reconciled r = ResourceQuotaController.sync(quota(null), objects, NOW);
        assertThat(of(r, Action.UpdateStatus.class).get(0).object().at("/status/used/pods").asText()).isEqualTo("1");
        assertThat(r.requeueAfter()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
        Reconciled later = ResourceQuotaController.sync(quota(null), objects, NOW.plusSeconds(31));
        assertThat(of(later, Action.UpdateStatus.class).get(0).object().at("/status/used/pods").asText()).isEqualTo("0");
    }

    // ---- PersistentVolume binding ----

    private static final CachedObject STANDARD = cached("storage.k8s.io", "StorageClass", "{\"apiVersion\":\"storage.k8s.io/v1\","
            + "\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"standard\",\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}},"
            + "\"provisioner\":\"kronika.io/local-path\",\"reclaimPolicy\":\"Delete\"}");

    private static CachedObject claim(String name, String size, String className, String extraSpec, String status) {
        return cached("", "PersistentVolumeClaim", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ns\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"" + size + "\"}}"
                + (className == null ? "" : ",\"storageClassName\":\"" + className + "\"") + (extraSpec == null ? "" : "," + extraSpec) + "}"
                + (status == null ? "" : ",\"status\":{\"phase\":\"" + status + "\"}") + "}");
    }

    private static CachedObject volume(String name, String size, String className, String modes, String claimRef, String phase) {
        return cached("", "PersistentVolume", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"capacity\":{\"storage\":\"" + size + "\"},\"accessModes\":" + modes + ",\"storageClassName\":\"" + className + "\","
                + "\"persistentVolumeReclaimPolicy\":\"Retain\",\"hostPath\":{\"path\":\"/tmp/" + name + "\"}"
                + (claimRef == null ? "" : ",\"claimRef\":" + claimRef) + "}" + (phase == null ? "" : ",\"status\":{\"phase\":\"" + phase + "\"}") + "}");
    }

    @Test
    void theDefaultClassIsCreatedWhenAbsent() {
        Action.Create create = of(PersistentVolumeController.syncDefaultClass(null), Action.Create.class).get(0);
        assertThat(create.object().at("/metadata/annotations/storageclass.kubernetes.io~1is-default-class").asText()).isEqualTo("true");
        assertThat(create.object().get("provisioner").asText()).isEqualTo(PersistentVolumeController.PROVISIONER);
        assertThat(PersistentVolumeController.syncDefaultClass(STANDARD).actions()).isEmpty();
    }

    @Test
    void aClaimWithoutClassGetsTheDefault() {
        Reconciled r = PersistentVolumeController.syncClaim(claim("data", "1Gi", null, null, null), List.of(), List.of(STANDARD), Path.of("/d"));
        assertThat(of(r, Action.Update.class).get(0).object().at("/spec/storageClassName").asText()).isEqualTo("standard");
    }

    @Test
    void aClaimTakesTheSmallestMatchingVolumeStepByStep() {
        CachedObject pvc = claim("data", "1Gi", "manual", null, null);
        List<CachedObject> volumes = List.of(
                volume("too-small", "512Mi", "manual", "[\"ReadWriteOnce\"]", null, "Available"),
                volume("wrong-class", "1Gi", "other", "[\"ReadWriteOnce\"]", null, "Available"),
                volume("wrong-mode", "1Gi", "manual", "[\"ReadOnlyMany\"]", null, "Available"),
                volume("big", "10Gi", "manual", "[\"ReadWriteOnce\",\"ReadWriteMany\"]", null, "Available"),
                volume("fits", "2Gi", "manual", "[\"ReadWriteOnce\"]", null, "Available"));
        Action.Update claimIt = of(PersistentVolumeController.syncClaim(pvc, volumes, List.of(STANDARD), Path.of("/d")), Action.Update.class).get(0);
        assertThat(claimIt.target().getName()).isEqualTo("fits");
        assertThat(claimIt.object().at("/spec/claimRef/uid").asText()).isEqualTo(pvc.uid());

        CachedObject claimed = cached("", "PersistentVolume", io.kronika.controllers.framework.Json.write(claimIt.object()));
        Reconciled second = PersistentVolumeController.syncClaim(pvc, List.of(claimed), List.of(), Path.of("/d"));
        assertThat(of(second, Action.UpdateStatus.class).get(0).object().at("/status/phase").asText()).isEqualTo("Bound");
        assertThat(of(second, Action.Update.class).get(0).object().at("/spec/volumeName").asText()).isEqualTo("fits");

        CachedObject named = claim("data", "1Gi", "manual", "\"volumeName\":\"fits\"", "Pending");
        Reconciled third = PersistentVolumeController.syncClaim(named, List.of(claimed), List.of(), Path.of("/d"));
        JsonNode status = of(third, Action.UpdateStatus.class).stream().filter(u -> u.target().getKind().equals("PersistentVolumeClaim"))
                .findFirst().orElseThrow().object().get("status");
        assertThat(status.get("phase").asText()).isEqualTo("Bound");
        assertThat(status.at("/capacity/storage").asText()).isEqualTo("2Gi");
    }

    @Test
    void withoutAMatchTheLocalPathClassProvisionsAPreBoundHostPathVolume() {
        CachedObject pvc = claim("data", "3Gi", "standard", null, null);
        Reconciled r = PersistentVolumeController.syncClaim(pvc, List.of(), List.of(STANDARD), Path.of("/var/kronika/local-path"));
        Action.Create create = of(r, Action.Create.class).get(0);
        JsonNode pv = create.object();
        assertThat(create.target().getName()).isEqualTo("pvc-" + pvc.uid());
        assertThat(pv.at("/spec/hostPath/path").asText()).isEqualTo("/var/kronika/local-path/pvc-" + pvc.uid() + "_ns_data");
        assertThat(pv.at("/spec/capacity/storage").asText()).isEqualTo("3Gi");
        assertThat(pv.at("/spec/claimRef/name").asText()).isEqualTo("data");
        assertThat(pv.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Delete");

        Reconciled unprovisioned = PersistentVolumeController.syncClaim(claim("x", "1Gi", "manual", null, null), List.of(), List.of(STANDARD), Path.of("/d"));
        assertThat(of(unprovisioned, Action.UpdateStatus.class).get(0).object().at("/status/phase").asText()).isEqualTo("Pending");
    }

    @Test
    void aVolumeIsAvailableWithoutClaimAndReleasedOrDeletedWhenItsClaimIsGone() {
        CachedObject free = volume("v", "1Gi", "manual", "[\"ReadWriteOnce\"]", null, null);
        assertThat(of(PersistentVolumeController.syncVolume(free, null), Action.UpdateStatus.class).get(0).object().at("/status/phase").asText())
                .isEqualTo("Available");
        String ref = "{\"namespace\":\"ns\",\"name\":\"gone\",\"uid\":\"old-uid\"}";
        CachedObject orphan = volume("v", "1Gi", "manual", "[\"ReadWriteOnce\"]", ref, "Bound");
        assertThat(of(PersistentVolumeController.syncVolume(orphan, null), Action.UpdateStatus.class).get(0).object().at("/status/phase").asText())
                .isEqualTo("Released");
        com.fasterxml.jackson.databind.node.ObjectNode whole = orphan.copy();
        whole.with("spec").put("persistentVolumeReclaimPolicy", "Delete");
        CachedObject deletable = cached("", "PersistentVolume", io.kronika.controllers.framework.Json.write(whole));
        assertThat(of(PersistentVolumeController.syncVolume(deletable, null), Action.Delete.class)).hasSize(1);
        CachedObject owner = claim("gone", "1Gi", "manual", null, null);
        CachedObject bound = volume("v", "1Gi", "manual", "[\"ReadWriteOnce\"]",
                "{\"namespace\":\"ns\",\"name\":\"gone\",\"uid\":\"" + owner.uid() + "\"}", "Bound");
        assertThat(PersistentVolumeController.syncVolume(bound, owner).actions()).isEmpty();
    }

    private static final CachedObject LAZY = cached("storage.k8s.io", "StorageClass", "{\"apiVersion\":\"storage.k8s.io/v1\","
            + "\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"lazy\"},\"provisioner\":\"kronika.io/local-path\","
            + "\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}");

    private static JsonNode node(String name, String zone) {
        return io.kronika.controllers.framework.Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"kubernetes.io/hostname\":\"" + name + "\",\"zone\":\"" + zone + "\"}}}");
    }

    private static CachedObject withSelectedNode(CachedObject claim, String node) {
        var o = claim.copy();
        io.kronika.controllers.framework.Json.metadata(o).with("annotations").put(PersistentVolumeController.SELECTED_NODE, node);
        return cached("", "PersistentVolumeClaim", io.kronika.controllers.framework.Json.write(o));
    }

    @Test
    void aWaitForFirstConsumerClaimWaitsForAScheduledPodThenRecordsItsNode() {
        CachedObject pvc = claim("data", "1Gi", "lazy", null, null);
        CachedObject free = volume("free", "5Gi", "lazy", "[\"ReadWriteOnce\"]", null, "Available");
        // no consumer yet: Pending with Kubernetes' event, though a matching volume is there
        Reconciled waiting = PersistentVolumeController.syncClaim(pvc, List.of(free), List.of(LAZY), Path.of("/d"), null, n -> null);
        assertThat(of(waiting, Action.UpdateStatus.class)).singleElement()
                .satisfies(u -> assertThat(u.object().at("/status/phase").asText()).isEqualTo("Pending"));
        assertThat(of(waiting, Action.RecordEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("WaitForFirstConsumer");
            assertThat(e.message()).isEqualTo("waiting for first consumer to be created before binding");
        });
        assertThat(of(waiting, Action.Update.class)).isEmpty();
        assertThat(of(waiting, Action.Create.class)).isEmpty();
        CachedObject pending = claim("data", "1Gi", "lazy", null, "Pending");
        assertThat(PersistentVolumeController.syncClaim(pending, List.of(free), List.of(LAZY), Path.of("/d"), null, n -> null).actions()).isEmpty();
        // a pod using it was scheduled to n2: the claim records the node as the scheduler would
        Reconciled selected = PersistentVolumeController.syncClaim(pending, List.of(free), List.of(LAZY), Path.of("/d"), "n2", n -> null);
        assertThat(of(selected, Action.Update.class)).singleElement().satisfies(u -> {
            assertThat(u.target().getKind()).isEqualTo("PersistentVolumeClaim");
            assertThat(u.object().at("/metadata/annotations").get(PersistentVolumeController.SELECTED_NODE).asText()).isEqualTo("n2");
        });
        // immediate binding is unchanged: the same claim of an Immediate class takes the volume at once
        CachedObject eager = claim("data", "1Gi", "manual", null, null);
        Reconciled immediate = PersistentVolumeController.syncClaim(eager, List.of(volume("free", "5Gi", "manual", "[\"ReadWriteOnce\"]", null,
                "Available")), List.of(STANDARD), Path.of("/d"), null, n -> null);
        assertThat(of(immediate, Action.Update.class).get(0).target().getKind()).isEqualTo("PersistentVolume");
    }

    @Test
    void onceItsNodeIsSelectedTheClaimTakesAVolumeThatNodeCanReachOrGetsOnePinnedToIt() {
        Map<String, JsonNode> nodes = Map.of("n1", node("n1", "a"), "n2", node("n2", "b"));
        CachedObject pvc = withSelectedNode(claim("data", "1Gi", "lazy", null, "Pending"), "n2");
        var affine = volume("only-a", "1Gi", "lazy", "[\"ReadWriteOnce\"]", null, "Available").copy();
        affine.with("spec").set("nodeAffinity", io.kronika.controllers.framework.Json.parse("{\"required\":{\"nodeSelectorTerms\":[{"
                + "\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\"]}]}]}}"));
        CachedObject zoneAVolume = cached("", "PersistentVolume", io.kronika.controllers.framework.Json.write(affine));
        // the only volume is out of n2's reach: one is provisioned on n2
        Reconciled provisioned = PersistentVolumeController.syncClaim(pvc, List.of(zoneAVolume), List.of(LAZY), Path.of("/d"), "n2", nodes::get);
        Action.Create create = of(provisioned, Action.Create.class).get(0);
        assertThat(create.object().at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/key").asText())
                .isEqualTo("kubernetes.io/hostname");
        assertThat(create.object().at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText()).isEqualTo("n2");
        assertThat(create.object().at("/spec/claimRef/name").asText()).isEqualTo("data");
        // selected n1 instead: the zone-a volume is taken
        CachedObject onN1 = withSelectedNode(claim("data", "1Gi", "lazy", null, "Pending"), "n1");
        Reconciled taken = PersistentVolumeController.syncClaim(onN1, List.of(zoneAVolume), List.of(LAZY), Path.of("/d"), "n1", nodes::get);
        assertThat(of(taken, Action.Update.class)).singleElement().satisfies(u -> {
            assertThat(u.target().getName()).isEqualTo("only-a");
            assertThat(u.object().at("/spec/claimRef/uid").asText()).isEqualTo(onN1.uid());
        });
        assertThat(of(taken, Action.Create.class)).isEmpty();
    }

    // ---- ServiceAccount tokens ----

    private static CachedObject account(String uid) {
        return cached("", "ServiceAccount", "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"builder\",\"namespace\":\"ns\",\"uid\":\"" + uid + "\"}}");
    }

    @Test
    void theClusterKeyIsCreatedOnceAndReadBack() {
        Reconciled r = ServiceAccountTokenController.syncKey(null, () -> KEY);
        Action.Create create = of(r, Action.Create.class).get(0);
        assertThat(create.target().getNamespace()).isEqualTo("kube-system");
        CachedObject stored = cached("", "Secret", io.kronika.controllers.framework.Json.write(create.object()));
        KeyPair back = ServiceAccountTokenController.keyPair(stored);
        assertThat(back.getPublic()).isEqualTo(KEY.getPublic());
        assertThat(back.getPrivate()).isEqualTo(KEY.getPrivate());
        assertThat(ServiceAccountTokenController.syncKey(stored, () -> { throw new AssertionError("no new key"); }).actions()).isEmpty();
    }

    @Test
    void everyAccountGetsATokenSecretWithASignedJwt() {
        CachedObject sa = account("sa-uid");
        assertThat(ServiceAccountTokenController.sync(sa, null, null).actions()).as("no key yet").isEmpty();
        Action.Create create = of(ServiceAccountTokenController.sync(sa, null, KEY), Action.Create.class).get(0);
        JsonNode secret = create.object();
        assertThat(secret.get("type").asText()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(secret.at("/metadata/name").asText()).isEqualTo("builder-token");
        assertThat(secret.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("sa-uid");
        String jwt = new String(Base64.getDecoder().decode(secret.at("/data/token").asText()), StandardCharsets.UTF_8);
        JsonNode claims = ServiceAccountTokens.verify(jwt, KEY.getPublic());
        assertThat(claims).isNotNull();
        assertThat(claims.get("sub").asText()).isEqualTo("system:serviceaccount:ns:builder");
        assertThat(claims.get("kubernetes.io/serviceaccount/service-account.uid").asText()).isEqualTo("sa-uid");
        assertThat(ServiceAccountTokens.verify(jwt, ServiceAccountTokens.generateKey().getPublic())).as("another key").isNull();
        assertThat(ServiceAccountTokens.verify(jwt.substring(0, jwt.length() - 4) + "AAAA", KEY.getPublic())).as("tampered").isNull();

        CachedObject stored = cached("", "Secret", io.kronika.controllers.framework.Json.write(secret));
        assertThat(ServiceAccountTokenController.sync(sa, stored, KEY).actions()).isEmpty();
        assertThat(of(ServiceAccountTokenController.sync(account("new-uid"), stored, KEY), Action.Delete.class))
                .as("a token of an earlier account of the same name is replaced").hasSize(1);
        assertThat(of(ServiceAccountTokenController.sync(sa, stored, ServiceAccountTokens.generateKey()), Action.Delete.class))
                .as("a token the cluster key does not verify is replaced").hasSize(1);
    }
}
