package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kronika.gateway.validation.Json.F;
import static io.kronika.gateway.validation.Json.get;
import static io.kronika.gateway.validation.Json.list;
import static io.kronika.gateway.validation.Json.obj;
import static io.kronika.gateway.validation.Json.objOrCreate;
import static io.kronika.gateway.validation.Json.setIfAbsent;
import static io.kronika.gateway.validation.Json.str;

/** Service, Namespace, Node, ConfigMap and Secret: defaults and validation (core/v1). */
final class CoreRules {
    private CoreRules() {
    }

    static final int MAX_SECRET_SIZE = 1024 * 1024;
    static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");

    // ------------------------------------------------------------------ Service

    static void defaultService(ObjectNode svc) {
        ObjectNode spec = objOrCreate(svc, "spec");
        setIfAbsent(spec, "sessionAffinity", "None");
        if (str(spec, "sessionAffinity").equals("ClientIP")) {
            ObjectNode cfg = objOrCreate(objOrCreate(spec, "sessionAffinityConfig"), "clientIP");
            setIfAbsent(cfg, "timeoutSeconds", 10800);
        }
        setIfAbsent(spec, "type", "ClusterIP");
        String type = str(spec, "type");
        for (JsonNode p : list(spec, "ports")) {
            if (p instanceof ObjectNode port) {
                setIfAbsent(port, "protocol", "TCP");
                JsonNode target = get(port, "targetPort");
                if (target == null || (target.isNumber() && target.asLong() == 0) || (target.isTextual() && target.textValue().isEmpty())) {
                    JsonNode number = get(port, "port");
                    if (number != null) {
                        port.set("targetPort", number.deepCopy());
                    }
                }
            }
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            setIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (!type.equals("ExternalName")) {
            setIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            setIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
        }
    }

    static void validateService(JsonNode svc, Errs errs) {
        JsonNode spec = obj(svc, "spec");
        String type = str(spec, "type");
        if (type.isEmpty()) {
            errs.required("spec.type", "");
        } else if (!SERVICE_TYPES.contains(type)) {
            errs.notSupported("spec.type", type, SERVICE_TYPES);
        }
        String clusterIP = str(spec, "clusterIP");
        boolean headless = clusterIP.equals("None");
        List<JsonNode> ports = list(spec, "ports");
        if (type.equals("ExternalName")) {
            String externalName = str(spec, "externalName");
            if (externalName.isEmpty()) {
                errs.required("spec.externalName", "");
            } else {
                String n = externalName.endsWith(".") ? externalName.substring(0, externalName.length() - 1) : externalName;
                errs.invalidAll("spec.externalName", n, Errs.dns1123Subdomain(n));
            }
            if (!clusterIP.isEmpty()) {
                errs.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
            }
        } else if (ports.isEmpty() && !headless) {
            errs.required("spec.ports", "");
        }
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String p = "spec.ports[" + i + "]";
            String name = str(port, "name");
            if (ports.size() > 1 && name.isEmpty()) {
                errs.required(p + ".name", "");
            } else if (!name.isEmpty()) {
                List<String> msgs = Errs.dns1123Label(name);
                errs.invalidAll(p + ".name", name, msgs);
                if (msgs.isEmpty() && !names.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
            long number = PodRules.number(port, "port");
            if (number < 1 || number > 65535) {
                errs.invalid(p + ".port", number, Errs.inclusiveRange(1, 65535));
            }
            String protocol = str(port, "protocol");
            if (protocol.isEmpty()) {
                errs.required(p + ".protocol", "");
            } else if (!PodRules.PROTOCOLS.contains(protocol)) {
                errs.notSupported(p + ".protocol", protocol, PodRules.PROTOCOLS);
            }
            JsonNode target = get(port, "targetPort");
            if (target != null && target.isNumber()) {
                if (target.asLong() < 1 || target.asLong() > 65535) {
                    errs.invalid(p + ".targetPort", target.asLong(), Errs.inclusiveRange(1, 65535));
                }
            } else if (target != null && target.isTextual()) {
                errs.invalidAll(p + ".targetPort", target.textValue(), Errs.portName(target.textValue()));
            }
            long nodePort = PodRules.number(port, "nodePort");
            if (nodePort != 0) {
                if (type.equals("ClusterIP") || type.equals("ExternalName")) {
                    errs.forbidden(p + ".nodePort", "may not be used when `type` is '" + type + "'");
                } else if (nodePort < 1 || nodePort > 65535) {
                    errs.invalid(p + ".nodePort", nodePort, Errs.inclusiveRange(1, 65535));
                }
            }
            if (!keys.add(number + "/" + protocol)) {
                errs.duplicate(p, new Errs.Raw("core.ServicePort{Name:" + GoFormat.quote(name) + ", Protocol:" + GoFormat.quote(protocol)
                        + ", Port:" + number + "}"));
            }
        }
        String affinity = str(spec, "sessionAffinity");
        if (affinity.isEmpty()) {
            errs.required("spec.sessionAffinity", "");
        } else if (!SESSION_AFFINITIES.contains(affinity)) {
            errs.notSupported("spec.sessionAffinity", affinity, SESSION_AFFINITIES);
        }
        ObjectMetaRules.validateLabels(Json.stringMap(spec, "selector"), "spec.selector", errs);
        String etp = str(spec, "externalTrafficPolicy");
        if (!etp.isEmpty() && !List.of("Cluster", "Local").contains(etp)) {
            errs.notSupported("spec.externalTrafficPolicy", etp, List.of("Cluster", "Local"));
        }
        String itp = str(spec, "internalTrafficPolicy");
        if (!itp.isEmpty() && !List.of("Cluster", "Local").contains(itp)) {
            errs.notSupported("spec.internalTrafficPolicy", itp, List.of("Cluster", "Local"));
        }
    }

    // ------------------------------------------------------------------ Namespace, Node

    static void defaultNamespace(ObjectNode ns, boolean create) {
        ObjectNode meta = objOrCreate(ns, "metadata");
        String name = str(meta, "name");
        if (!name.isEmpty()) {
            objOrCreate(meta, "labels").put("kubernetes.io/metadata.name", name);
        }
        if (create) {
            ObjectNode spec = objOrCreate(ns, "spec");
            boolean has = list(spec, "finalizers").stream().anyMatch(f -> f.asText().equals("kubernetes"));
            if (!has) {
                if (!(spec.get("finalizers") instanceof com.fasterxml.jackson.databind.node.ArrayNode)) {
                    spec.set("finalizers", F.arrayNode());
                }
                ((com.fasterxml.jackson.databind.node.ArrayNode) spec.get("finalizers")).add("kubernetes");
            }
            objOrCreate(ns, "status").put("phase", "Active");
        }
    }

    static void validateNamespace(JsonNode ns, Errs errs) {
        List<JsonNode> finalizers = list(obj(ns, "spec"), "finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            String f = finalizers.get(i).asText();
            List<String> msgs = Errs.qualifiedName(f);
            if (!msgs.isEmpty()) {
                errs.invalidAll("spec.finalizers", f, msgs);
            } else if (!f.contains("/") && !f.equals("kubernetes")) {
                errs.invalid("spec.finalizers", f, "name is neither a standard finalizer name nor is it fully qualified");
            }
        }
        String phase = str(obj(ns, "status"), "phase");
        if (!phase.isEmpty() && !List.of("Active", "Terminating").contains(phase)) {
            errs.notSupported("status.phase", phase, List.of("Active", "Terminating"));
        }
    }

    static void defaultNode(ObjectNode node) {
        ObjectNode status = obj(node, "status");
        if (status != null && get(status, "allocatable") == null && get(status, "capacity") != null) {
            status.set("allocatable", status.get("capacity").deepCopy());
        }
    }

    static void validateNode(JsonNode node, Errs errs) {
        List<JsonNode> taints = list(obj(node, "spec"), "taints");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            JsonNode t = taints.get(i);
            String p = "spec.taints[" + i + "]";
            String key = str(t, "key");
            if (key.isEmpty()) {
                errs.required(p + ".key", "");
            } else {
                errs.invalidAll(p + ".key", key, Errs.qualifiedName(key));
            }
            String value = str(t, "value");
            errs.invalidAll(p + ".value", value, Errs.labelValue(value));
            String effect = str(t, "effect");
            if (effect.isEmpty()) {
                errs.required(p + ".effect", "");
            } else if (!PodRules.TAINT_EFFECTS.contains(effect)) {
                errs.notSupported(p + ".effect", effect, PodRules.TAINT_EFFECTS);
            }
            if (!seen.add(key + "\u0000" + effect)) {
                errs.duplicate(p, new Errs.Raw("core.Taint{Key:" + GoFormat.quote(key) + ", Value:" + GoFormat.quote(value)
                        + ", Effect:" + GoFormat.quote(effect) + ", TimeAdded:<nil>}"));
            }
        }
        for (String field : new String[]{"capacity", "allocatable"}) {
            ObjectNode list = obj(obj(node, "status"), field);
            if (list != null) {
                list.fields().forEachRemaining(e -> {
                    String p = "status." + field + "[" + e.getKey() + "]";
                    io.kronika.schemas.k8s.Quantity q = PodRules.quantity(e.getValue(), p, errs);
                    if (q != null && q.signum() < 0) {
                        errs.invalid(p, q.toString(), "must be greater than or equal to 0");
                    }
                });
            }
        }
    }

    // ------------------------------------------------------------------ ConfigMap, Secret

    static void validateConfigMap(JsonNode cm, Errs errs) {
        long total = 0;
        Map<String, String> data = Json.stringMap(cm, "data");
        Map<String, String> binary = Json.stringMap(cm, "binaryData");
        for (Map.Entry<String, String> e : data.entrySet()) {
            errs.invalidAll("data[" + e.getKey() + "]", e.getKey(), Errs.configMapKey(e.getKey()));
            if (binary.containsKey(e.getKey())) {
                errs.invalid("data[" + e.getKey() + "]", e.getKey(), "duplicate of key present in binaryData");
            }
            total += Errs.byteLength(e.getValue());
        }
        for (Map.Entry<String, String> e : binary.entrySet()) {
            errs.invalidAll("binaryData[" + e.getKey() + "]", e.getKey(), Errs.configMapKey(e.getKey()));
            byte[] decoded = decode(e.getValue(), "binaryData[" + e.getKey() + "]", errs);
            total += decoded == null ? 0 : decoded.length;
        }
        if (total > MAX_SECRET_SIZE) {
            errs.tooLong("", MAX_SECRET_SIZE);
        }
    }

    private static byte[] decode(String value, String path, Errs errs) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            errs.invalid(path, value, "illegal base64 data");
            return null;
        }
    }

    /** Secret defaults: type Opaque; stringData folded into data (base64) as the v1 conversion does. */
    static void defaultSecret(ObjectNode secret) {
        setIfAbsent(secret, "type", "Opaque");
        ObjectNode stringData = obj(secret, "stringData");
        if (stringData != null) {
            ObjectNode data = objOrCreate(secret, "data");
            stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
        secret.remove("stringData");
    }

    static void validateSecret(JsonNode secret, Errs errs) {
        long total = 0;
        Map<String, String> data = Json.stringMap(secret, "data");
        Map<String, Integer> sizes = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : data.entrySet()) {
            String p = "data[" + e.getKey() + "]";
            errs.invalidAll(p, e.getKey(), Errs.configMapKey(e.getKey()));
            byte[] decoded = decode(e.getValue(), p, errs);
            int n = decoded == null ? 0 : decoded.length;
            sizes.put(e.getKey(), n);
            total += n;
        }
        if (total > MAX_SECRET_SIZE) {
            errs.tooLong("data", MAX_SECRET_SIZE);
        }
        switch (str(secret, "type")) {
            case "kubernetes.io/service-account-token" -> {
                if (Json.stringMap(obj(secret, "metadata"), "annotations").getOrDefault("kubernetes.io/service-account.name", "").isEmpty()) {
                    errs.required("metadata.annotations[kubernetes.io/service-account.name]", "");
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(sizes, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requireKey(sizes, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (sizes.getOrDefault("username", 0) == 0 && sizes.getOrDefault("password", 0) == 0) {
                    errs.required("data[username]", "");
                    errs.required("data[password]", "");
                }
            }
            case "kubernetes.io/ssh-auth" -> requireKey(sizes, "ssh-privatekey", errs);
            case "kubernetes.io/tls" -> {
                requireKey(sizes, "tls.crt", errs);
                requireKey(sizes, "tls.key", errs);
            }
            default -> {
            }
        }
    }

    private static void requireKey(Map<String, Integer> sizes, String key, Errs errs) {
        if (!sizes.containsKey(key)) {
            errs.required("data[" + key + "]", "");
        }
    }
}
