package io.kronika.controllers.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Json;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.util.concurrent.atomic.AtomicLong;

/** Hand-built cluster states for reconcile unit tests. */
public final class Objects {
    private static final AtomicLong REVISION = new AtomicLong(100);

    private Objects() {
    }

    public static CachedObject cached(String group, String kind, String json) {
        ObjectNode o = Json.parse(json);
        String ns = Json.namespace(o);
        String name = Json.name(o);
        String uid = Json.uid(o) != null ? Json.uid(o) : "uid-" + kind + "-" + name;
        Json.metadata(o).put("uid", uid);
        ObjectRef ref = ObjectKeys.ref(group, kind, ns, name);
        return new CachedObject(ObjectKeys.of(ref), ref, REVISION.incrementAndGet(), uid, o);
    }

    public static String ownerRef(String apiVersion, String kind, String name, String uid) {
        return "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"uid\":\"" + uid
                + "\",\"controller\":true,\"blockOwnerDeletion\":true}";
    }

    public static CachedObject pod(String ns, String name, String labelsJson, String ownerRefJson, String node, boolean ready, String created) {
        return cached("", "Pod", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                + "\",\"creationTimestamp\":\"" + created + "\",\"labels\":" + labelsJson
                + (ownerRefJson == null ? "" : ",\"ownerReferences\":[" + ownerRefJson + "]") + "},"
                + "\"spec\":{" + (node == null ? "" : "\"nodeName\":\"" + node + "\",") + "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},"
                + "\"status\":{\"phase\":\"" + (node == null ? "Pending" : "Running") + "\",\"conditions\":[{\"type\":\"Ready\",\"status\":\""
                + (ready ? "True" : "False") + "\",\"lastTransitionTime\":\"" + created + "\"}]}}");
    }
}
