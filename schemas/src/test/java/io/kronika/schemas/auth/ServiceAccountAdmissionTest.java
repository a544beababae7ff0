package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The ServiceAccount admission of a pod: account defaulting, the kube-api-access volume and mounts, and opting out. */
class ServiceAccountAdmissionTest {
    private static final Optional<JsonNode> ACCOUNT = Optional.of(object("{\"metadata\":{\"name\":\"default\"}}"));

    @Test
    void aPodGetsTheProjectedVolumeMountedReadOnlyInEveryContainer() {
        ObjectNode pod = pod("");
        assertThat(ServiceAccountAdmission.accountName(pod)).isEqualTo("default");
        assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo("default");
        ServiceAccountAdmission.admit(pod, ACCOUNT, "abcde");
        JsonNode volume = pod.path("spec").path("volumes").get(0);
        assertThat(volume.path("name").asText()).isEqualTo("kube-api-access-abcde");
        JsonNode sources = volume.path("projected").path("sources");
        assertThat(sources.get(0).path("serviceAccountToken").path("expirationSeconds").asLong()).isEqualTo(3607);
        assertThat(sources.get(0).path("serviceAccountToken").path("path").asText()).isEqualTo("token");
        assertThat(sources.get(1).path("configMap").path("name").asText()).isEqualTo("kube-root-ca.crt");
        assertThat(sources.get(1).path("configMap").path("items").get(0).path("key").asText()).isEqualTo("ca.crt");
        assertThat(sources.get(2).path("downwardAPI").path("items").get(0).path("fieldRef").path("fieldPath").asText())
                .isEqualTo("metadata.namespace");
        for (String field : new String[]{"initContainers", "containers"}) {
            JsonNode mount = pod.path("spec").path(field).get(0).path("volumeMounts").get(0);
            assertThat(mount.path("name").asText()).isEqualTo("kube-api-access-abcde");
            assertThat(mount.path("mountPath").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
            assertThat(mount.path("readOnly").asBoolean()).isTrue();
        }
    }

    @Test
    void automountFalseOnThePodOrItsAccountOrAMissingAccountMeansNoVolume() {
        ObjectNode optOut = pod("\"automountServiceAccountToken\":false,");
        ServiceAccountAdmission.admit(optOut, ACCOUNT, "abcde");
        assertThat(optOut.path("spec").has("volumes")).isFalse();

        Optional<JsonNode> quiet = Optional.of(object("{\"metadata\":{\"name\":\"default\"},\"automountServiceAccountToken\":false}"));
        ObjectNode byAccount = pod("");
        ServiceAccountAdmission.admit(byAccount, quiet, "abcde");
        assertThat(byAccount.path("spec").has("volumes")).isFalse();
        ObjectNode podWins = pod("\"automountServiceAccountToken\":true,");
        ServiceAccountAdmission.admit(podWins, quiet, "abcde");
        assertThat(podWins.path("spec").path("volumes")).hasSize(1);

        ObjectNode noAccount = pod("");
        ServiceAccountAdmission.admit(noAccount, Optional.empty(), "abcde");
        assertThat(noAccount.path("spec").has("volumes")).isFalse();
    }

    @Test
    void aContainerThatMountsSomethingAtThePathKeepsIt() {
        ObjectNode pod = object("{\"spec\":{\"serviceAccountName\":\"robot\",\"containers\":[{\"name\":\"c\",\"image\":\"i\","
                + "\"volumeMounts\":[{\"name\":\"own\",\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]}]}}");
        assertThat(ServiceAccountAdmission.accountName(pod)).isEqualTo("robot");
        ServiceAccountAdmission.admit(pod, ACCOUNT, "abcde");
        assertThat(pod.path("spec").path("containers").get(0).path("volumeMounts")).hasSize(1);
        assertThat(pod.path("spec").has("volumes")).as("no container mounts it, so no volume").isFalse();
    }

    private static ObjectNode pod(String specFields) {
        return object("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{"
                + specFields + "\"initContainers\":[{\"name\":\"init\",\"image\":\"i\"}],\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JsonTrees.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
