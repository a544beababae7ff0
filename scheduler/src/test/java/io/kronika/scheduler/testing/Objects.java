package io.kronika.scheduler.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.model.Json;
import io.kronika.scheduler.model.NodeModel;
import io.kronika.scheduler.model.PodInfo;

import java.util.Map;
import java.util.UUID;

/** Builders of Pod and Node JSON for tests and benchmarks. */
public final class Objects {
    private Objects() {
    }

    public static PodBuilder pod(String namespace, String name) {
        return new PodBuilder(namespace, name);
    }

    public static NodeBuilder node(String name) {
        return new NodeBuilder(name);
    }

    public static final class PodBuilder {
        private final ObjectNode pod = Json.MAPPER.createObjectNode();
        private final ObjectNode container;

        PodBuilder(String namespace, String name) {
            pod.put("apiVersion", "v1");
            pod.put("kind", "Pod");
            ObjectNode meta = pod.putObject("metadata");
            meta.put("name", name);
            meta.put("namespace", namespace);
            meta.put("uid", UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes()).toString());
            meta.put("resourceVersion", "1");
            meta.put("creationTimestamp", "2024-01-01T00:00:00Z");
            ObjectNode spec = pod.putObject("spec");
            container = spec.putArray("containers").addObject();
            container.put("name", "c");
            container.put("image", "registry.k8s.io/pause:3.9");
        }

        private ObjectNode spec() {
            return (ObjectNode) pod.get("spec");
        }

        private ObjectNode meta() {
            return (ObjectNode) pod.get("metadata");
        }

        public PodBuilder req(String resource, String quantity) {
            container.with("resources").with("requests").put(resource, quantity);
            return this;
        }

        public PodBuilder cpu(String q) {
            return req("cpu", q);
        }

        public PodBuilder memory(String q) {
            return req("memory", q);
        }

        public PodBuilder label(String k, String v) {
            meta().with("labels").put(k, v);
            return this;
        }

        public PodBuilder uid(String uid) {
            meta().put("uid", uid);
            return this;
        }

        public PodBuilder created(String timestamp) {
            meta().put("creationTimestamp", timestamp);
            return this;
        }

        public PodBuilder revision(long rv) {
            meta().put("resourceVersion", String.valueOf(rv));
            return this;
        }

        public PodBuilder nodeName(String node) {
            spec().put("nodeName", node);
            return this;
        }

        public PodBuilder schedulerName(String name) {
            spec().put("schedulerName", name);
            return this;
        }

        public PodBuilder priority(int p) {
            spec().put("priority", p);
            return this;
        }

        public PodBuilder priorityClassName(String name) {
            spec().put("priorityClassName", name);
            return this;
        }

        public PodBuilder preemptionPolicy(String policy) {
            spec().put("preemptionPolicy", policy);
            return this;
        }

        public PodBuilder nodeSelector(String k, String v) {
            spec().with("nodeSelector").put(k, v);
            return this;
        }

        public PodBuilder hostPort(int port) {
            ObjectNode p = container.withArray("ports").addObject();
            p.put("containerPort", port);
            p.put("hostPort", port);
            return this;
        }

        public PodBuilder toleration(String key, String operator, String value, String effect) {
            ObjectNode t = spec().withArray("tolerations").addObject();
            if (key != null) {
                t.put("key", key);
            }
            t.put("operator", operator);
            if (value != null) {
                t.put("value", value);
            }
            if (effect != null) {
                t.put("effect", effect);
            }
            return this;
        }

        /** Raw JSON merged into spec (for affinity, spread constraints, init containers…). */
        public PodBuilder spec(String field, String json) {
            spec().set(field, Json.parseObject("{\"v\":" + json + "}").get("v"));
            return this;
        }

        public PodBuilder initContainer(String name, String cpu, String memory, boolean sidecar) {
            ObjectNode c = spec().withArray("initContainers").addObject();
            c.put("name", name);
            c.put("image", "busybox");
            if (sidecar) {
                c.put("restartPolicy", "Always");
            }
            ObjectNode r = c.with("resources").with("requests");
            if (cpu != null) {
                r.put("cpu", cpu);
            }
            if (memory != null) {
                r.put("memory", memory);
            }
            return this;
        }

