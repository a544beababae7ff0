package io.kronika.kubelet.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Endpoints from the view: the Service's Endpoints object (core/v1, written by the endpoints controller) when there
 * is one; otherwise derived here from the pods its selector matches (Ready, with a pod IP, not terminating), resolving
 * a named targetPort against the pods' containerPorts as the endpoints controller does.
 */
public final class ViewEndpointSource implements EndpointSource {
    private final ClusterView view;

    public ViewEndpointSource(ClusterView view) {
        this.view = view;
    }

    @Override
    public List<InetSocketAddress> backends(JsonNode service, JsonNode servicePort) {
        Optional<JsonNode> endpoints = endpointsObject(service);
        List<InetSocketAddress> result = new ArrayList<>();
        if (endpoints.isPresent()) {
            String portName = servicePort.path("name").asText("");
            for (JsonNode subset : endpoints.get().path("subsets")) {
                int port = -1;
                for (JsonNode p : subset.path("ports")) {
                    if (p.path("name").asText("").equals(portName) && p.path("protocol").asText("TCP").equals("TCP")) {
                        port = p.path("port").asInt();
                    }
                }
                if (port <= 0) {
                    continue;
                }
                for (JsonNode address : subset.path("addresses")) {
                    result.add(InetSocketAddress.createUnresolved(address.path("ip").asText(), port));
                }
            }
            return result;
        }
        for (JsonNode pod : selectedReadyPods(service)) {
            int port = targetPort(servicePort, pod);
            if (port > 0) {
                result.add(InetSocketAddress.createUnresolved(pod.path("status").path("podIP").asText(), port));
            }
        }
        return result;
    }

    @Override
    public List<String> readyAddresses(JsonNode service) {
        Set<String> result = new LinkedHashSet<>();
        Optional<JsonNode> endpoints = endpointsObject(service);
        if (endpoints.isPresent()) {
            for (JsonNode subset : endpoints.get().path("subsets")) {
                for (JsonNode address : subset.path("addresses")) {
                    result.add(address.path("ip").asText());
                }
            }
        } else {
            for (JsonNode pod : selectedReadyPods(service)) {
                result.add(pod.path("status").path("podIP").asText());
            }
        }
        return new ArrayList<>(result);
    }

    private Optional<JsonNode> endpointsObject(JsonNode service) {
        String ns = service.path("metadata").path("namespace").asText();
        String name = service.path("metadata").path("name").asText();
        return view.get(ObjectKeys.of("", "Endpoints", ns, name)).map(o -> Json.parse(o.json()));
    }

    /** The pod's port a Service port sends to: a number as is, a name looked up in the containers' ports. */
    static int targetPort(JsonNode servicePort, JsonNode pod) {
        JsonNode target = servicePort.path("targetPort");
        if (target.isMissingNode() || target.isNull()) {
            return servicePort.path("port").asInt();
        }
        if (target.isNumber()) {
            return target.asInt();
        }
        String text = target.asText();
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
            return Integer.parseInt(text);
        }
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (text.equals(port.path("name").asText()) && port.path("protocol").asText("TCP").equals("TCP")) {
                    return port.path("containerPort").asInt();
                }
            }
        }
        return -1;
    }

    private List<JsonNode> selectedReadyPods(JsonNode service) {
        Map<String, String> selector = Json.stringMap(service, "spec", "selector");
        if (selector.isEmpty()) {
            return List.of();  // no selector: endpoints are managed by hand (an Endpoints object) or there are none
        }
        String ns = service.path("metadata").path("namespace").asText();
        List<JsonNode> pods = new ArrayList<>();
        for (StoredObject stored : view.list(ObjectKeys.namespacePrefix("", "Pod", ns), view.appliedRevision(), o -> true, 0, null).items()) {
            JsonNode pod = Json.parse(stored.json());
            Map<String, String> labels = Json.stringMap(pod, "metadata", "labels");
            if (!selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                continue;
            }
            if (!pod.path("metadata").path("deletionTimestamp").isMissingNode() && !pod.path("metadata").path("deletionTimestamp").isNull()) {
                continue;
            }
            String ip = pod.path("status").path("podIP").asText("");
            if (ip.isEmpty() || !ready(pod)) {
                continue;
            }
            pods.add(pod);
        }
        return pods;
    }

    private static boolean ready(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return "True".equals(condition.path("status").asText());
            }
        }
        return false;
    }
}
