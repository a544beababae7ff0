package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.PersistentVolumeController;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims are bound to matching volumes or get one provisioned from the default class; volumes follow their claims. */
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
}
