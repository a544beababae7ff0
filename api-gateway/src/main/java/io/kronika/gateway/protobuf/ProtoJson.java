package io.kronika.gateway.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.patch.GoFieldTypes;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A decoded Kubernetes protobuf message as the JSON the same Go object marshals to: field names as in JSON (the
 * generated .proto files name fields after their json tags), inline structs flattened, and the apimachinery types
 * that marshal specially (Time, MicroTime, Duration, Quantity, IntOrString, RawExtension, FieldsV1, string-list
 * wrappers) in their JSON forms.
 *
 * <p>gogo writes non-pointer scalars even when they hold the zero value, which Go's JSON ({@code omitempty}) leaves
 * out; so zero scalars ("", 0, false) are left out unless the Go field is a pointer, where a zero is a value
 * (field types from {@link GoFieldTypes}; fields it does not know keep zero numbers and booleans).
 */
final class ProtoJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String META = ProtoTypes.META_PACKAGE + ".";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** Go struct fields embedded with {@code json:",inline"} in k8s.io/api v1 (message.field). */
    private static final Set<String> INLINE = Set.of(
            "k8s.io.api.core.v1.Volume.volumeSource",
            "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
            "k8s.io.api.core.v1.Probe.handler",
            "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
            "k8s.io.api.networking.v1.IngressRule.ingressRuleValue",
            "k8s.io.api.admissionregistration.v1.RuleWithOperations.rule",
            "k8s.io.api.admissionregistration.v1.NamedRuleWithOperations.ruleWithOperations");
    /** Named string-slice types: a message with one repeated field, marshalled as a plain JSON array. */
    private static final Set<String> STRING_LISTS = Set.of(META + "Verbs", "k8s.io.api.authentication.v1.ExtraValue",
            "k8s.io.api.authorization.v1.ExtraValue", "k8s.io.api.certificates.v1.ExtraValue");

    private ProtoJson() {
    }

    /** The message as a JSON object (never null). */
    static ObjectNode object(Message message) {
        ObjectNode out = NODES.objectNode();
        fields(message, out);
        return out;
    }

    private static void fields(Message message, ObjectNode out) {
        Descriptor type = message.getDescriptorForType();
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            if (INLINE.contains(type.getFullName() + "." + field.getName()) && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                fields((Message) entry.getValue(), out);
                continue;
            }
            JsonNode value = field.isMapField() ? map(entry.getValue())
                    : field.isRepeated() ? list(field, (List<?>) entry.getValue())
                    : single(field, entry.getValue());
            if (value == null) {
                continue;
            }
            if (isZero(value) && !keepsZero(type, field.getName(), value)) {
                continue;
            }
            out.set(field.getName(), value);
        }
    }

    private static boolean isZero(JsonNode value) {
        return value.isTextual() && value.textValue().isEmpty() || value.isNumber() && value.asDouble() == 0
                || value.isBoolean() && !value.booleanValue();
    }

    private static boolean keepsZero(Descriptor type, String field, JsonNode value) {
        String goType = GoFieldTypes.of(structKey(type.getFullName()), field);
        if (goType == null) {
            return !value.isTextual();
        }
        return goType.startsWith("*");
    }

    /** "k8s.io.api.apps.v1.DeploymentSpec" → "apps/v1.DeploymentSpec"; meta types → "meta/v1.X". */
    private static String structKey(String fullName) {
        int last = fullName.lastIndexOf('.');
        String pkg = fullName.substring(0, last);
        int version = pkg.lastIndexOf('.');
        String group = pkg.substring(pkg.lastIndexOf('.', version - 1) + 1, version);
        return group + "/" + pkg.substring(version + 1) + fullName.substring(last);
    }

    private static JsonNode map(Object entries) {
        ObjectNode out = NODES.objectNode();
        for (Object item : (List<?>) entries) {
            Message entry = (Message) item;
            Descriptor type = entry.getDescriptorForType();
            FieldDescriptor key = type.findFieldByName("key");
            FieldDescriptor value = type.findFieldByName("value");
            JsonNode converted = single(value, entry.getField(value));
            out.set(String.valueOf(entry.getField(key)), converted == null ? NODES.nullNode() : converted);
        }
        return out;
    }

    private static JsonNode list(FieldDescriptor field, List<?> values) {
        ArrayNode out = NODES.arrayNode();
        for (Object value : values) {
            JsonNode converted = single(field, value);
            out.add(converted == null ? NODES.nullNode() : converted);
        }
        return out;
    }

    private static JsonNode single(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.textNode((String) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.textNode(value.toString());
            case MESSAGE -> message((Message) value);
        };
    }

    /** A nested message; null where Go marshals nothing (a zero Time). */
    private static JsonNode message(Message message) {
        String name = message.getDescriptorForType().getFullName();
        switch (name) {
            case META + "Time", META + "MicroTime" -> {
                long seconds = longField(message, "seconds");
                long nanos = longField(message, "nanos");
                if (seconds == 0 && nanos == 0) {
                    return null;
                }
                Instant at = Instant.ofEpochSecond(seconds, nanos);
                return NODES.textNode(name.endsWith("MicroTime") ? MICRO.format(at) : DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            }
            case META + "Duration" -> {
                return NODES.textNode(GoDuration.format(longField(message, "duration")));
            }
            case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension",
                 "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON" -> {
                return embeddedJson(message);
            }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                return NODES.textNode(stringField(message, "string"));
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                return longField(message, "type") == 1 ? NODES.textNode(stringField(message, "strVal"))
                        : NODES.numberNode(longField(message, "intVal"));
            }
            default -> {
                if (STRING_LISTS.contains(name)) {
                    FieldDescriptor items = message.getDescriptorForType().getFields().get(0);
                    return list(items, (List<?>) message.getField(items));
                }
                return object(message);
            }
        }
    }

    private static JsonNode embeddedJson(Message message) {
        FieldDescriptor raw = message.getDescriptorForType().getFields().get(0);
        byte[] bytes = ((ByteString) message.getField(raw)).toByteArray();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ProtobufException("embedded " + message.getDescriptorForType().getName() + " is not JSON: " + e.getMessage());
        }
    }

    private static long longField(Message message, String name) {
        Object value = message.getField(message.getDescriptorForType().findFieldByName(name));
        return ((Number) value).longValue();
    }

    private static String stringField(Message message, String name) {
        return (String) message.getField(message.getDescriptorForType().findFieldByName(name));
    }
}
