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
}
