package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Templates;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EndpointSlices: for every Service with a selector, one IPv4 slice per distinct set of resolved ports, named after
 * the Service and a hash of its ports, labelled with the service name and this controller, controlled by the Service;
 * each endpoint carries the ready/serving/terminating conditions, the node and the pod. Stale slices are deleted.
 */
public final class EndpointSliceController extends ServiceEndpoints.ServiceController {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";

    public EndpointSliceController() {
        super("discovery.k8s.io", "EndpointSlice");
    }

    @Override
    public String name() {
        return "endpointslice";
    }

    @Override
    protected Reconciled reconcile(ObjectRef ref, CachedObject service, List<CachedObject> pods, ClusterCache cache) {
        List<CachedObject> slices = cache.listKind("discovery.k8s.io", "EndpointSlice", ref.getNamespace()).stream()
                .filter(s -> ref.getName().equals(Json.labels(s.object()).get(SERVICE_NAME_LABEL))
                        && MANAGED_BY.equals(Json.labels(s.object()).get(MANAGED_BY_LABEL))).toList();
        return sync(service, slices, pods);
    }

    /** The pure reconcile: the Service (null when gone), the slices this controller made for it, the pods of its namespace. */
    public static Reconciled sync(CachedObject service, List<CachedObject> slices, List<CachedObject> podsInNamespace) {
        List<Action> actions = new ArrayList<>();
        boolean managed = service != null && !ServiceEndpoints.selector(service.object()).isEmpty() && !Json.isTerminating(service.object());
        Map<String, ObjectNode> wanted = new LinkedHashMap<>();
        if (managed) {
            Map<List<ServiceEndpoints.Port>, List<ServiceEndpoints.Member>> byPorts = new LinkedHashMap<>();
            for (ServiceEndpoints.Member m : ServiceEndpoints.members(service.object(), podsInNamespace)) {
                byPorts.computeIfAbsent(m.ports(), p -> new ArrayList<>()).add(m);
            }
            if (byPorts.isEmpty()) {
                byPorts.put(List.of(), List.of()); // an empty slice says "no endpoints" rather than "not computed"
            }
            for (Map.Entry<List<ServiceEndpoints.Port>, List<ServiceEndpoints.Member>> e : byPorts.entrySet()) {
                ArrayNode ports = Json.array();
                e.getKey().forEach(p -> ports.add(p.toJson()));
                String name = service.name() + "-" + Templates.hash(ports, 0);
                wanted.put(name, slice(service, name, ports, e.getValue()));
            }
        }
        Map<String, CachedObject> existing = new HashMap<>();
        for (CachedObject s : slices) {
            if (!wanted.containsKey(s.name())) {
                actions.add(new Action.Delete(s.ref(), s.uid(), null, null));
            } else {
                existing.put(s.name(), s);
            }
        }
        for (Map.Entry<String, ObjectNode> e : wanted.entrySet()) {
            CachedObject old = existing.get(e.getKey());
            ObjectNode slice = e.getValue();
            if (old == null) {
                actions.add(new Action.Create(ObjectKeys.ref("discovery.k8s.io", "EndpointSlice", service.namespace(), e.getKey()), slice, null));
            } else if (!slice.get("endpoints").equals(old.object().get("endpoints")) || !slice.get("ports").equals(old.object().get("ports"))) {
                ObjectNode updated = old.copy();
                updated.set("endpoints", slice.get("endpoints"));
                updated.set("ports", slice.get("ports"));
                actions.add(new Action.Update(old.ref(), updated, old.revision()));
            }
        }
        return Reconciled.of(actions);
    }

    private static ObjectNode slice(CachedObject service, String name, ArrayNode ports, List<ServiceEndpoints.Member> members) {
        ObjectNode s = Json.object();
        s.put("apiVersion", "discovery.k8s.io/v1");
        s.put("kind", "EndpointSlice");
        ObjectNode meta = s.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", service.namespace());
        ObjectNode labels = meta.putObject("labels");
        labels.put(SERVICE_NAME_LABEL, service.name());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        meta.putArray("ownerReferences").add(Owners.controllerRef("v1", "Service", service.name(), service.uid()));
        s.put("addressType", "IPv4");
        ArrayNode endpoints = s.putArray("endpoints");
        List<ServiceEndpoints.Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(m -> m.ip() + "/" + m.pod().name()));
        for (ServiceEndpoints.Member m : sorted) {
            ObjectNode ep = endpoints.addObject();
            ep.putArray("addresses").add(m.ip());
            ObjectNode conditions = ep.putObject("conditions");
            conditions.put("ready", m.ready());
            conditions.put("serving", m.ready() || m.terminating() && Pods.isReady(m.pod().object()));
            conditions.put("terminating", m.terminating());
            String node = Pods.nodeName(m.pod().object());
            if (!node.isEmpty()) {
                ep.put("nodeName", node);
            }
            ep.set("targetRef", ServiceEndpoints.targetRef(m.pod()));
        }
        s.set("ports", ports);
        return s;
    }
}
