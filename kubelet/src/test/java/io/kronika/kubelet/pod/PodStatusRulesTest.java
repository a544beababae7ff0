package io.kronika.kubelet.pod;

import io.kronika.kubelet.runtime.RegistryAuth;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PodStatusRulesTest {
    @Test
    void qosClasses() {
        assertThat(PodSpecs.qosClass(Json.parse("{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}"))).isEqualTo("BestEffort");
        assertThat(PodSpecs.qosClass(Json.parse("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}}")))
                .isEqualTo("Guaranteed");
        assertThat(PodSpecs.qosClass(Json.parse("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}}")))
                .isEqualTo("Burstable");
    }

    @Test
    void imagePullPolicyDefaultsAndRegistryCredentials() {
        assertThat(ImageRefs.pullPolicy(Json.parse("{\"image\":\"busybox\"}"))).isEqualTo("Always");
        assertThat(ImageRefs.pullPolicy(Json.parse("{\"image\":\"busybox:1.36\"}"))).isEqualTo("IfNotPresent");
        assertThat(ImageRefs.registry("busybox")).isEqualTo("docker.io");
        assertThat(ImageRefs.registry("localhost:5000/app:1")).isEqualTo("localhost:5000");
        assertThat(ImageRefs.registry("library/busybox")).isEqualTo("docker.io");
        String config = "{\"auths\":{\"127.0.0.1:5999\":{\"username\":\"u\",\"password\":\"p\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + Base64.getEncoder().encodeToString("hub:secret".getBytes()) + "\"}}}";
        String secret = "{\"type\":\"kubernetes.io/dockerconfigjson\",\"data\":{\".dockerconfigjson\":\""
                + Base64.getEncoder().encodeToString(config.getBytes()) + "\"}}";
        RegistryAuth local = ImageRefs.authFromSecret("127.0.0.1:5999/app:1", Json.parse(secret));
        assertThat(local.username()).isEqualTo("u");
        assertThat(local.password()).isEqualTo("p");
        RegistryAuth hub = ImageRefs.authFromSecret("nginx:1", Json.parse(secret));
        assertThat(hub.username()).isEqualTo("hub");
        assertThat(hub.password()).isEqualTo("secret");
        assertThat(ImageRefs.authFromSecret("quay.io/x:1", Json.parse(secret))).isNull();
    }
}
