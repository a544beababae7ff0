package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.PersistentVolumeController;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims are bound to matching volumes or get one provisioned from the default class; volumes follow their claims; a
 * WaitForFirstConsumer claim is provisioned on its first pod's node after that pod is scheduled.
 */
class PersistentVolumeEndToEndTest {
    private static String claim(String name, String size, String className) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"" + size + "\"}}"
                + (className == null ? "" : ",\"storageClassName\":\"" + className + "\"") + "}}";
    }

    @Test
    void aClaimWithoutClassIsProvisionedFromTheDefaultClassAndItsVolumeGoesWithIt() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("volumes");
        cluster.await(ObjectKeys.of("storage.k8s.io", "StorageClass", "", PersistentVolumeController.DEFAULT_CLASS),
                sc -> "true".equals(sc.at("/metadata/annotations").path(PersistentVolumeController.DEFAULT_CLASS_ANNOTATION).asText()),
                "the default StorageClass");
        cluster.create("", "PersistentVolumeClaim", ns, claim("data", "2Gi", null));
        String claimKey = ObjectKeys.of("", "PersistentVolumeClaim", ns, "data");
        ObjectNode bound = cluster.await(claimKey, c -> "Bound".equals(c.at("/status/phase").asText()), "phase Bound");
        assertThat(bound.at("/spec/storageClassName").asText()).isEqualTo("standard");
        assertThat(bound.at("/status/capacity/storage").asText()).isEqualTo("2Gi");
        String volume = bound.at("/spec/volumeName").asText();
        assertThat(volume).isEqualTo("pvc-" + bound.at("/metadata/uid").asText());
        String volumeKey = ObjectKeys.of("", "PersistentVolume", "", volume);
        ObjectNode pv = cluster.await(volumeKey, v -> "Bound".equals(v.at("/status/phase").asText()), "the volume Bound");
        assertThat(pv.at("/spec/hostPath/path").asText()).endsWith(volume + "_" + ns + "_data");
        assertThat(pv.at("/spec/claimRef/name").asText()).isEqualTo("data");

        cluster.delete(ObjectKeys.ref("", "PersistentVolumeClaim", ns, "data"));
        ControllerCluster.waitUntil(() -> cluster.get(volumeKey).isEmpty(), "the provisioned volume deleted with its claim");
    }

    @Test
    void aClaimIsBoundToTheSmallestMatchingVolumeWhichIsReleasedAfterwards() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("manual-volumes");
        String cls = "manual-" + ns;
        for (String[] v : new String[][]{{"small", "1Gi"}, {"right", "5Gi"}, {"large", "50Gi"}}) {
            String name = ns + "-" + v[0];
            cluster.create("", "PersistentVolume", "", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"" + name + "\"},"
                    + "\"spec\":{\"capacity\":{\"storage\":\"" + v[1] + "\"},\"accessModes\":[\"ReadWriteOnce\"],\"storageClassName\":\"" + cls + "\","
                    + "\"persistentVolumeReclaimPolicy\":\"Retain\",\"hostPath\":{\"path\":\"/tmp/" + name + "\"}}}");
            cluster.await(ObjectKeys.of("", "PersistentVolume", "", name), o -> "Available".equals(o.at("/status/phase").asText()), "Available");
        }
        cluster.create("", "PersistentVolumeClaim", ns, claim("db", "3Gi", cls));
        String claimKey = ObjectKeys.of("", "PersistentVolumeClaim", ns, "db");
        ObjectNode bound = cluster.await(claimKey, c -> "Bound".equals(c.at("/status/phase").asText()), "phase Bound");
        assertThat(bound.at("/spec/volumeName").asText()).isEqualTo(ns + "-right");
        String volumeKey = ObjectKeys.of("", "PersistentVolume", "", ns + "-right");
        cluster.await(volumeKey, v -> "Bound".equals(v.at("/status/phase").asText()), "the volume Bound");

        cluster.delete(ObjectKeys.ref("", "PersistentVolumeClaim", ns, "db"));
        cluster.await(volumeKey, v -> "Released".equals(v.at("/status/phase").asText()), "the retained volume Released");
        assertThat(cluster.get(ObjectKeys.of("", "PersistentVolume", "", ns + "-small")).orElseThrow().at("/status/phase").asText())
                .isEqualTo("Available");
    }

    @Test
    void aWaitForFirstConsumerClaimIsProvisionedOnTheNodeOfItsFirstPodOnlyOnceThatPodIsScheduled() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("lazy-volumes");
        String cls = "lazy-" + ns;
        cluster.create("storage.k8s.io", "StorageClass", "", "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\","
                + "\"metadata\":{\"name\":\"" + cls + "\"},\"provisioner\":\"" + PersistentVolumeController.PROVISIONER + "\","
                + "\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}");
        long start = cluster.admission.client().latestRevision();
        cluster.create("", "PersistentVolumeClaim", ns, claim("cache", "1Gi", cls));
        String claimKey = ObjectKeys.of("", "PersistentVolumeClaim", ns, "cache");
        cluster.await(claimKey, c -> "Pending".equals(c.at("/status/phase").asText()), "phase Pending");
        cluster.create("", "Pod", ns, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"user\"},\"spec\":{"
                + "\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"c\",\"image\":\"app:v1\"}],"
                + "\"volumes\":[{\"name\":\"cache\",\"persistentVolumeClaim\":{\"claimName\":\"cache\"}}]}}");

        ObjectNode bound = cluster.await(claimKey, c -> "Bound".equals(c.at("/status/phase").asText()), "phase Bound");
        String node = cluster.get(ObjectKeys.of("", "Pod", ns, "user")).orElseThrow().at("/spec/nodeName").asText();
        assertThat(bound.at("/metadata/annotations").path(PersistentVolumeController.SELECTED_NODE).asText()).isEqualTo(node);
        ObjectNode pv = cluster.get(ObjectKeys.of("", "PersistentVolume", "", bound.at("/spec/volumeName").asText())).orElseThrow();
        assertThat(pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText()).isEqualTo(node);

        // from the log: no volume was created before the pod was bound to its node
        long podBound = Long.MAX_VALUE;
        long volumeCreated = Long.MAX_VALUE;
        for (ObjectEvent e : cluster.admission.readAllEvents()) {
            if (e.getRevision() <= start) {
                continue;
            }
            ObjectNode o = Json.parse(e.getObject());
            if (ObjectKeys.of(e.getRef()).equals(ObjectKeys.of("", "Pod", ns, "user")) && !o.at("/spec/nodeName").asText().isEmpty()) {
                podBound = Math.min(podBound, e.getRevision());
            } else if ("PersistentVolume".equals(e.getRef().getKind()) && e.getType() == EventType.ADDED
                    && claimKey.equals(ObjectKeys.of("", "PersistentVolumeClaim", o.at("/spec/claimRef/namespace").asText(),
                    o.at("/spec/claimRef/name").asText()))) {
                volumeCreated = Math.min(volumeCreated, e.getRevision());
            }
        }
        assertThat(podBound).isLessThan(Long.MAX_VALUE);
        assertThat(volumeCreated).isGreaterThan(podBound).isLessThan(Long.MAX_VALUE);
    }
}
