package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The few calls the history tools make to a cluster's Kubernetes API: discovery, GET, POST. */
final class ApiClient {
    private final String apiUrl;
    private final HttpClient http;
    private final String token;

    ApiClient(String apiUrl) {
        this(apiUrl, null);
    }

    /** {@code kubeconfig} (nullable): the CA to trust and the bearer token to send, as {@code up} writes them. */
    ApiClient(String apiUrl, java.nio.file.Path kubeconfig) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        KubeconfigCredentials credentials = KubeconfigCredentials.read(kubeconfig);
        this.http = credentials.httpClient();
        this.token = credentials.token();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(30));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
    /** A resource the API serves: its path segments and whether it lives in namespaces. */
    public record Resource(String group, String version, String kind, String plural, boolean namespaced, boolean listable) {
        String base() {
            return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        }

        String collectionPath(String namespace) {
            return base() + (namespaced ? "/namespaces/" + enc(namespace) : "") + "/" + plural;
        }

        String objectPath(io.kronika.schemas.ObjectRef r) {
            return base() + (namespaced ? "/namespaces/" + enc(r.getNamespace()) : "") + "/" + plural + "/" + enc(r.getName());
        }
    }

    /** group/kind → the resource serving it, from the API's discovery documents. */
    Map<String, Resource> discover() {
        Map<String, Resource> out = new HashMap<>();
        JsonNode core = get("/api");
        if (core != null) {
            for (JsonNode v : core.path("versions")) {
                addResources(out, "", v.asText());
            }
        }
        JsonNode groups = get("/apis");
        if (groups != null) {
            for (JsonNode g : groups.path("groups")) {
                String version = g.path("preferredVersion").path("version").asText(g.path("versions").path(0).path("version").asText());
                addResources(out, g.path("name").asText(), version);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("The API at " + apiUrl + " lists no resources");
        }
        return out;
    }

    private void addResources(Map<String, Resource> out, String group, String version) {
        JsonNode list = get(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (list == null) {
            return;
        }
        for (JsonNode r : list.path("resources")) {
            String name = r.path("name").asText();
            if (name.contains("/")) {
                continue;
            }
            boolean listable = false;
            boolean gettable = false;
            for (JsonNode verb : r.path("verbs")) {
                listable |= verb.asText().equals("list");
                gettable |= verb.asText().equals("get");
            }
            if (!gettable || Verify.SYNTHETIC_GROUPS.contains(group)) {
                continue;
            }
            out.putIfAbsent(group + "/" + r.path("kind").asText(), new Resource(group, version, r.path("kind").asText(), name,
                    r.path("namespaced").asBoolean(), listable));
        }
    }

    /** The JSON at {@code path}, or null on 404. */
    JsonNode get(String path) {
        HttpRequest request = request(path).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + apiUrl + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return Jsons.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + apiUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The HTTP status and body of a POST of {@code json} to {@code path}. */
    HttpResponse<String> post(String path, String json) {
        // A create waits for the sequencer and the views: generous, as on a loaded machine.
        HttpRequest request = request(path).timeout(Duration.ofSeconds(90)).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + apiUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String url() {
        return apiUrl;
    }
}
