package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Labels;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the Endpoints and EndpointSlice controllers share: which pods a Service selects, whether each is ready, and
 * the ports of each pod (a targetPort by number, or by name looked up in the pod's container ports).
 */
public final class ServiceEndpoints {
    private static final String SERVICE_PREFIX = ObjectKeys.kindPrefix("", "Service");
    private static final String POD_PREFIX = ObjectKeys.kindPrefix("", "Pod");

    private ServiceEndpoints() {
    }

    /** One port of one pod: the service port's name and protocol, the pod's port number. */
    public record Port(String name, int port, String protocol) {
        public ObjectNode toJson() {
            ObjectNode p = Json.object();
            if (name != null && !name.isEmpty()) {
                p.put("name", name);
            }
            p.put("port", port);
            p.put("protocol", protocol);
            return p;
        }
    }

    /** A selected pod with an IP: whether it counts as ready, and its resolved ports (in the service's port order). */
    public record Member(CachedObject pod, String ip, boolean ready, boolean terminating, List<Port> ports) {
    }

    /** The label selector of a Service, empty when it has none (then no controller manages its endpoints). */
    public static Map<String, String> selector(JsonNode service) {
        return Json.stringMap(Json.at(service, "spec", "selector"));
    }

    /**
     * The pods of {@code podsInNamespace} that {@code service} selects and that have an IP and have not finished,
     * each with its readiness and ports; ports that do not resolve (a name no container declares) are left out.
     */
    public static List<Member> members(JsonNode service, List<CachedObject> podsInNamespace) {
        Map<String, String> selector = selector(service);
        boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        List<Member> out = new ArrayList<>();
        for (CachedObject pod : podsInNamespace) {
            JsonNode p = pod.object();
            String ip = Json.text(p, "status", "podIP");
            String phase = Pods.phase(p);
            if (ip == null || ip.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)
                    || !Labels.matchesMap(selector, Json.labels(p))) {
                continue;
            }
            boolean terminating = Json.isTerminating(p);
            if (terminating && !publishNotReady) {
                continue;
            }
            out.add(new Member(pod, ip, publishNotReady || Pods.isReady(p) && !terminating, terminating, ports(service, p)));
        }
        return out;
    }

    static List<Port> ports(JsonNode service, JsonNode pod) {
        List<Port> out = new ArrayList<>();
        JsonNode ports = Json.at(service, "spec", "ports");
        if (ports == null || !ports.isArray()) {
            return out;
        }
        for (JsonNode sp : ports) {
            String protocol = Json.text(sp, "protocol") == null ? "TCP" : Json.text(sp, "protocol");
            JsonNode target = sp.get("targetPort");
            Integer number = null;
            if (target == null || target.isNull()) {
                number = sp.path("port").asInt();
            } else if (target.isInt() || target.isTextual() && target.asText().matches("\\d+")) {
                number = target.asInt();
            } else {
                number = namedPort(pod, target.asText(), protocol);
            }
            if (number != null && number > 0) {
                out.add(new Port(Json.text(sp, "name"), number, protocol));
            }
        }
        return out;
    }

    private static Integer namedPort(JsonNode pod, String name, String protocol) {
        JsonNode containers = Json.at(pod, "spec", "containers");
        if (containers != null && containers.isArray()) {
            for (JsonNode c : containers) {
                for (JsonNode cp : c.path("ports")) {
                    String proto = Json.text(cp, "protocol") == null ? "TCP" : Json.text(cp, "protocol");
                    if (name.equals(Json.text(cp, "name")) && proto.equals(protocol)) {
                        return cp.path("containerPort").asInt();
                    }
                }
            }
        }
        return null;
    }

    /** The targetRef of an address or endpoint: the pod. */
    public static ObjectNode targetRef(CachedObject pod) {
        ObjectNode ref = Json.object();
        ref.put("kind", "Pod");
        ref.put("namespace", pod.namespace());
        ref.put("name", pod.name());
        ref.put("uid", pod.uid());
        return ref;
    }

    /**
     * For a change of a Service, enqueues it; for a change of a pod, every Service of its namespace that selects it
     * before or after the change; for a change of an object of {@code ownedKind} (group/kind), its Service.
     */
    public static void enqueue(ClusterCache cache, ClusterCache.Change change, String ownedGroup, String ownedKind,
                               Consumer<String> enqueue) {
        String key = change.key();
        if (key.startsWith(SERVICE_PREFIX)) {
            enqueue.accept(key);
        } else if (key.startsWith(POD_PREFIX)) {
            if (cache == null) {
                return;
            }
            for (CachedObject svc : cache.listKind("", "Service", change.latest().namespace())) {
                Map<String, String> selector = selector(svc.object());
                if (change.previous() != null && Labels.matchesMap(selector, Json.labels(change.previous().object()))
                        || change.current() != null && Labels.matchesMap(selector, Json.labels(change.current().object()))) {
                    enqueue.accept(svc.key());
                }
            }
        } else if (key.startsWith(ObjectKeys.kindPrefix(ownedGroup, ownedKind))) {
            String service = "Endpoints".equals(ownedKind) ? change.latest().name()
                    : Json.labels(change.latest().object()).get(EndpointSliceController.SERVICE_NAME_LABEL);
            if (service != null) {
                enqueue.accept(ObjectKeys.of("", "Service", change.latest().namespace(), service));
            }
        }
    }

    /**
     * The {@link Controller} plumbing the Endpoints and EndpointSlice controllers share: keyed by Service, enqueued
     * by {@link #enqueue} for changes of Services, pods and the owned kind, and reconciled from the Service (null
     * when gone) and the pods of its namespace (empty when the Service is gone).
     */
    public abstract static class ServiceController implements Controller {
        private final String ownedGroup;
        private final String ownedKind;
        private volatile ClusterCache cache;

        protected ServiceController(String ownedGroup, String ownedKind) {
            this.ownedGroup = ownedGroup;
            this.ownedKind = ownedKind;
        }

        @Override
        public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
            ServiceEndpoints.enqueue(cache, change, ownedGroup, ownedKind, enqueue);
        }

        @Override
        public Collection<String> keys(ClusterCache cache) {
            this.cache = cache;
            return cache.listKind("", "Service").stream().map(CachedObject::key).toList();
        }

        @Override
        public Reconciled reconcile(String key, ControllerContext context) {
            this.cache = context.cache();
            ObjectRef ref = ObjectKeys.parse(key);
            CachedObject service = context.cache().get(key).orElse(null);
            List<CachedObject> pods = service == null ? List.of() : context.cache().listKind("", "Pod", ref.getNamespace());
            return reconcile(ref, service, pods, context.cache());
        }

        /** Reconciles the Service {@code ref} ({@code service}, null when gone) against {@code pods} of its namespace. */
        protected abstract Reconciled reconcile(ObjectRef ref, CachedObject service, List<CachedObject> pods, ClusterCache cache);
    }
}
