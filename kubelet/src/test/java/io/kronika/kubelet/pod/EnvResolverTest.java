package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.runtime.ContainerSpec.EnvVar;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvResolverTest {
    private static final String POD = """
            {"metadata":{"name":"web","namespace":"ns","uid":"u-1","labels":{"app":"web"},"annotations":{"a":"b"}},
             "spec":{"containers":[{"name":"c","resources":{"limits":{"memory":"64Mi","cpu":"500m"}},
               "envFrom":[{"configMapRef":{"name":"cm"},"prefix":"CM_"}],
               "env":[{"name":"A","value":"x"},{"name":"B","value":"$(A)-y-$$(A)-$(NOPE)"},
                      {"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                      {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                      {"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                      {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                      {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
                      {"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"1m"}}},
                      {"name":"KEY","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k"}}},
                      {"name":"PASS","valueFrom":{"secretKeyRef":{"name":"s","key":"password"}}}]}]}}""";

    private final ObjectLookup objects = (kind, ns, name) -> switch (kind + "/" + name) {
        case "ConfigMap/cm" -> Optional.of(Json.parse("{\"data\":{\"k\":\"v\",\"other\":\"o\"}}"));
        case "Secret/s" -> Optional.of(Json.parse("{\"data\":{\"password\":\"" + Base64.getEncoder().encodeToString("hunter2".getBytes()) + "\"}}"));
        default -> Optional.empty();
    };

    @Test
    void buildsTheEnvironmentKubernetesWould() throws Exception {
        JsonNode pod = Json.parse(POD);
        List<EnvVar> env = new EnvResolver(objects).resolve(pod, pod.at("/spec/containers/0"), new EnvResolver.PodFacts("127.1.0.5", "10.0.0.1", "n1"));
        Map<String, String> map = new java.util.LinkedHashMap<>();
        env.forEach(e -> map.put(e.name(), e.value()));
        assertThat(map).containsEntry("HOSTNAME", "web").containsEntry("CM_k", "v").containsEntry("CM_other", "o")
                .containsEntry("A", "x").containsEntry("B", "x-y-$(A)-$(NOPE)").containsEntry("POD", "web")
                .containsEntry("APP", "web").containsEntry("IP", "127.1.0.5").containsEntry("NODE", "n1")
                .containsEntry("MEM", "64").containsEntry("CPU", "500").containsEntry("KEY", "v").containsEntry("PASS", "hunter2");
    }

    @Test
    void aMissingConfigMapOrKeyIsAConfigError() {
        JsonNode pod = Json.parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"env\":[{\"name\":\"X\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"cm\",\"key\":\"missing\"}}}]}]}}");
        assertThatThrownBy(() -> new EnvResolver(objects).resolve(pod, pod.at("/spec/containers/0"), new EnvResolver.PodFacts("", "", "")))
                .isInstanceOf(ConfigError.class).hasMessage("couldn't find key missing in ConfigMap ns/cm");
        JsonNode optional = Json.parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"envFrom\":[{\"secretRef\":{\"name\":\"absent\",\"optional\":true}}]}]}}");
        assertThatThrownBy(() -> new EnvResolver(objects).resolve(pod, Json.parse("{\"envFrom\":[{\"secretRef\":{\"name\":\"absent\"}}]}"),
                new EnvResolver.PodFacts("", "", ""))).hasMessage("secret \"absent\" not found");
        assertThat(catchingNothing(() -> new EnvResolver(objects).resolve(optional, optional.at("/spec/containers/0"),
                new EnvResolver.PodFacts("", "", "")))).isTrue();
    }

    private static boolean catchingNothing(ThrowingRunnable r) {
        try {
            r.run();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void servicesInTheNamespaceAndTheKubernetesServiceBecomeEnvironmentVariables() throws Exception {
        ObjectLookup withServices = new ObjectLookup() {
            @Override
            public Optional<JsonNode> get(String kind, String ns, String name) {
                return kind.equals("Service") && ns.equals("default") && name.equals("kubernetes")
                        ? Optional.of(Json.parse("{\"metadata\":{\"name\":\"kubernetes\",\"namespace\":\"default\"},"
                        + "\"spec\":{\"clusterIP\":\"127.96.0.1\",\"ports\":[{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\"}]}}"))
                        : Optional.empty();
            }

            @Override
            public List<JsonNode> list(String kind, String ns) {
                return List.of(
                        Json.parse("{\"metadata\":{\"name\":\"redis-primary\",\"namespace\":\"ns\"},\"spec\":{\"clusterIP\":\"127.96.0.7\","
                                + "\"ports\":[{\"name\":\"redis\",\"port\":6379,\"protocol\":\"TCP\"}]}}"),
                        Json.parse("{\"metadata\":{\"name\":\"headless\",\"namespace\":\"ns\"},\"spec\":{\"clusterIP\":\"None\","
                                + "\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}}"));
            }
        };
        JsonNode pod = Json.parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"env\":[{\"name\":\"URL\",\"value\":\"redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)\"}]}]}}");
        Map<String, String> map = new java.util.LinkedHashMap<>();
        new EnvResolver(withServices).resolve(pod, pod.at("/spec/containers/0"), new EnvResolver.PodFacts("", "", ""))
                .forEach(e -> map.put(e.name(), e.value()));
        assertThat(map).containsEntry("KUBERNETES_SERVICE_HOST", "127.96.0.1").containsEntry("KUBERNETES_SERVICE_PORT", "443")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443").containsEntry("KUBERNETES_PORT", "tcp://127.96.0.1:443")
                .containsEntry("REDIS_PRIMARY_SERVICE_HOST", "127.96.0.7").containsEntry("REDIS_PRIMARY_SERVICE_PORT", "6379")
                .containsEntry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "127.96.0.7").containsEntry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp")
                .containsEntry("URL", "redis://127.96.0.7:6379")
                .doesNotContainKey("HEADLESS_SERVICE_HOST");

        JsonNode noLinks = Json.parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"enableServiceLinks\":false,"
                + "\"containers\":[{\"name\":\"c\"}]}}");
        Map<String, String> without = new java.util.LinkedHashMap<>();
        new EnvResolver(withServices).resolve(noLinks, noLinks.at("/spec/containers/0"), new EnvResolver.PodFacts("", "", ""))
                .forEach(e -> without.put(e.name(), e.value()));
        assertThat(without).containsEntry("KUBERNETES_SERVICE_HOST", "127.96.0.1").doesNotContainKey("REDIS_PRIMARY_SERVICE_HOST");
    }
}
