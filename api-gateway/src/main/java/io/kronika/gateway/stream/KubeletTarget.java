package io.kronika.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.http.ApiRequest;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a pod's log, exec, attach and portforward requests go: the {@link KubeletEndpoint} of the pod's node, and
 * the kubelet's path for the subresource, as kube-apiserver proxies them:
 * {@code /containerLogs/{ns}/{pod}/{container}}, {@code /exec/…}, {@code /attach/…}, {@code /portForward/{ns}/{pod}}.
 */
record KubeletTarget(String host, int port, boolean tls, String pathAndQuery) {
    private static final Set<String> LOG_PARAMS = Set.of("follow", "previous", "sinceSeconds", "sinceTime", "timestamps",
            "tailLines", "limitBytes", "insecureSkipTLSVerifyBackend", "stream");

    static KubeletTarget resolve(ClusterView view, ApiRequest request, JsonNode pod) {
        String name = request.name();
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            throw ApiException.badRequest("pod " + name + " does not have a host assigned");
        }
        StoredObject node = view.get(ObjectKeys.of("", "Node", "", nodeName))
                .orElseThrow(() -> ApiException.badRequest("the node " + nodeName + " of pod " + name + " is not registered"));
        KubeletEndpoint endpoint = KubeletEndpoint.of(Json.object(node.json()))
                .orElseThrow(() -> ApiException.badRequest("node " + nodeName + " has no address to reach its kubelet"));
        String subresource = request.subresource();
        String base = "/" + encode(request.namespace()) + "/" + encode(name);
        String path = switch (subresource) {
            case "log" -> "/containerLogs" + base + "/" + encode(container(request, pod));
            case "exec" -> "/exec" + base + "/" + encode(container(request, pod));
            case "attach" -> "/attach" + base + "/" + encode(container(request, pod));
            case "portforward" -> "/portForward" + base;
            default -> throw ApiException.badRequest("no kubelet endpoint for " + subresource);
        };
        return new KubeletTarget(endpoint.host(), endpoint.port(), endpoint.tls(), path + query(request, subresource.equals("log")));
    }

    /** The container named in the query, or the only one; 400 when it is ambiguous or unknown, as kube-apiserver. */
    private static String container(ApiRequest request, JsonNode pod) {
        List<String> names = new ArrayList<>();
        for (String field : new String[]{"containers", "initContainers", "ephemeralContainers"}) {
            pod.path("spec").path(field).forEach(c -> names.add(c.path("name").asText()));
        }
        String container = request.param("container");
        if (container == null) {
            String annotated = pod.path("metadata").path("annotations").path("kubectl.kubernetes.io/default-container").asText("");
            if (!annotated.isEmpty()) {
                return annotated;
            }
            List<String> main = new ArrayList<>();
            pod.path("spec").path("containers").forEach(c -> main.add(c.path("name").asText()));
            if (main.size() == 1) {
                return main.get(0);
            }
            throw ApiException.badRequest("a container name must be specified for pod " + request.name() + ", choose one of: " + main);
        }
        if (!names.contains(container)) {
            throw ApiException.badRequest("container " + container + " is not valid for pod " + request.name());
        }
        return container;
    }

    private static String query(ApiRequest request, boolean logs) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> entry : request.queryEntries()) {
            if (entry.getKey().equals("container") || logs && !LOG_PARAMS.contains(entry.getKey())) {
                continue;
            }
            parts.add(encode(entry.getKey()) + "=" + encode(entry.getValue()));
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
