package io.kronika.gateway.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kronika.gateway.api.Json;

import java.util.Arrays;

/**
 * Request bodies in {@code application/vnd.kubernetes.protobuf}, as kubectl's generated clients send built-in
 * kinds: the magic {@code k8s\0}, then a {@code runtime.Unknown} whose typeMeta names the kind and whose raw bytes
 * are that kind's message. Decoded into the JSON object the gateway handles everywhere else.
 */
public final class KubernetesProtobuf {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    private KubernetesProtobuf() {
    }

    /** The object in {@code body}, with apiVersion and kind first; ProtobufException when it cannot be read. */
    public static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new ProtobufException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        ProtoTypes types = ProtoTypes.get();
        Message unknown = parse(types.message(ProtoTypes.UNKNOWN), ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
        Descriptor unknownType = unknown.getDescriptorForType();
        Message typeMeta = (Message) unknown.getField(unknownType.findFieldByName("typeMeta"));
        String apiVersion = (String) typeMeta.getField(typeMeta.getDescriptorForType().findFieldByName("apiVersion"));
        String kind = (String) typeMeta.getField(typeMeta.getDescriptorForType().findFieldByName("kind"));
        String encoding = (String) unknown.getField(unknownType.findFieldByName("contentEncoding"));
        if (!encoding.isEmpty()) {
            throw new ProtobufException("unsupported content encoding " + encoding);
        }
        if (kind.isEmpty()) {
            throw new ProtobufException("Object 'Kind' is missing in protobuf message");
        }
        Descriptor type = types.kind(apiVersion, kind)
                .orElseThrow(() -> new ProtobufException("no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
        Message object = parse(type, (ByteString) unknown.getField(unknownType.findFieldByName("raw")));
        ObjectNode out = Json.newObject();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        out.setAll(ProtoJson.object(object));
        return out;
    }

    private static Message parse(Descriptor type, ByteString bytes) {
        try {
            return DynamicMessage.parseFrom(type, bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufException("unable to decode " + type.getName() + ": " + e.getMessage());
        }
    }
}
