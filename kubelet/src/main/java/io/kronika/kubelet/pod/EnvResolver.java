package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.runtime.ContainerSpec.EnvVar;
import io.kronika.kubelet.util.Json;
import io.kronika.kubelet.util.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as Kubernetes builds it: envFrom (ConfigMaps, Secrets) first, then env with values,
 * the downward API (fieldRef, resourceFieldRef), configMapKeyRef and secretKeyRef, each value expanding
 * {@code $(VAR)} references to variables defined before it. HOSTNAME is the pod's hostname.
 */
public final class EnvResolver {
    private final ObjectLookup objects;

    public EnvResolver(ObjectLookup objects) {
        this.objects = objects;
    }

    /** Facts of the pod known only on the node. */
    public record PodFacts(String podIp, String hostIp, String nodeName) {
    }

    public List<EnvVar> resolve(JsonNode pod, JsonNode container, PodFacts facts) throws ConfigError {
        String namespace = Json.text(pod, "metadata", "namespace");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOSTNAME", hostname(pod));
        env.putAll(serviceEnv(pod));
        for (JsonNode from : Json.list(container, "envFrom")) {
            String prefix = Json.textOr(from, "prefix", "");
            if (from.has("configMapRef")) {
                JsonNode ref = from.get("configMapRef");
                Optional<JsonNode> cm = objects.get("ConfigMap", namespace, Json.text(ref, "name"));
                if (cm.isEmpty()) {
                    if (Json.bool(ref, "optional")) {
                        continue;
                    }
                    throw new ConfigError("configmap \"" + Json.text(ref, "name") + "\" not found");
                }
                Json.stringMap(cm.get(), "data").forEach((k, v) -> env.put(prefix + k, v));
            } else if (from.has("secretRef")) {
                JsonNode ref = from.get("secretRef");
                Optional<JsonNode> secret = objects.get("Secret", namespace, Json.text(ref, "name"));
                if (secret.isEmpty()) {
                    if (Json.bool(ref, "optional")) {
                        continue;
                    }
                    throw new ConfigError("secret \"" + Json.text(ref, "name") + "\" not found");
                }
                secretData(secret.get()).forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        for (JsonNode var : Json.list(container, "env")) {
            String name = Json.text(var, "name");
            if (name == null) {
                continue;
            }
            JsonNode valueFrom = var.get("valueFrom");
            if (valueFrom == null || valueFrom.isNull()) {
                env.put(name, expand(Json.textOr(var, "value", ""), env));
                continue;
            }
            String value = valueFrom(pod, container, valueFrom, facts, namespace);
            if (value != null) {
                env.put(name, value);
            }
        }
        List<EnvVar> result = new ArrayList<>();
        env.forEach((k, v) -> result.add(new EnvVar(k, v)));
        return result;
    }

    /**
     * The service environment variables, as the kubelet's getServiceEnvVarMap makes them: for the {@code kubernetes}
     * Service in {@code default} always (KUBERNETES_SERVICE_HOST / _PORT), and with enableServiceLinks (default true)
     * for every Service with a ClusterIP in the pod's namespace: {@code <NAME>_SERVICE_HOST}, {@code _SERVICE_PORT},
     * {@code _SERVICE_PORT_<PORT_NAME>} and the Docker-link variables ({@code <NAME>_PORT=tcp://ip:port}, …).
     * The container's own env and envFrom come after and override them.
     */
    Map<String, String> serviceEnv(JsonNode pod) {
        String namespace = Json.text(pod, "metadata", "namespace");
        boolean links = !pod.path("spec").has("enableServiceLinks") || pod.path("spec").path("enableServiceLinks").asBoolean(true);
        Map<String, JsonNode> byName = new java.util.TreeMap<>();
        if (links && namespace != null) {
            for (JsonNode svc : objects.list("Service", namespace)) {
                byName.put(Json.text(svc, "metadata", "name"), svc);
            }
        }
        if (!"default".equals(namespace) || !links) {
            byName.remove("kubernetes");
            objects.get("Service", "default", "kubernetes").ifPresent(svc -> byName.put("kubernetes", svc));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode svc : byName.values()) {
            String ip = svc.path("spec").path("clusterIP").asText("");
            List<JsonNode> ports = Json.list(svc, "spec", "ports");
            if (ip.isEmpty() || ip.equals("None") || ports.isEmpty()) {
                continue;
            }
            String prefix = Json.text(svc, "metadata", "name").toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            env.put(prefix + "_SERVICE_HOST", ip);
            env.put(prefix + "_SERVICE_PORT", ports.get(0).path("port").asText());
            for (JsonNode port : ports) {
                String portName = port.path("name").asText("");
                if (!portName.isEmpty()) {
                    env.put(prefix + "_SERVICE_PORT_" + portName.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), port.path("port").asText());
                }
            }
            JsonNode first = ports.get(0);
            String firstProtocol = first.path("protocol").asText("TCP").toLowerCase(java.util.Locale.ROOT);
            env.put(prefix + "_PORT", firstProtocol + "://" + ip + ":" + first.path("port").asText());
            for (JsonNode port : ports) {
                String protocol = port.path("protocol").asText("TCP");
                String number = port.path("port").asText();
                String link = prefix + "_PORT_" + number + "_" + protocol.toUpperCase(java.util.Locale.ROOT);
                env.put(link, protocol.toLowerCase(java.util.Locale.ROOT) + "://" + ip + ":" + number);
                env.put(link + "_PROTO", protocol.toLowerCase(java.util.Locale.ROOT));
                env.put(link + "_PORT", number);
                env.put(link + "_ADDR", ip);
            }
        }
        return env;
    }

    public static String hostname(JsonNode pod) {
        String hostname = Json.text(pod, "spec", "hostname");
        return hostname != null && !hostname.isEmpty() ? hostname : Json.text(pod, "metadata", "name");
    }

    private String valueFrom(JsonNode pod, JsonNode container, JsonNode valueFrom, PodFacts facts, String namespace) throws ConfigError {
        if (valueFrom.has("fieldRef")) {
            return fieldRef(pod, Json.text(valueFrom.get("fieldRef"), "fieldPath"), facts);
        }
        if (valueFrom.has("resourceFieldRef")) {
            return resourceFieldRef(pod, container, valueFrom.get("resourceFieldRef"));
        }
        if (valueFrom.has("configMapKeyRef")) {
            JsonNode ref = valueFrom.get("configMapKeyRef");
            String name = Json.text(ref, "name");
            String key = Json.text(ref, "key");
            Optional<JsonNode> cm = objects.get("ConfigMap", namespace, name);
            if (cm.isEmpty()) {
                if (Json.bool(ref, "optional")) {
                    return null;
                }
                throw new ConfigError("configmap \"" + name + "\" not found");
            }
            String value = Json.stringMap(cm.get(), "data").get(key);
            if (value == null && !Json.bool(ref, "optional")) {
                throw new ConfigError("couldn't find key " + key + " in ConfigMap " + namespace + "/" + name);
            }
            return value;
        }
        if (valueFrom.has("secretKeyRef")) {
            JsonNode ref = valueFrom.get("secretKeyRef");
            String name = Json.text(ref, "name");
            String key = Json.text(ref, "key");
            Optional<JsonNode> secret = objects.get("Secret", namespace, name);
            if (secret.isEmpty()) {
                if (Json.bool(ref, "optional")) {
                    return null;
                }
                throw new ConfigError("secret \"" + name + "\" not found");
            }
            String value = secretData(secret.get()).get(key);
            if (value == null && !Json.bool(ref, "optional")) {
                throw new ConfigError("couldn't find key " + key + " in Secret " + namespace + "/" + name);
            }
            return value;
        }
        return null;
    }

    /** A downward API field of the pod. */
    public static String fieldRef(JsonNode pod, String path, PodFacts facts) throws ConfigError {
        if (path == null) {
            throw new ConfigError("fieldRef without fieldPath");
        }
        switch (path) {
            case "metadata.name": return Json.text(pod, "metadata", "name");
            case "metadata.namespace": return Json.text(pod, "metadata", "namespace");
            case "metadata.uid": return Json.text(pod, "metadata", "uid");
            case "spec.nodeName": return facts.nodeName();
            case "spec.serviceAccountName": return Json.textOr(Json.at(pod, "spec"), "serviceAccountName", "default");
            case "status.hostIP": case "status.hostIPs": return facts.hostIp();
            case "status.podIP": case "status.podIPs": return facts.podIp();
            case "metadata.labels": return formatMap(Json.stringMap(pod, "metadata", "labels"));
            case "metadata.annotations": return formatMap(Json.stringMap(pod, "metadata", "annotations"));
            default:
                break;
        }
        for (String map : new String[]{"labels", "annotations"}) {
            String prefix = "metadata." + map + "['";
            if (path.startsWith(prefix) && path.endsWith("']")) {
                String key = path.substring(prefix.length(), path.length() - 2);
                return Json.stringMap(pod, "metadata", map).getOrDefault(key, "");
            }
        }
        throw new ConfigError("unsupported fieldPath: " + path);
    }

    /** A container's request or limit in the divisor's units, rounded up; a missing limit is the node's allocatable. */
    public static String resourceFieldRef(JsonNode pod, JsonNode container, JsonNode ref) throws ConfigError {
        String resource = Json.text(ref, "resource");
        String containerName = Json.text(ref, "containerName");
        JsonNode target = container;
        if (containerName != null && !containerName.isEmpty()) {
            target = PodSpecs.concat(PodSpecs.containers(pod), PodSpecs.initContainers(pod)).stream()
                    .filter(c -> containerName.equals(Json.text(c, "name"))).findFirst().orElse(container);
        }
        if (resource == null || !resource.contains(".")) {
            throw new ConfigError("unsupported resourceFieldRef: " + resource);
        }
        String[] parts = resource.split("\\.", 2);
        String quantity = Json.text(target, "resources", parts[0], parts[1]);
        if (quantity == null && "requests".equals(parts[0])) {
            quantity = Json.text(target, "resources", "limits", parts[1]);
        }
        if (quantity == null) {
            quantity = "0";
        }
        BigDecimal value = Quantity.parse(quantity);
        String divisorText = Json.text(ref, "divisor");
        BigDecimal divisor = divisorText == null ? BigDecimal.ONE : Quantity.parse(divisorText);
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static String formatMap(Map<String, String> map) {
        StringBuilder sb = new StringBuilder();
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                sb.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"\n"));
        return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 1);
    }

    /** A Secret's data decoded, with stringData over it. */
    public static Map<String, String> secretData(JsonNode secret) {
        Map<String, String> data = new LinkedHashMap<>();
        Json.stringMap(secret, "data").forEach((k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v.trim()), StandardCharsets.UTF_8)));
        data.putAll(Json.stringMap(secret, "stringData"));
        return data;
    }

    public static Map<String, byte[]> secretBytes(JsonNode secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        Json.stringMap(secret, "data").forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v.trim())));
        Json.stringMap(secret, "stringData").forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return data;
    }

    /** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ is a literal $, anything else stays. */
    public static String expand(String input, Map<String, String> env) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '$' && i + 1 < input.length()) {
                char next = input.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = input.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = input.substring(i + 2, close);
                        String value = env.get(name);
                        if (value != null) {
                            out.append(value);
                        } else {
                            out.append(input, i, close + 1);
                        }
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    public static List<String> expandAll(List<String> items, List<EnvVar> env) {
        if (items == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        env.forEach(e -> map.put(e.name(), e.value()));
        List<String> out = new ArrayList<>();
        items.forEach(s -> out.add(expand(s, map)));
        return out;
    }
}