        public PodBuilder overhead(String cpu, String memory) {
            spec().with("overhead").put("cpu", cpu).put("memory", memory);
            return this;
        }

        public PodBuilder antiAffinity(String topologyKey, String labelKey, String labelValue) {
            ArrayNode terms = spec().with("affinity").with("podAntiAffinity").withArray("requiredDuringSchedulingIgnoredDuringExecution");
            ObjectNode t = terms.addObject();
            t.putObject("labelSelector").putObject("matchLabels").put(labelKey, labelValue);
            t.put("topologyKey", topologyKey);
            return this;
        }

        public PodBuilder affinity(String topologyKey, String labelKey, String labelValue) {
            ArrayNode terms = spec().with("affinity").with("podAffinity").withArray("requiredDuringSchedulingIgnoredDuringExecution");
            ObjectNode t = terms.addObject();
            t.putObject("labelSelector").putObject("matchLabels").put(labelKey, labelValue);
            t.put("topologyKey", topologyKey);
            return this;
        }

        public PodBuilder spread(int maxSkew, String topologyKey, String whenUnsatisfiable, String labelKey, String labelValue) {
            ObjectNode c = spec().withArray("topologySpreadConstraints").addObject();
            c.put("maxSkew", maxSkew);
            c.put("topologyKey", topologyKey);
            c.put("whenUnsatisfiable", whenUnsatisfiable);
            c.putObject("labelSelector").putObject("matchLabels").put(labelKey, labelValue);
            return this;
        }

        public String json() {
            return Json.write(pod);
        }

        public PodInfo build() {
            return PodInfo.parse(json());
        }
    }

    public static final class NodeBuilder {
        private final ObjectNode node = Json.MAPPER.createObjectNode();

        NodeBuilder(String name) {
            node.put("apiVersion", "v1");
            node.put("kind", "Node");
            ObjectNode meta = node.putObject("metadata");
            meta.put("name", name);
            meta.put("resourceVersion", "1");
            meta.putObject("labels").put("kubernetes.io/hostname", name);
            node.putObject("spec");
            ObjectNode status = node.putObject("status");
            status.putObject("capacity").put("cpu", "4").put("memory", "32Gi").put("pods", "110");
            status.putObject("allocatable").put("cpu", "4").put("memory", "32Gi").put("pods", "110");
            ObjectNode ready = status.putArray("conditions").addObject();
            ready.put("type", "Ready");
            ready.put("status", "True");
            ready.put("reason", "KubeletReady");
        }

        public NodeBuilder allocatable(String resource, String quantity) {
            node.with("status").with("allocatable").put(resource, quantity);
            node.with("status").with("capacity").put(resource, quantity);
            return this;
        }

        public NodeBuilder cpu(String q) {
            return allocatable("cpu", q);
        }

        public NodeBuilder memory(String q) {
            return allocatable("memory", q);
        }

        public NodeBuilder pods(int n) {
            return allocatable("pods", String.valueOf(n));
        }

        public NodeBuilder label(String k, String v) {
            node.with("metadata").with("labels").put(k, v);
            return this;
        }

        public NodeBuilder taint(String key, String value, String effect) {
            ObjectNode t = node.with("spec").withArray("taints").addObject();
            t.put("key", key);
            t.put("value", value);
            t.put("effect", effect);
            return this;
        }

        public NodeBuilder unschedulable() {
            node.with("spec").put("unschedulable", true);
            return this;
        }

        public String json() {
            return Json.write(node);
        }

        public NodeModel model() {
            return NodeModel.parse(json());
        }

        public NodeInfo info(PodInfo... pods) {
            NodeInfo info = new NodeInfo(model());
            for (PodInfo p : pods) {
                info.addPod(p.isBound() ? p : p.boundTo(model().name()));
            }
            return info;
        }
    }

    public static Map<String, String> labels(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
