package io.kronika.gateway.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A resource path of the Kubernetes API, split the way kube-apiserver's RequestInfo splits it:
 * {@code /api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]} and the same under
 * {@code /apis/{group}/{version}}. {@code namespace} is null when the path names none.
 */
public record ApiPath(String group, String version, boolean watchPrefix, String namespace, String resource, String name,
                      String subresource) {
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** The resource path in {@code path}, or empty when it is not one (discovery, health, unknown). */
    public static Optional<ApiPath> parse(String path) {
        List<String> parts = segments(path);
        int at;
        String group;
        String version;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            at = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            at = 3;
        } else {
            return Optional.empty();
        }
        List<String> rest = parts.subList(at, parts.size());
        boolean watch = false;
        if (!rest.isEmpty() && rest.get(0).equals("watch")) {
            watch = true;
            rest = rest.subList(1, rest.size());
        }
        String namespace = null;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")
                && !(rest.size() == 3 && NAMESPACE_SUBRESOURCES.contains(rest.get(2)))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            return Optional.empty();
        }
        String name = rest.size() >= 2 ? rest.get(1) : null;
        String subresource = rest.size() == 3 ? rest.get(2) : null;
        return Optional.of(new ApiPath(group, version, watch, namespace, rest.get(0), name, subresource));
    }

    private static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return parts;
    }
}
