package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Endpoints: for every Service with a selector, an Endpoints object of the same name whose subsets hold the ready
 * addresses and the not-ready addresses of the selected pods, grouped by their resolved ports. The Endpoints of a
 * Service that is gone or lost its selector is deleted.
 */
public final class EndpointsController extends ServiceEndpoints.ServiceController {
    public EndpointsController() {
        super("", "Endpoints");
    }

    @Override
    public String name() {
        return "endpoint";
    }

    @Override
    protected Reconciled reconcile(ObjectRef ref, CachedObject service, List<CachedObject> pods, ClusterCache cache) {
        CachedObject endpoints = cache.get("", "Endpoints", ref.getNamespace(), ref.getName()).orElse(null);
        return sync(service, endpoints, pods);
    }

    /** The pure reconcile: the Service (null when gone), its Endpoints (null when none), the pods of its namespace. */
    public static Reconciled sync(CachedObject service, CachedObject endpoints, List<CachedObject> podsInNamespace) {
        if (service == null) {
            return endpoints == null ? Reconciled.nothing()
                    : Reconciled.of(List.of(new Action.Delete(endpoints.ref(), endpoints.uid(), null, null)));
        }
        if (ServiceEndpoints.selector(service.object()).isEmpty() || Json.isTerminating(service.object())) {
            return Reconciled.nothing(); // endpoints of a selector-less Service are managed by hand
        }
        Map<List<ServiceEndpoints.Port>, ObjectNode> subsets = new LinkedHashMap<>();
        for (ServiceEndpoints.Member m : ServiceEndpoints.members(service.object(), podsInNamespace)) {
            ObjectNode subset = subsets.computeIfAbsent(m.ports(), ports -> {
                ObjectNode s = Json.object();
                ArrayNode ps = s.putArray("ports");
                ports.forEach(p -> ps.add(p.toJson()));
                return s;
            });
            ObjectNode address = Json.object();
            address.put("ip", m.ip());
            String node = Pods.nodeName(m.pod().object());
            if (!node.isEmpty()) {
                address.put("nodeName", node);
            }
            address.set("targetRef", ServiceEndpoints.targetRef(m.pod()));
            subset.withArray(m.ready() ? "addresses" : "notReadyAddresses").add(address);
        }
        ArrayNode subsetArray = Json.array();
        for (ObjectNode s : subsets.values()) {
            ObjectNode ordered = Json.object();
            for (String field : new String[]{"addresses", "notReadyAddresses"}) {
                if (s.has(field)) {
                    List<ObjectNode> addrs = new ArrayList<>();
                    s.get(field).forEach(a -> addrs.add((ObjectNode) a));
                    addrs.sort(java.util.Comparator.comparing(a -> Json.text(a, "ip") + "/" + Json.text(a, "targetRef", "name")));
                    ordered.putArray(field).addAll(addrs);
                }
            }
            if (!s.get("ports").isEmpty()) {
                ordered.set("ports", s.get("ports"));
            }
            subsetArray.add(ordered);
        }
        if (endpoints == null) {
            ObjectNode ep = Json.object();
            ep.put("apiVersion", "v1");
            ep.put("kind", "Endpoints");
            ObjectNode meta = ep.putObject("metadata");
            meta.put("name", service.name());
            meta.put("namespace", service.namespace());
            ep.set("subsets", subsetArray);
            return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("", "Endpoints", service.namespace(), service.name()), ep, null)));
        }
        if (subsetArray.equals(endpoints.object().get("subsets"))
                || subsetArray.isEmpty() && !endpoints.object().has("subsets")) {
            return Reconciled.nothing();
        }
        ObjectNode updated = endpoints.copy();
        updated.set("subsets", subsetArray);
        return Reconciled.of(List.of(new Action.Update(endpoints.ref(), updated, endpoints.revision())));
    }
}
