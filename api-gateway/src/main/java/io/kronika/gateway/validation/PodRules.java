package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.Quantity;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kronika.gateway.validation.Json.F;
import static io.kronika.gateway.validation.Json.arr;
import static io.kronika.gateway.validation.Json.get;
import static io.kronika.gateway.validation.Json.list;
import static io.kronika.gateway.validation.Json.obj;
import static io.kronika.gateway.validation.Json.objOrCreate;
import static io.kronika.gateway.validation.Json.setIfAbsent;
import static io.kronika.gateway.validation.Json.str;

/**
 * Defaulting (k8s.io/kubernetes pkg/apis/core/v1/defaults.go) and validation (pkg/apis/core/validation) of pod
 * specs, for Pods and for the pod templates of workloads.
 */
final class PodRules {
    private PodRules() {
    }

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
    static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final String[] VOLUME_SOURCES = {"hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo",
            "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
            "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
            "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image"};

    // ------------------------------------------------------------------ defaults

    /** SetDefaults_Pod: pod-only defaults (requests from limits), then the pod spec defaults. */
    static void defaultPod(ObjectNode pod) {
        ObjectNode spec = objOrCreate(pod, "spec");
        for (String kind : new String[]{"containers", "initContainers"}) {
            for (JsonNode c : list(spec, kind)) {
                if (!(c instanceof ObjectNode container)) {
                    continue;
                }
                ObjectNode resources = obj(container, "resources");
                ObjectNode limits = obj(resources, "limits");
                if (limits != null && !limits.isEmpty()) {
                    ObjectNode requests = objOrCreate(resources, "requests");
                    limits.fields().forEachRemaining(e -> {
                        if (get(requests, e.getKey()) == null) {
                            requests.set(e.getKey(), e.getValue().deepCopy());
                        }
                    });
                }
            }
        }
        defaultPodSpec(spec);
    }

    /** SetDefaults_PodSpec and the defaults of everything inside a pod spec. */
    static void defaultPodSpec(ObjectNode spec) {
        setIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        setIfAbsent(spec, "restartPolicy", "Always");
        if (get(spec, "securityContext") == null) {
            spec.set("securityContext", F.objectNode());
        }
        setIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        setIfAbsent(spec, "schedulerName", "default-scheduler");
        setIfAbsent(spec, "enableServiceLinks", true);
        boolean hostNetwork = get(spec, "hostNetwork") != null && spec.get("hostNetwork").asBoolean(false);
        for (String kind : new String[]{"containers", "initContainers", "ephemeralContainers"}) {
            for (JsonNode c : list(spec, kind)) {
                if (c instanceof ObjectNode container) {
                    defaultContainer(container, hostNetwork);
                }
            }
        }
        for (JsonNode v : list(spec, "volumes")) {
            if (v instanceof ObjectNode volume) {
                defaultVolume(volume);
            }
        }
    }

    static void defaultContainer(ObjectNode c, boolean hostNetwork) {
        if (!Json.has(c, "imagePullPolicy") || str(c, "imagePullPolicy").isEmpty()) {
            c.put("imagePullPolicy", defaultPullPolicy(str(c, "image")));
        }
        setIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        setIfAbsent(c, "terminationMessagePolicy", "File");
        for (JsonNode p : list(c, "ports")) {
            if (p instanceof ObjectNode port) {
                setIfAbsent(port, "protocol", "TCP");
                if (hostNetwork && (get(port, "hostPort") == null || port.get("hostPort").asLong() == 0) && get(port, "containerPort") != null) {
                    port.set("hostPort", port.get("containerPort").deepCopy());
                }
            }
        }
        for (JsonNode e : list(c, "env")) {
            ObjectNode fieldRef = obj(obj(e, "valueFrom"), "fieldRef");
            if (fieldRef != null) {
                setIfAbsent(fieldRef, "apiVersion", "v1");
            }
        }
        for (String probe : new String[]{"livenessProbe", "readinessProbe", "startupProbe"}) {
            ObjectNode p = obj(c, probe);
            if (p != null) {
                setIfAbsent(p, "timeoutSeconds", 1);
                setIfAbsent(p, "periodSeconds", 10);
                setIfAbsent(p, "successThreshold", 1);
                setIfAbsent(p, "failureThreshold", 3);
                defaultHttpGet(obj(p, "httpGet"));
            }
        }
        ObjectNode lifecycle = obj(c, "lifecycle");
        for (String hook : new String[]{"postStart", "preStop"}) {
            defaultHttpGet(obj(obj(lifecycle, hook), "httpGet"));
        }
    }

