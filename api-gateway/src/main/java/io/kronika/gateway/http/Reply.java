package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.api.Status;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A complete (non-streaming) answer: status code, content type, body, and warnings for the Warning header. */
public record Reply(int code, String contentType, byte[] body, List<String> warnings) {
    public static final String JSON = "application/json";

    public Reply(int code, String contentType, byte[] body) {
        this(code, contentType, body, List.of());
    }

    public static Reply json(int code, JsonNode body) {
        return new Reply(code, JSON, Json.bytes(body));
    }

    /** JSON the caller assembled as text (large lists are spliced from stored objects without re-parsing). */
    public static Reply rawJson(int code, String body) {
        return new Reply(code, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply text(int code, String body) {
        return new Reply(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply error(ApiException e) {
        return json(e.code(), Status.failure(e));
    }

    public Reply withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        return new Reply(code, contentType, body, java.util.stream.Stream.concat(warnings.stream(), more.stream()).toList());
    }

    /** One {@code Warning} header value per warning, in RFC 7234 form as kube-apiserver writes them. */
    public List<String> warningHeaders() {
        return warnings.stream().map(w -> "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList();
    }
}
