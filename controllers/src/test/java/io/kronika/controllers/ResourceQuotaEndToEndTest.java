package io.kronika.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.testing.ControllerCluster;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A quota refuses the pod that would exceed it, whoever creates it, and its status follows the namespace's pods. */
class ResourceQuotaEndToEndTest {
    @Test
    void aQuotaRefusesThePodThatWouldExceedItAndReportsUsage() throws Exception {
        ControllerCluster cluster = ControllerCluster.shared();
        String ns = cluster.newNamespace("quota");
        cluster.create("", "ResourceQuota", ns, "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"pods\"},"
                + "\"spec\":{\"hard\":{\"pods\":\"2\",\"requests.cpu\":\"1\"}}}");
        cluster.create("", "LimitRange", ns, "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"cpu\"},"
                + "\"spec\":{\"limits\":[{\"type\":\"Container\",\"defaultRequest\":{\"cpu\":\"250m\"},\"default\":{\"cpu\":\"500m\"}}]}}");
        String quotaKey = ObjectKeys.of("", "ResourceQuota", ns, "pods");
        cluster.await(quotaKey, q -> "0".equals(q.at("/status/used/pods").asText()) && "2".equals(q.at("/status/hard/pods").asText()),
                "an empty usage");

        // The ReplicaSet controller tries to create 3 pods; admission lets exactly 2 in.
        cluster.create("apps", "Deployment", ns, ControllerCluster.deployment("web", 3, "web:v1", null));
        ObjectNode full = cluster.await(quotaKey, q -> "2".equals(q.at("/status/used/pods").asText()), "2 pods used");
        assertThat(full.at("/status/used/requests.cpu").asText()).isEqualTo("500m");
        assertThat(cluster.list(ObjectKeys.namespacePrefix("", "Pod", ns))).hasSize(2)
                .allSatisfy(p -> assertThat(p.at("/spec/containers/0/resources/limits/cpu").asText()).isEqualTo("500m"));

        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"extra\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";
        CommandResult refused = cluster.admission.client().submit(Commands.create(ObjectKeys.ref("", "Pod", ns, "extra"), pod,
                AdmissionFixture.TEST_ACTOR)).get();
        assertThat(refused.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.getCode()).isEqualTo(403);
        assertThat(refused.getMessage()).isEqualTo("pods \"extra\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2");

        // Raising the quota lets the Deployment complete, and the status follows.
        cluster.modify(quotaKey, q -> q.with("spec").with("hard").put("pods", "5"));
        cluster.await(quotaKey, q -> "3".equals(q.at("/status/used/pods").asText()) && "5".equals(q.at("/status/hard/pods").asText()),
                "3 pods used of 5");
        assertThat(cluster.list(ObjectKeys.namespacePrefix("", "Pod", ns))).hasSize(3);
    }
}
