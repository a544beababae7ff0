package io.kronika.gateway.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kronika.gateway.api.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Protobuf bodies as client-go encodes them, decoded into the JSON the same Go objects marshal to. */
class KubernetesProtobufTest {
    private static final ProtoTypes TYPES = ProtoTypes.get();

    private static Message message(String type, Object... fieldsAndValues) {
        Descriptor descriptor = TYPES.message(type);
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(descriptor);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            var field = descriptor.findFieldByName((String) fieldsAndValues[i]);
            Object value = fieldsAndValues[i + 1];
            if (field.isRepeated() && value instanceof Iterable<?> values) {
                values.forEach(v -> builder.addRepeatedField(field, v));
            } else {
                builder.setField(field, value);
            }
        }
        return builder.build();
    }

    private static Message mapEntry(String containingType, String field, String key, Object value) {
        Descriptor entry = TYPES.message(containingType).findFieldByName(field).getMessageType();
        return DynamicMessage.newBuilder(entry).setField(entry.findFieldByName("key"), key)
                .setField(entry.findFieldByName("value"), value).build();
    }

    private static byte[] envelope(String apiVersion, String kind, Message object) throws Exception {
        Message unknown = message(ProtoTypes.UNKNOWN,
                "typeMeta", message("k8s.io.apimachinery.pkg.runtime.TypeMeta", "apiVersion", apiVersion, "kind", kind),
                "raw", object.toByteString(), "contentEncoding", "", "contentType", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{0x6b, 0x38, 0x73, 0x00});
        unknown.writeTo(out);
        return out.toByteArray();
    }

    private static Message meta(String name) {
        // gogo writes every non-pointer field, empty or not, as client-go does.
        return message("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", "name", name, "generateName", "", "namespace", "",
                "resourceVersion", "", "generation", 0L,
                "creationTimestamp", message("k8s.io.apimachinery.pkg.apis.meta.v1.Time", "seconds", 0L, "nanos", 0));
    }

    @Test
    void configMapWithDataAndBinaryData() throws Exception {
        Message configMap = message("k8s.io.api.core.v1.ConfigMap", "metadata", meta("cfg"),
                "data", java.util.List.of(mapEntry("k8s.io.api.core.v1.ConfigMap", "data", "a", "b")),
                "binaryData", java.util.List.of(mapEntry("k8s.io.api.core.v1.ConfigMap", "binaryData", "bin",
                        ByteString.copyFrom("hi", StandardCharsets.UTF_8))));
        ObjectNode json = KubernetesProtobuf.decode(envelope("v1", "ConfigMap", configMap));
        assertThat(json).isEqualTo(Json.object("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cfg"},"data":{"a":"b"},"binaryData":{"bin":"aGk="}}"""));
    }

    @Test
    void deploymentWithPointersIntOrStringQuantityAndTime() throws Exception {
        Message container = message("k8s.io.api.core.v1.Container", "name", "web", "image", "nginx", "stdin", false,
                "resources", message("k8s.io.api.core.v1.ResourceRequirements", "limits", java.util.List.of(
                        mapEntry("k8s.io.api.core.v1.ResourceRequirements", "limits", "cpu",
                                message("k8s.io.apimachinery.pkg.api.resource.Quantity", "string", "500m")))));
        Message spec = message("k8s.io.api.apps.v1.DeploymentSpec", "replicas", 0, "minReadySeconds", 0, "paused", false,
                "strategy", message("k8s.io.api.apps.v1.DeploymentStrategy", "type", "RollingUpdate",
                        "rollingUpdate", message("k8s.io.api.apps.v1.RollingUpdateDeployment",
                                "maxSurge", message("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "type", 1L, "intVal", 0, "strVal", "25%"),
                                "maxUnavailable", message("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "type", 0L, "intVal", 1, "strVal", ""))),
                "template", message("k8s.io.api.core.v1.PodTemplateSpec", "metadata", meta(""),
                        "spec", message("k8s.io.api.core.v1.PodSpec", "containers", java.util.List.of(container))));
        Message deployment = message("k8s.io.api.apps.v1.Deployment", "metadata", message("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                "name", "web", "deletionTimestamp", message("k8s.io.apimachinery.pkg.apis.meta.v1.Time", "seconds", 1_700_000_000L, "nanos", 5)),
                "spec", spec);
        ObjectNode json = KubernetesProtobuf.decode(envelope("apps/v1", "Deployment", deployment));
        assertThat(json.path("metadata").path("deletionTimestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
        ObjectNode decodedSpec = (ObjectNode) json.path("spec");
        // replicas is *int32: an explicit 0 stays; minReadySeconds and paused are plain values: zero is omitted.
        assertThat(decodedSpec.path("replicas").asInt(-1)).isZero();
        assertThat(decodedSpec.has("minReadySeconds")).isFalse();
        assertThat(decodedSpec.has("paused")).isFalse();
        assertThat(decodedSpec.path("strategy").path("rollingUpdate").toString()).isEqualTo("{\"maxUnavailable\":1,\"maxSurge\":\"25%\"}");
        assertThat(decodedSpec.path("template").path("metadata").isEmpty()).isTrue();
        assertThat(decodedSpec.path("template").path("spec").path("containers").get(0).toString())
                .isEqualTo("{\"name\":\"web\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"cpu\":\"500m\"}}}");
    }

    @Test
    void inlineStructsAreFlattened() throws Exception {
        Message volume = message("k8s.io.api.core.v1.Volume", "name", "data",
                "volumeSource", message("k8s.io.api.core.v1.VolumeSource", "emptyDir", message("k8s.io.api.core.v1.EmptyDirVolumeSource")));
        Message pod = message("k8s.io.api.core.v1.Pod", "metadata", meta("p"), "spec", message("k8s.io.api.core.v1.PodSpec",
                "volumes", java.util.List.of(volume)));
        ObjectNode json = KubernetesProtobuf.decode(envelope("v1", "Pod", pod));
        assertThat(json.path("spec").path("volumes").get(0).toString()).isEqualTo("{\"name\":\"data\",\"emptyDir\":{}}");
    }

    @Test
    void optionKindsComeFromMetaV1() throws Exception {
        Message options = message("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions", "gracePeriodSeconds", 0L,
                "propagationPolicy", "Foreground");
        ObjectNode json = KubernetesProtobuf.decode(envelope("v1", "DeleteOptions", options));
        assertThat(json.toString()).isEqualTo("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,\"propagationPolicy\":\"Foreground\"}");
    }

    @Test
    void goDurationsAsGoPrintsThem() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoDuration.format(3_723_000_000_000L)).isEqualTo("1h2m3s");
        assertThat(GoDuration.format(60_000_000_000L)).isEqualTo("1m0s");
        assertThat(GoDuration.format(2_500_000L)).isEqualTo("2.5ms");
    }

    @Test
    void notProtobufOrUnknownKindsAreRefused() throws Exception {
        assertThatThrownBy(() -> KubernetesProtobuf.decode("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtobufException.class).hasMessageContaining("expected prefix");
        assertThatThrownBy(() -> KubernetesProtobuf.decode(envelope("v1", "Gadget", meta("x"))))
                .isInstanceOf(ProtobufException.class).hasMessageContaining("no kind \"Gadget\" is registered for version \"v1\"");
    }
}
