package io.kronika.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP exchanges of {@link HttpSchemaRegistryClient}: JSON in and out in the Confluent content type, retried
 * with exponential back-off on I/O errors and 5xx answers, other failures turned into
 * {@link SchemaRegistryException}s carrying the registry's {@code error_code} and message.
 */
final class RegistryHttp {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);

    private final String baseUrl;
    private final HttpClient http;
    private final ObjectMapper json;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration requestTimeout;

    RegistryHttp(String baseUrl, ObjectMapper json, int maxAttempts, Duration initialBackoff, Duration requestTimeout) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        URI uri = URI.create(baseUrl);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an absolute http(s) URL: " + baseUrl);
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.json = json;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** A path segment: the subject names may hold any character. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return exchange("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return exchange("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return exchange("PUT", path, body);
    }

    JsonNode delete(String path) {
        return exchange("DELETE", path, null);
    }

    private JsonNode exchange(String method, String path, Object body) {
        HttpRequest request = request(method, path, body);
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            String failure;
            SchemaRegistryException lastError;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(method, path, response.body());
                }
                lastError = error(method, path, status, response.body());
                if (status < 500) {
                    throw lastError;
                }
                failure = "HTTP " + status;
            } catch (IOException e) {
                failure = e.toString();
                lastError = new SchemaRegistryException(HttpSchemaRegistryClient.NO_RESPONSE,
                        method + " " + baseUrl + path + ": no answer from the schema registry after " + attempt
                                + " attempt(s): " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(HttpSchemaRegistryClient.NO_RESPONSE,
                        method + " " + baseUrl + path + ": interrupted", e);
            }
            if (attempt >= maxAttempts) {
                throw lastError;
            }
            LOG.warn("{} {}{} failed ({}), attempt {} of {}; retrying in {} ms",
                    method, baseUrl, path, failure, attempt, maxAttempts, backoff.toMillis());
            sleep(backoff, method, path);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private HttpRequest request(String method, String path, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            return builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot encode the request body of " + method + " " + path, e);
        }
    }

    private JsonNode parse(String method, String path, String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "null" : body);
        } catch (IOException e) {
            throw new SchemaRegistryException(HttpSchemaRegistryClient.BAD_ANSWER,
                    method + " " + baseUrl + path + ": the answer is not JSON: " + abbreviate(body), e);
        }
    }

    /** Confluent's error body {"error_code": N, "message": "…"}; a body without one gives the HTTP status as code. */
    private SchemaRegistryException error(String method, String path, int status, String body) {
        int code = status;
        String message = abbreviate(body);
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            if (node != null && node.isObject()) {
                if (node.path("error_code").canConvertToInt()) {
                    code = node.get("error_code").asInt();
                }
                if (node.hasNonNull("message")) {
                    message = node.get("message").asText();
                }
            }
        } catch (IOException e) {
            // not JSON: keep the status and the text
        }
        return new SchemaRegistryException(code, method + " " + baseUrl + path + " answered HTTP " + status
                + " (error code " + code + "): " + message);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    private static void sleep(Duration backoff, String method, String path) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(HttpSchemaRegistryClient.NO_RESPONSE, method + " " + path + ": interrupted", e);
        }
    }
}
