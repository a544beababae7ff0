package io.kronika.kubelet.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.proxy.EndpointSource;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The routing table of the ingress proxy, built from the view: the networking.k8s.io/v1 Ingresses of the class
 * {@value #CLASS} (by spec.ingressClassName, the legacy kubernetes.io/ingress.class annotation, or no class when the
 * IngressClass {@value #CLASS} is the default one), each rule's paths with their backends' ready endpoints.
 * Matching follows the Ingress spec: exact host or a one-label wildcard, then the longest path; Exact beats Prefix at
 * equal length; Prefix matches whole path elements; ImplementationSpecific is treated as Prefix.
 */
public final class IngressRoutes {
    public static final String CLASS = "kronika";
    public static final String CONTROLLER = "kronika.io/ingress";

    /** One path of one rule (host null: any host). */
    public record Route(String ingress, String host, String path, boolean exact, List<InetSocketAddress> backends, AtomicLong next) {
        boolean matchesHost(String requestHost) {
            if (host == null || host.isEmpty()) {
                return true;
            }
            if (host.startsWith("*.")) {
                int dot = requestHost.indexOf('.');
                return dot > 0 && requestHost.substring(dot).equals(host.substring(1));
            }
            return host.equalsIgnoreCase(requestHost);
        }

        boolean matchesPath(String requestPath) {
            if (exact) {
                return requestPath.equals(path);
            }
            if (path.equals("/") || path.isEmpty()) {
                return true;
            }
            String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
        }

        /** The next backend, round-robin; empty when there is none ready. */
        public Optional<InetSocketAddress> pick() {
            if (backends.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(backends.get((int) Math.floorMod(next.getAndIncrement(), (long) backends.size())));
        }
    }

    private final List<Route> routes;

    private IngressRoutes(List<Route> routes) {
        this.routes = routes;
    }

    public static IngressRoutes empty() {
        return new IngressRoutes(List.of());
    }

    public List<Route> routes() {
        return routes;
    }

    /** The route a request takes; host without port. Hosted rules win over host-less ones. */
    public Optional<Route> match(String host, String path) {
        String h = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        Route best = null;
        for (Route route : routes) {
            if (!route.matchesHost(h) || !route.matchesPath(path)) {
                continue;
            }
            if (best == null || better(route, best)) {
                best = route;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean better(Route a, Route b) {
        boolean aHost = a.host() != null && !a.host().isEmpty();
        boolean bHost = b.host() != null && !b.host().isEmpty();
        if (aHost != bHost) {
            return aHost;
        }
        if (a.path().length() != b.path().length()) {
            return a.path().length() > b.path().length();
        }
        return a.exact() && !b.exact();
    }

    /** Builds the table from the view as of now. */
    public static IngressRoutes build(ClusterView view, EndpointSource endpoints) {
        long revision = view.appliedRevision();
        boolean defaultClass = view.get(ObjectKeys.of("networking.k8s.io", "IngressClass", "", CLASS))
                .map(o -> "true".equals(Json.stringMap(Json.parse(o.json()), "metadata", "annotations").get("ingressclass.kubernetes.io/is-default-class")))
                .orElse(false);
        List<Route> routes = new ArrayList<>();
        for (StoredObject stored : view.list(ObjectKeys.kindPrefix("networking.k8s.io", "Ingress"), revision, o -> true, 0, null).items()) {
            JsonNode ingress = Json.parse(stored.json());
            String cls = ingress.path("spec").path("ingressClassName").asText("");
            if (cls.isEmpty()) {
                cls = Json.stringMap(ingress, "metadata", "annotations").getOrDefault("kubernetes.io/ingress.class", "");
            }
            if (!(cls.equals(CLASS) || (cls.isEmpty() && defaultClass))) {
                continue;
            }
            String ns = ingress.path("metadata").path("namespace").asText();
            String name = ns + "/" + ingress.path("metadata").path("name").asText();
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                String host = rule.path("host").asText("");
                for (JsonNode p : rule.path("http").path("paths")) {
                    String pathType = p.path("pathType").asText("Prefix");
                    routes.add(new Route(name, host, p.path("path").asText("/"), pathType.equals("Exact"),
                            backends(view, endpoints, ns, p.path("backend")), new AtomicLong()));
                }
            }
            JsonNode defaultBackend = ingress.path("spec").path("defaultBackend");
            if (!defaultBackend.isMissingNode() && !defaultBackend.isNull()) {
                routes.add(new Route(name, "", "", false, backends(view, endpoints, ns, defaultBackend), new AtomicLong()));
            }
        }
        routes.sort(Comparator.comparing(Route::ingress));
        return new IngressRoutes(List.copyOf(routes));
    }

    private static List<InetSocketAddress> backends(ClusterView view, EndpointSource endpoints, String ns, JsonNode backend) {
        JsonNode svcRef = backend.path("service");
        String serviceName = svcRef.path("name").asText("");
        if (serviceName.isEmpty()) {
            return List.of();  // resource backends are not supported
        }
        Optional<JsonNode> service = view.get(ObjectKeys.of("", "Service", ns, serviceName)).map(o -> (JsonNode) Json.parse(o.json()));
        if (service.isEmpty()) {
            return List.of();
        }
        JsonNode wanted = svcRef.path("port");
        for (JsonNode port : service.get().path("spec").path("ports")) {
            boolean byNumber = wanted.has("number") && port.path("port").asInt() == wanted.path("number").asInt();
            boolean byName = wanted.has("name") && port.path("name").asText("").equals(wanted.path("name").asText());
            if (byNumber || byName) {
                return endpoints.backends(service.get(), port);
            }
        }
        return List.of();
    }
}