    private static void defaultHttpGet(ObjectNode httpGet) {
        if (httpGet != null) {
            setIfAbsent(httpGet, "path", "/");
            setIfAbsent(httpGet, "scheme", "HTTP");
        }
    }

    /** Always for an image without tag or tagged latest (and no digest), else IfNotPresent. */
    static String defaultPullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return "Always";
        }
        return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    static void defaultVolume(ObjectNode v) {
        boolean any = false;
        for (String s : VOLUME_SOURCES) {
            any |= Json.has(v, s);
        }
        if (!any) {
            v.set("emptyDir", F.objectNode());
        }
        for (String s : new String[]{"secret", "configMap", "downwardAPI", "projected"}) {
            ObjectNode src = obj(v, s);
            if (src != null) {
                setIfAbsent(src, "defaultMode", 420);
            }
        }
        ObjectNode hostPath = obj(v, "hostPath");
        if (hostPath != null && !hostPath.has("type")) {
            hostPath.put("type", "");
        }
    }

    // ------------------------------------------------------------------ QoS

    /** The pod's QoS class as Kubernetes computes it from cpu/memory requests and limits. */
    static String qosClass(JsonNode spec) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        boolean guaranteed = true;
        for (String kind : new String[]{"containers", "initContainers"}) {
            for (JsonNode c : list(spec, kind)) {
                JsonNode resources = obj(c, "resources");
                accumulate(obj(resources, "requests"), requests, null);
                Set<String> found = new HashSet<>();
                accumulate(obj(resources, "limits"), limits, found);
                if (!found.containsAll(List.of("cpu", "memory"))) {
                    guaranteed = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, Quantity> e : requests.entrySet()) {
                Quantity l = limits.get(e.getKey());
                if (l == null || l.compareTo(e.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    private static void accumulate(ObjectNode list, Map<String, Quantity> into, Set<String> found) {
        if (list == null) {
            return;
        }
        list.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("cpu") && !e.getKey().equals("memory")) {
                return;
            }
            Quantity q;
            try {
                q = Quantity.fromJson(e.getValue());
            } catch (Quantity.QuantityFormatException ex) {
                return;
            }
            if (q.signum() > 0) {
                if (found != null) {
                    found.add(e.getKey());
                }
                into.merge(e.getKey(), q, Quantity::add);
            }
        });
    }

    // ------------------------------------------------------------------ validation

    /**
     * ValidatePodSpec (subset): volumes, containers (names, images, ports, env, resources, mounts), policies,
     * scheduling fields. {@code pod} tells a Pod (images required) from a template.
     */
    static void validatePodSpec(JsonNode spec, String path, boolean pod, Errs errs) {
        Set<String> volumes = validateVolumes(list(spec, "volumes"), path + ".volumes", errs);
        Set<String> names = new HashSet<>();
        List<JsonNode> containers = list(spec, "containers");
        validateContainers(list(spec, "initContainers"), path + ".initContainers", volumes, names, pod, errs);
        if (containers.isEmpty()) {
            errs.required(path + ".containers", "");
        } else {
            validateContainers(containers, path + ".containers", volumes, names, pod, errs);
        }
        validateContainers(list(spec, "ephemeralContainers"), path + ".ephemeralContainers", volumes, names, pod, errs);

        String restart = str(spec, "restartPolicy");
        if (restart.isEmpty()) {
            errs.required(path + ".restartPolicy", "");
        } else if (!RESTART_POLICIES.contains(restart)) {
            errs.notSupported(path + ".restartPolicy", restart, RESTART_POLICIES);
        }
        String dns = str(spec, "dnsPolicy");
        if (dns.isEmpty()) {
            errs.required(path + ".dnsPolicy", "");
        } else if (!DNS_POLICIES.contains(dns)) {
            errs.notSupported(path + ".dnsPolicy", dns, DNS_POLICIES);
        }
        ObjectMetaRules.validateLabels(Json.stringMap(spec, "nodeSelector"), path + ".nodeSelector", errs);
        for (String f : new String[]{"serviceAccountName", "nodeName", "schedulerName", "priorityClassName"}) {
            String v = str(spec, f);
            if (!v.isEmpty()) {
                errs.invalidAll(path + "." + f, v, Errs.dns1123Subdomain(v));
            }
        }
        for (String f : new String[]{"hostname", "subdomain"}) {
            String v = str(spec, f);
            if (!v.isEmpty()) {
                errs.invalidAll(path + "." + f, v, Errs.dns1123Label(v));
            }
        }
        JsonNode grace = get(spec, "terminationGracePeriodSeconds");
        if (grace != null && grace.isNumber() && grace.asLong() < 0) {
            errs.invalid(path + ".terminationGracePeriodSeconds", grace.asLong(), "must be greater than or equal to 0");
        }
        JsonNode deadline = get(spec, "activeDeadlineSeconds");
        if (deadline != null && deadline.isNumber() && (deadline.asLong() < 1 || deadline.asLong() > Integer.MAX_VALUE)) {
            errs.invalid(path + ".activeDeadlineSeconds", deadline.asLong(), Errs.inclusiveRange(1, Integer.MAX_VALUE));
        }
        validateTolerations(list(spec, "tolerations"), path + ".tolerations", errs);
    }

    static Set<String> validateVolumes(List<JsonNode> volumes, String path, Errs errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            String p = path + "[" + i + "]";
            String name = str(volumes.get(i), "name");
            if (name.isEmpty()) {
                errs.required(p + ".name", "");
            } else {
                List<String> msgs = Errs.dns1123Label(name);
                errs.invalidAll(p + ".name", name, msgs);
                if (msgs.isEmpty() && !names.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
            int sources = 0;
            for (String s : VOLUME_SOURCES) {
                if (Json.has(volumes.get(i), s)) {
                    sources++;
                }
            }
            if (sources == 0) {
                errs.required(p, "must specify a volume type");
            } else if (sources > 1) {
                errs.forbidden(p, "may not specify more than 1 volume type");
            }
        }
        return names;
    }

    static void validateContainers(List<JsonNode> containers, String path, Set<String> volumes, Set<String> allNames, boolean pod, Errs errs) {
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String p = path + "[" + i + "]";
            String name = str(c, "name");
            if (name.isEmpty()) {
                errs.required(p + ".name", "");
            } else {
                List<String> msgs = Errs.dns1123Label(name);
                errs.invalidAll(p + ".name", name, msgs);
                if (!allNames.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
            String image = str(c, "image");
            if (pod && image.isEmpty()) {
                errs.required(p + ".image", "");
            }
            if (!image.strip().equals(image)) {
                errs.invalid(p + ".image", image, "must not have leading or trailing whitespace");
            }
            String pull = str(c, "imagePullPolicy");
            if (pull.isEmpty()) {
                errs.required(p + ".imagePullPolicy", "");
            } else if (!PULL_POLICIES.contains(pull)) {
                errs.notSupported(p + ".imagePullPolicy", pull, PULL_POLICIES);
            }
            String tmp = str(c, "terminationMessagePolicy");
            if (tmp.isEmpty()) {
                errs.required(p + ".terminationMessagePolicy", "");
            } else if (!TERMINATION_MESSAGE_POLICIES.contains(tmp)) {
                errs.notSupported(p + ".terminationMessagePolicy", tmp, TERMINATION_MESSAGE_POLICIES);
            }
            validatePorts(list(c, "ports"), p + ".ports", errs);
            validateEnv(list(c, "env"), p + ".env", errs);
            validateResources(obj(c, "resources"), p + ".resources", errs);
            validateMounts(list(c, "volumeMounts"), p + ".volumeMounts", volumes, errs);
        }
    }

    static void validatePorts(List<JsonNode> ports, String path, Errs errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String p = path + "[" + i + "]";
            String name = str(port, "name");
            if (!name.isEmpty()) {
                List<String> msgs = Errs.portName(name);
                if (!msgs.isEmpty()) {
                    errs.invalidAll(p + ".name", name, msgs);
                } else if (!names.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
            long containerPort = number(port, "containerPort");
            if (containerPort == 0) {
                errs.required(p + ".containerPort", "");
            } else if (containerPort < 1 || containerPort > 65535) {
                errs.invalid(p + ".containerPort", containerPort, Errs.inclusiveRange(1, 65535));
            }
            long hostPort = number(port, "hostPort");
            if (hostPort != 0 && (hostPort < 1 || hostPort > 65535)) {
                errs.invalid(p + ".hostPort", hostPort, Errs.inclusiveRange(1, 65535));
            }
            String protocol = str(port, "protocol");
            if (protocol.isEmpty()) {
                errs.required(p + ".protocol", "");
            } else if (!PROTOCOLS.contains(protocol)) {
                errs.notSupported(p + ".protocol", protocol, PROTOCOLS);
            }
        }
    }

    static long number(JsonNode n, String field) {
        JsonNode v = get(n, field);
        return v != null && v.isNumber() ? v.asLong() : 0;
    }

    static void validateEnv(List<JsonNode> env, String path, Errs errs) {
        for (int i = 0; i < env.size(); i++) {
            String p = path + "[" + i + "]";
            String name = str(env.get(i), "name");
            if (name.isEmpty()) {
                errs.required(p + ".name", "");
            } else {
                errs.invalidAll(p + ".name", name, Errs.relaxedEnvVarName(name));
            }
            if (Json.has(env.get(i), "valueFrom") && !str(env.get(i), "value").isEmpty()) {
                errs.invalid(p + ".valueFrom", new Errs.Raw("\"\""), "may not be specified when `value` is not empty");
            }
        }
    }

    static void validateMounts(List<JsonNode> mounts, String path, Set<String> volumes, Errs errs) {
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            String p = path + "[" + i + "]";
            String name = str(mounts.get(i), "name");
            if (name.isEmpty()) {
                errs.required(p + ".name", "");
            } else if (!volumes.contains(name)) {
                errs.notFound(p + ".name", name);
            }
            String mountPath = str(mounts.get(i), "mountPath");
            if (mountPath.isEmpty()) {
                errs.required(p + ".mountPath", "");
            } else if (!paths.add(mountPath)) {
                errs.invalid(p + ".mountPath", mountPath, "must be unique");
            }
        }
    }

    /** Resource names, quantities and requests ≤ limits (ValidateResourceRequirements). */
    static void validateResources(JsonNode resources, String path, Errs errs) {
        ObjectNode limits = obj(resources, "limits");
        ObjectNode requests = obj(resources, "requests");
        Map<String, Quantity> limitValues = new LinkedHashMap<>();
        if (limits != null) {
            limits.fields().forEachRemaining(e -> {
                String p = path + ".limits[" + e.getKey() + "]";
                validateResourceName(e.getKey(), p, errs);
                Quantity q = quantity(e.getValue(), p, errs);
                if (q != null) {
                    validateQuantityValue(e.getKey(), q, p, errs);
                    limitValues.put(e.getKey(), q);
                }
            });
        }
        if (requests != null) {
            requests.fields().forEachRemaining(e -> {
                String name = e.getKey();
                String p = path + ".requests[" + name + "]";
                validateResourceName(name, p, errs);
                Quantity q = quantity(e.getValue(), p, errs);
                if (q == null) {
                    return;
                }
                validateQuantityValue(name, q, p, errs);
                Quantity limit = limitValues.get(name);
                if (limit != null) {
                    if (q.compareTo(limit) != 0 && !overcommitAllowed(name)) {
                        errs.invalid(path + ".requests", q.toString(), "must be equal to " + name + " limit of " + limit);
                    } else if (q.compareTo(limit) > 0) {
                        errs.invalid(path + ".requests", q.toString(), "must be less than or equal to " + name + " limit of " + limit);
                    }
                } else if (!overcommitAllowed(name) && !(limits != null && limits.has(name))) {
                    errs.required(path + ".limits", "Limit must be set for non overcommitable resources");
                }
            });
        }
    }

    static Quantity quantity(JsonNode value, String path, Errs errs) {
        try {
            return Quantity.fromJson(value);
        } catch (Quantity.QuantityFormatException e) {
            errs.invalid(path, value, e.getMessage());
            return null;
        }
    }

    private static boolean nativeResource(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    private static boolean overcommitAllowed(String name) {
        return nativeResource(name) && !name.startsWith("hugepages-");
    }

    static void validateResourceName(String name, String path, Errs errs) {
        List<String> msgs = Errs.qualifiedName(name);
        errs.invalidAll(path, name, msgs);
        if (!msgs.isEmpty()) {
            return;
        }
        if (!name.contains("/")) {
            if (!(name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage") || name.startsWith("hugepages-"))) {
                errs.invalid(path, name, "must be a standard resource for containers");
            }
        } else if (!nativeResource(name) && name.startsWith("requests.")) {
            errs.invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    static void validateQuantityValue(String name, Quantity q, String path, Errs errs) {
        if (q.signum() < 0) {
            errs.invalid(path, q.toString(), "must be greater than or equal to 0");
        }
        if (!nativeResource(name) && q.milliValue() % 1000 != 0) {
            errs.invalid(path, q.toString(), "must be an integer");
        }
    }

    static void validateTolerations(List<JsonNode> tolerations, String path, Errs errs) {
        for (int i = 0; i < tolerations.size(); i++) {
            JsonNode t = tolerations.get(i);
            String p = path + "[" + i + "]";
            String key = str(t, "key");
            if (!key.isEmpty()) {
                errs.invalidAll(p + ".key", key, Errs.qualifiedName(key));
            }
            String op = str(t, "operator");
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.invalid(p + ".operator", op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (!Json.has(t, "tolerationSeconds") || str(t, "effect").equals("NoExecute")) {
                // fine
            } else {
                errs.invalid(p + ".effect", str(t, "effect"), "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
            switch (op) {
                case "", "Equal" -> {
                    String value = str(t, "value");
                    errs.invalidAll(p + ".value", value, Errs.labelValue(value));
                }
                case "Exists" -> {
                    if (!str(t, "value").isEmpty()) {
                        errs.invalid(p + ".operator", str(t, "value"), "value must be empty when `operator` is 'Exists'");
                    }
                }
                default -> errs.notSupported(p + ".operator", op, TOLERATION_OPERATORS);
            }
            String effect = str(t, "effect");
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                errs.notSupported(p + ".effect", effect, TAINT_EFFECTS);
            }
        }
    }

    /** Pod template: labels and annotations of its metadata, then its spec. */
    static void validateTemplate(JsonNode template, String path, Errs errs) {
        if (template == null) {
            errs.required(path, "");
            return;
        }
        JsonNode meta = obj(template, "metadata");
        ObjectMetaRules.validateLabels(Json.stringMap(meta, "labels"), path + ".metadata.labels", errs);
        ObjectMetaRules.validateAnnotations(Json.stringMap(meta, "annotations"), path + ".metadata.annotations", errs);
        validatePodSpec(obj(template, "spec"), path + ".spec", false, errs);
    }

    /** Defaults of a pod template (SetDefaults_PodSpec reaches templates; SetDefaults_Pod does not). */
    static void defaultTemplate(ObjectNode template) {
        if (template != null) {
            defaultPodSpec(objOrCreate(template, "spec"));
        }
    }
}
