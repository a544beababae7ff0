package io.kronika.controllers;

import io.kronika.controllers.core.ServiceAccountTokenController;
import io.kronika.controllers.core.ServiceAccountTokens;
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

    @Test
    void everyServiceAccountGetsATokenSignedByTheClusterKey() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("tokens");
        cluster.create("", "ServiceAccount", ns, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"builder\"}}");
        String accountUid = cluster.await(ObjectKeys.of("", "ServiceAccount", ns, "builder"), sa -> true, "the account").at("/metadata/uid").asText();
        com.fasterxml.jackson.databind.node.ObjectNode secret = cluster.await(ObjectKeys.of("", "Secret", ns, "builder-token"),
                s -> s.at("/data/token").isTextual(), "the token Secret");
        com.fasterxml.jackson.databind.node.ObjectNode keySecret = cluster.await(ObjectKeys.of("", "Secret", "kube-system",
                ServiceAccountTokenController.KEY_SECRET), s -> true, "the cluster key");
        java.security.KeyPair key = ServiceAccountTokenController.keyPair(io.kronika.controllers.testing.Objects.cached("", "Secret",
                io.kronika.controllers.framework.Json.write(keySecret)));
        String jwt = new String(java.util.Base64.getDecoder().decode(secret.at("/data/token").asText()), java.nio.charset.StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.JsonNode claims = ServiceAccountTokens.verify(jwt, key.getPublic());
        org.assertj.core.api.Assertions.assertThat(claims).isNotNull();
        org.assertj.core.api.Assertions.assertThat(claims.get("sub").asText()).isEqualTo("system:serviceaccount:" + ns + ":builder");
        org.assertj.core.api.Assertions.assertThat(claims.get("kubernetes.io/serviceaccount/service-account.uid").asText()).isEqualTo(accountUid);
        org.assertj.core.api.Assertions.assertThat(secret.get("type").asText()).isEqualTo(ServiceAccountTokenController.TOKEN_TYPE);
    }
}
