package io.kronika.gateway.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.protobuf.KubernetesProtobuf;
import io.kronika.gateway.protobuf.ProtobufException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decoding request bodies: JSON, YAML when the Content-Type says so, and Kubernetes protobuf for built-in kinds
 * (kubectl's generated clients send it); anything else is 415.
 */
public final class Bodies {
    public static final String ACCEPTED = "application/json, application/yaml, application/vnd.kubernetes.protobuf";
    /** kube-apiserver's limit on request bodies (3 MiB). */
    public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private Bodies() {
    }

    /** The media type of a Content-Type header, lower case, parameters dropped; JSON when absent. */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/json";
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body as a JSON object, for create and update. */
    public static ObjectNode object(ApiRequest request) {
        String media = mediaType(request.header("Content-Type"));
        if (media.endsWith("patch+json") || media.equals("application/apply-patch+yaml")) {
            throw ApiErrors.unsupportedMediaType(media, ACCEPTED); // a patch type is not an object
        }
        JsonNode node = tree(request);
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be a single object, not " + describe(node));
        }
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw ApiException.badRequest("metadata: must be an object, not " + describe(metadata));
        }
        if (metadata != null && metadata.isNull()) {
            object.remove("metadata");
        }
        return object;
    }

    /** The body as any JSON value (for patches); JSON or YAML by Content-Type. */
    public static JsonNode tree(ApiRequest request) {
        String media = mediaType(request.header("Content-Type"));
        if (media.equals(KubernetesProtobuf.MEDIA_TYPE)) {
            if (request.type() != null && request.type().custom()) {
                throw ApiErrors.unsupportedMediaType(media, "application/json, application/yaml");
            }
            if (request.body().length == 0) {
                throw ApiException.badRequest("the request has no body; an object is required");
            }
            try {
                return KubernetesProtobuf.decode(request.body());
            } catch (ProtobufException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        boolean yaml = switch (media) {
            case "application/json", "application/json-patch+json", "application/merge-patch+json",
                 "application/strategic-merge-patch+json" -> false;
            case "application/yaml", "application/x-yaml", "text/yaml", "application/apply-patch+yaml" -> true;
            default -> throw ApiErrors.unsupportedMediaType(media, ACCEPTED);
        };
        return parse(request.body(), yaml);
    }

    public static JsonNode parse(byte[] body, boolean yaml) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request has no body; an object is required");
        }
        if (!validUtf8(body)) {
            throw ApiException.badRequest("the request body is not valid UTF-8 (JSON and YAML bodies must be, RFC 8259)");
        }
        try {
            JsonNode node = yaml ? Json.YAML.readTree(body) : Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request has no body; an object is required");
            }
            return node;
        } catch (JacksonException e) {
            String problem = e.getOriginalMessage();
            if (e.getLocation() != null) {
                problem += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            }
            throw ApiException.badRequest((yaml ? "error converting YAML to JSON: " : "couldn't get version/kind; json parse error: ") + problem);
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    private static boolean validUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
