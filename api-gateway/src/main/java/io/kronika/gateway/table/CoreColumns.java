package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Columns of the core/v1 kinds other than pods, as kube-apiserver prints them. */
final class CoreColumns {
    private static final String NAME = "Name must be unique within a namespace.";

    private CoreColumns() {
    }

    static List<Column> services() {
        return List.of(Column.name(NAME),
                Column.text("Type", "type determines how the Service is exposed.", o -> Cells.text(o.path("spec").path("type"))),
                Column.text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly.",
                        o -> Cells.orNone(Cells.text(o.path("spec").path("clusterIP")))),
                Column.text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
                        CoreColumns::externalIp),
                Column.text("Port(s)", "The list of ports that are exposed by this service.", CoreColumns::ports),
                Column.age(),
                Column.text("Selector", "Route service traffic to pods with label keys and values matching this selector.",
                        o -> Cells.labels(o.path("spec").path("selector"))).wide());
    }

    private static String externalIp(JsonNode service) {
        JsonNode spec = service.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        List<String> ips = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> ips.add(ip.asText()));
        switch (type) {
            case "ExternalName" -> {
                return Cells.text(spec.path("externalName"));
            }
            case "LoadBalancer" -> {
                List<String> all = new ArrayList<>();
                for (JsonNode ingress : service.path("status").path("loadBalancer").path("ingress")) {
                    String value = ingress.path("ip").asText(ingress.path("hostname").asText(""));
                    if (!value.isEmpty()) {
                        all.add(value);
                    }
                }
                all.addAll(ips);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            default -> {
                return ips.isEmpty() ? Cells.NONE : String.join(",", ips);
            }
        }
    }

    private static String ports(JsonNode service) {
        List<String> out = new ArrayList<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            String protocol = port.path("protocol").asText("TCP");
            long nodePort = port.path("nodePort").asLong(0);
            out.add(nodePort > 0 ? port.path("port").asLong() + ":" + nodePort + "/" + protocol : port.path("port").asLong() + "/" + protocol);
        }
        return out.isEmpty() ? Cells.NONE : String.join(",", out);
    }

    static List<Column> nodes() {
        return List.of(Column.name("Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically."),
                Column.text("Status", "The status of the node", CoreColumns::nodeStatus),
                Column.text("Roles", "The roles of the node", CoreColumns::roles),
                Column.age(),
                Column.text("Version", "Kubelet Version reported by the node.", o -> Cells.text(o.path("status").path("nodeInfo").path("kubeletVersion"))),
                Column.text("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", o -> address(o, "InternalIP")).wide(),
                Column.text("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", o -> address(o, "ExternalIP")).wide(),
                Column.text("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
                        o -> Cells.orNone(Cells.text(o.path("status").path("nodeInfo").path("osImage")))).wide(),
                Column.text("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
                        o -> Cells.orNone(Cells.text(o.path("status").path("nodeInfo").path("kernelVersion")))).wide(),
                Column.text("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
                        o -> Cells.orNone(Cells.text(o.path("status").path("nodeInfo").path("containerRuntimeVersion")))).wide());
    }

    private static String nodeStatus(JsonNode node) {
        String status = "Unknown";
        for (JsonNode condition : node.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                status = switch (condition.path("status").asText()) {
                    case "True" -> "Ready";
                    case "False" -> "NotReady";
                    default -> "Unknown";
                };
            }
        }
        return node.path("spec").path("unschedulable").asBoolean(false) ? status + ",SchedulingDisabled" : status;
    }

    private static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        node.path("metadata").path("labels").fields().forEachRemaining(label -> {
            if (label.getKey().startsWith("node-role.kubernetes.io/")) {
                String role = label.getKey().substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (label.getKey().equals("kubernetes.io/role") && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
            }
        });
        return roles.isEmpty() ? Cells.NONE : String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode address : node.path("status").path("addresses")) {
            if (type.equals(address.path("type").asText())) {
                return address.path("address").asText();
            }
        }
        return Cells.NONE;
    }

    static List<Column> namespaces() {
        return List.of(Column.name("Name must be unique within a namespace."),
                Column.text("Status", "The status of the namespace", o -> Cells.text(o.path("status").path("phase"))),
                Column.age());
    }

    static List<Column> events() {
        return List.of(
                new Column("Last Seen", "string", "", "The last time this event was observed.", 0, (o, now) -> Cells.age(lastSeen(o), now)),
                Column.text("Type", "Type of this event (Normal, Warning), new types could be added in the future.", o -> Cells.text(o.path("type"))),
                Column.text("Reason", "The reason this event is generated.", o -> Cells.text(o.path("reason"))),
                Column.text("Object", "The object that this event is about.", o -> o.path("involvedObject").path("kind").asText("").toLowerCase(java.util.Locale.ROOT)
                        + "/" + o.path("involvedObject").path("name").asText("")),
                Column.text("Subobject", "The subcomponent this event is about.", o -> Cells.text(o.path("involvedObject").path("fieldPath"))).wide(),
                Column.text("Source", "The component reporting this event.", CoreColumns::source).wide(),
                Column.text("Message", "A human-readable description of the status of this operation.", o -> Cells.text(o.path("message"))),
                new Column("First Seen", "string", "", "The first time this event was observed.", 1,
                        (o, now) -> Cells.age(o.path("firstTimestamp").isTextual() ? o.path("firstTimestamp") : o.path("eventTime"), now)),
                Column.number("Count", "The number of times this event has occurred.", o -> Math.max(1, o.path("count").asLong(1))).wide(),
                Column.text("Name", "The name of this event.", o -> Cells.text(o.path("metadata").path("name"))).wide());
    }

    private static JsonNode lastSeen(JsonNode event) {
        for (String field : new String[]{"lastTimestamp", "eventTime", "firstTimestamp"}) {
            if (event.path(field).isTextual()) {
                return event.path(field);
            }
        }
        return event.path("metadata").path("creationTimestamp");
    }

    private static String source(JsonNode event) {
        String component = event.path("source").path("component").asText(event.path("reportingComponent").asText(""));
        String host = event.path("source").path("host").asText("");
        return host.isEmpty() ? component : component + ", " + host;
    }

    static List<Column> configMaps() {
        return List.of(Column.name(NAME),
                Column.number("Data", "Data contains the configuration data.", o -> o.path("data").size() + o.path("binaryData").size()),
                Column.age());
    }

    static List<Column> secrets() {
        return List.of(Column.name(NAME),
                Column.text("Type", "The type of the secret", o -> Cells.text(o.path("type"))),
                Column.number("Data", "The number of entries in the data", o -> o.path("data").size()),
                Column.age());
    }

    static List<Column> serviceAccounts() {
        return List.of(Column.name(NAME),
                Column.number("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
                        o -> o.path("secrets").size()),
                Column.age());
    }

    static List<Column> endpoints() {
        return List.of(Column.name(NAME),
                Column.text("Endpoints", "Endpoints is the list of endpoints.", CoreColumns::endpointList),
                Column.age());
    }

    private static String endpointList(JsonNode endpoints) {
        List<String> all = new ArrayList<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            for (JsonNode address : subset.path("addresses")) {
                if (subset.path("ports").isEmpty()) {
                    all.add(address.path("ip").asText());
                }
                for (JsonNode port : subset.path("ports")) {
                    all.add(address.path("ip").asText() + ":" + port.path("port").asLong());
                }
            }
        }
        if (all.isEmpty()) {
            return Cells.NONE;
        }
        String shown = String.join(",", all.subList(0, Math.min(3, all.size())));
        return all.size() > 3 ? shown + " + " + (all.size() - 3) + " more..." : shown;
    }

    static List<Column> persistentVolumes() {
        return List.of(Column.name(NAME),
                Column.text("Capacity", "capacity is the description of the persistent volume's resources and capacity.",
                        o -> Cells.text(o.path("spec").path("capacity").path("storage"))),
                Column.text("Access Modes", "accessModes contains all ways the volume can be mounted.", o -> accessModes(o.path("spec").path("accessModes"))),
                Column.text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.",
                        o -> Cells.text(o.path("spec").path("persistentVolumeReclaimPolicy"))),
                Column.text("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim.",
                        o -> o.path("metadata").path("deletionTimestamp").isTextual() ? "Terminating" : Cells.text(o.path("status").path("phase"))),
                Column.text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.", CoreColumns::claim),
                Column.text("StorageClass", "storageClassName is the name of StorageClass to which this persistent volume belongs.",
                        o -> Cells.text(o.path("spec").path("storageClassName"))),
                Column.text("VolumeAttributesClass", "Name of VolumeAttributesClass to which this persistent volume belongs.",
                        o -> o.path("spec").path("volumeAttributesClassName").isTextual() ? o.path("spec").path("volumeAttributesClassName").asText() : "<unset>"),
                Column.text("Reason", "reason is a brief CamelCase string that describes any failure.", o -> Cells.text(o.path("status").path("reason"))),
                Column.age(),
                Column.text("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.",
                        o -> o.path("spec").path("volumeMode").asText("Filesystem")).wide());
    }

    private static String claim(JsonNode pv) {
        JsonNode ref = pv.path("spec").path("claimRef");
        return ref.isObject() ? ref.path("namespace").asText("") + "/" + ref.path("name").asText("") : "";
    }

    static List<Column> persistentVolumeClaims() {
        return List.of(Column.name(NAME),
                Column.text("Status", "phase represents the current phase of PersistentVolumeClaim.",
                        o -> o.path("metadata").path("deletionTimestamp").isTextual() ? "Terminating" : Cells.text(o.path("status").path("phase"))),
                Column.text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim.", o -> Cells.text(o.path("spec").path("volumeName"))),
                Column.text("Capacity", "capacity represents the actual resources of the underlying volume.",
                        o -> Cells.text(o.path("status").path("capacity").path("storage"))),
                Column.text("Access Modes", "accessModes contains the desired access modes the volume should have.", o -> accessModes(o.path("status").path("accessModes"))),
                Column.text("StorageClass", "storageClassName is the name of the StorageClass required by the claim.", o -> Cells.text(o.path("spec").path("storageClassName"))),
                Column.text("VolumeAttributesClass", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.",
                        o -> o.path("spec").path("volumeAttributesClassName").isTextual() ? o.path("spec").path("volumeAttributesClassName").asText() : "<unset>"),
                Column.age(),
                Column.text("VolumeMode", "volumeMode defines what type of volume is required by the claim.", o -> o.path("spec").path("volumeMode").asText("Filesystem")).wide());
    }

    private static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        for (String mode : new String[]{"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"}) {
            for (JsonNode m : modes) {
                if (mode.equals(m.asText()) && !out.contains(abbreviation(mode))) {
                    out.add(abbreviation(mode));
                }
            }
        }
        return String.join(",", out);
    }

    private static String abbreviation(String mode) {
        return switch (mode) {
            case "ReadWriteOnce" -> "RWO";
            case "ReadOnlyMany" -> "ROX";
            case "ReadWriteMany" -> "RWX";
            default -> "RWOP";
        };
    }

    static List<Column> resourceQuotas() {
        return List.of(Column.name(NAME), Column.age(),
                Column.text("Request", "Request represents a minimum amount of cpu/memory that a container may consume.", o -> quota(o, false)),
                Column.text("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.", o -> quota(o, true)));
    }

    private static String quota(JsonNode quota, boolean limits) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        quota.path("spec").path("hard").fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.startsWith("limits.") != limits) {
                continue;
            }
            String used = quota.path("status").path("used").path(name).asText("0");
            out.add(name + ": " + used + "/" + quota.path("spec").path("hard").path(name).asText());
        }
        return String.join(", ", out);
    }
}
