package io.kronika.controllers;

import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.schemas.ObjectKeys;
import org.junit.jupiter.api.Test;

/** Every namespace gets a {@code default} ServiceAccount, again after it is deleted. */
class ServiceAccountEndToEndTest {
    @Test
    void everyNamespaceHasADefaultServiceAccount() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("accounts");
        String key = ObjectKeys.of("", "ServiceAccount", ns, "default");
        cluster.await(key, sa -> true, "the default ServiceAccount");
        cluster.await(ObjectKeys.of("", "ServiceAccount", "kube-system", "default"), sa -> true, "the default ServiceAccount");
        String uid = cluster.get(key).orElseThrow().at("/metadata/uid").asText();
        cluster.delete(ObjectKeys.ref("", "ServiceAccount", ns, "default"));
        cluster.await(key, sa -> !sa.at("/metadata/uid").asText().equals(uid), "a new default ServiceAccount");
    }
}
