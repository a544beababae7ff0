package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.runtime.RegistryAuth;
import io.kronika.kubelet.util.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** Image references: the registry they name, the pull policy that applies, credentials from pull secrets. */
public final class ImageRefs {
    public static final String DOCKER_HUB = "docker.io";

    private ImageRefs() {
    }

    /** The registry host of an image reference (docker.io when the first component is not a host). */
    public static String registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = image.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return first;
        }
        return DOCKER_HUB;
    }

    /** Whether the reference names its registry explicitly (host/…). */
    public static boolean namesRegistry(String image) {
        int slash = image.indexOf('/');
        return slash > 0 && !registry(image).equals(DOCKER_HUB);
    }

    /** The tag, or "latest" when there is none (a digest counts as a tag). */
    public static String tag(String image) {
        if (image.contains("@")) {
            return image.substring(image.indexOf('@') + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    /** The container's imagePullPolicy, defaulted as the API server does. */
    public static String pullPolicy(JsonNode container) {
        String policy = Json.text(container, "imagePullPolicy");
        if (policy != null && !policy.isEmpty()) {
            return policy;
        }
        String image = Json.textOr(container, "image", "");
        return "latest".equals(tag(image)) ? "Always" : "IfNotPresent";
    }

    /**
     * Credentials for the image's registry from a {@code kubernetes.io/dockerconfigjson} (or legacy
     * {@code kubernetes.io/dockercfg}) secret, or null when it has none.
     */
    public static RegistryAuth authFromSecret(String image, JsonNode secret) {
        String type = Json.textOr(secret, "type", "");
        String encoded;
        JsonNode auths;
        if ("kubernetes.io/dockerconfigjson".equals(type)) {
            encoded = Json.text(secret, "data", ".dockerconfigjson");
            if (encoded == null) {
                return null;
            }
            auths = Json.at(Json.parse(decode(encoded)), "auths");
        } else if ("kubernetes.io/dockercfg".equals(type)) {
            encoded = Json.text(secret, "data", ".dockercfg");
            if (encoded == null) {
                return null;
            }
            auths = Json.parse(decode(encoded));
        } else {
            return null;
        }
        if (auths == null || !auths.isObject()) {
            return null;
        }
        String registry = registry(image);
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (registry.equals(hostOf(entry.getKey()))) {
                JsonNode creds = entry.getValue();
                String username = Json.text(creds, "username");
                String password = Json.text(creds, "password");
                String auth = Json.text(creds, "auth");
                if ((username == null || password == null) && auth != null) {
                    String[] parts = decode(auth).split(":", 2);
                    username = parts[0];
                    password = parts.length > 1 ? parts[1] : "";
                }
                return new RegistryAuth(entry.getKey(), username, password, auth);
            }
        }
        return null;
    }

    private static String hostOf(String key) {
        String host = key.replaceFirst("^https?://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? DOCKER_HUB : host;
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
    }
}
