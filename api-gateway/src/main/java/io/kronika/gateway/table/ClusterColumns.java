package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Columns of the networking, storage, rbac, coordination, discovery, scheduling and apiextensions kinds. */
final class ClusterColumns {
    private static final String NAME = "Name must be unique within a namespace.";

    private ClusterColumns() {
    }

    static List<Column> createdAt() {
        return List.of(Column.name(NAME),
                Column.text("Created At", "Timestamp when the object was created.", o -> Cells.text(o.path("metadata").path("creationTimestamp"))));
    }

    static List<Column> ingresses() {
        return List.of(Column.name(NAME),
                Column.text("Class", "The name of the IngressClass resource.", o -> Cells.orNone(Cells.text(o.path("spec").path("ingressClassName")))),
                Column.text("Hosts", "Hosts that incoming requests are matched against before the ingress rule", ClusterColumns::hosts),
                Column.text("Address", "Address is a list containing ingress points for the load-balancer", ClusterColumns::ingressAddress),
                Column.text("Ports", "Ports of TLS configurations that open", o -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"),
                Column.age());
    }

    private static String hosts(JsonNode ingress) {
        Set<String> hosts = new LinkedHashSet<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            if (!rule.path("host").asText("").isEmpty()) {
                hosts.add(rule.path("host").asText());
            }
        }
        if (hosts.isEmpty()) {
            return "*";
        }
        List<String> list = new ArrayList<>(hosts);
        String shown = String.join(",", list.subList(0, Math.min(4, list.size())));
        return list.size() > 4 ? shown + " + " + (list.size() - 4) + " more..." : shown;
    }

    private static String ingressAddress(JsonNode ingress) {
        List<String> out = new ArrayList<>();
        for (JsonNode lb : ingress.path("status").path("loadBalancer").path("ingress")) {
            String value = lb.path("ip").asText(lb.path("hostname").asText(""));
            if (!value.isEmpty()) {
                out.add(value);
            }
        }
        return String.join(",", out);
    }

    static List<Column> storageClasses() {
        return List.of(
                Column.text("Name", NAME, o -> {
                    JsonNode annotations = o.path("metadata").path("annotations");
                    boolean isDefault = "true".equals(annotations.path("storageclass.kubernetes.io/is-default-class").asText())
                            || "true".equals(annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText());
                    return o.path("metadata").path("name").asText() + (isDefault ? " (default)" : "");
                }),
                Column.text("Provisioner", "Indicates the type of the provisioner.", o -> Cells.text(o.path("provisioner"))),
                Column.text("ReclaimPolicy", "Indicates the type of the reclaim policy.", o -> o.path("reclaimPolicy").asText("Delete")),
                Column.text("VolumeBindingMode", "Indicates how PersistentVolumeClaims should be provisioned and bound", o -> o.path("volumeBindingMode").asText("Immediate")),
                Column.text("AllowVolumeExpansion", "Indicates whether the storage class allow volume expand", o -> Boolean.toString(o.path("allowVolumeExpansion").asBoolean(false))),
                Column.age());
    }

    static List<Column> bindings() {
        return List.of(Column.name(NAME),
                Column.text("Role", "RoleRef references the role being bound.", o -> o.path("roleRef").path("kind").asText("") + "/" + o.path("roleRef").path("name").asText("")),
                Column.age(),
                Column.text("Users", "Users in the binding", o -> subjects(o, "User")).wide(),
                Column.text("Groups", "Groups in the binding", o -> subjects(o, "Group")).wide(),
                Column.text("ServiceAccounts", "ServiceAccounts in the binding", o -> subjects(o, "ServiceAccount")).wide());
    }

    private static String subjects(JsonNode binding, String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode subject : binding.path("subjects")) {
            if (kind.equals(subject.path("kind").asText())) {
                out.add(kind.equals("ServiceAccount") ? subject.path("namespace").asText("") + "/" + subject.path("name").asText("")
                        : subject.path("name").asText(""));
            }
        }
        return String.join(", ", out);
    }

    static List<Column> leases() {
        return List.of(Column.name(NAME),
                Column.text("Holder", "The holder of the lease.", o -> Cells.text(o.path("spec").path("holderIdentity"))),
                Column.age());
    }

    static List<Column> endpointSlices() {
        return List.of(Column.name(NAME),
                Column.text("AddressType", "Type of address carried by this EndpointSlice", o -> Cells.text(o.path("addressType"))),
                Column.text("Ports", "Ports advertised by this EndpointSlice", o -> {
                    List<String> ports = new ArrayList<>();
                    o.path("ports").forEach(p -> ports.add(p.path("port").isNumber() ? p.path("port").asText() : ""));
                    return ports.isEmpty() ? "<unset>" : String.join(",", ports);
                }),
                Column.text("Endpoints", "Endpoints represented by this EndpointSlice", o -> {
                    List<String> addresses = new ArrayList<>();
                    o.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> addresses.add(a.asText())));
                    if (addresses.isEmpty()) {
                        return "<unset>";
                    }
                    String shown = String.join(",", addresses.subList(0, Math.min(3, addresses.size())));
                    return addresses.size() > 3 ? shown + " + " + (addresses.size() - 3) + " more..." : shown;
                }),
                Column.age());
    }

    static List<Column> priorityClasses() {
        return List.of(Column.name(NAME),
                Column.number("Value", "The value of this priority class.", o -> o.path("value").asLong()),
                Column.text("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority.",
                        o -> Boolean.toString(o.path("globalDefault").asBoolean(false))),
                Column.age(),
                Column.text("PreemptionPolicy", "PreemptionPolicy is the Policy for preempting pods with lower priority.",
                        o -> o.path("preemptionPolicy").asText("PreemptLowerPriority")));
    }

    static List<Column> controllerRevisions() {
        return List.of(Column.name(NAME),
                Column.text("Controller", "Controller of the object", o -> {
                    for (JsonNode owner : o.path("metadata").path("ownerReferences")) {
                        if (owner.path("controller").asBoolean(false)) {
                            String apiVersion = owner.path("apiVersion").asText("");
                            String group = apiVersion.contains("/") ? "." + apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                            return owner.path("kind").asText("").toLowerCase(java.util.Locale.ROOT) + group + "/" + owner.path("name").asText();
                        }
                    }
                    return Cells.NONE;
                }),
                Column.number("Revision", "Revision indicates the revision of the state represented by Data.", o -> o.path("revision").asLong()),
                Column.age());
    }

    static List<Column> limitRanges() {
        return createdAt();
    }
}
