package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles and bindings every cluster starts with, after kube-apiserver's bootstrap policy: cluster-admin, the
 * user-facing admin/edit/view (aggregated from {@code system:aggregate-to-*} roles), discovery and basic-user for every
 * authenticated user, and least-privilege roles of the components (scheduler, controller manager, nodes, proxy).
 */
public final class BootstrapPolicy {
    public static final String GROUP = "rbac.authorization.k8s.io";
    public static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");

    private BootstrapPolicy() {
    }

    public static ObjectNode rule(List<String> verbs, List<String> apiGroups, List<String> resources) {
        ObjectNode rule = JsonTrees.object();
        strings(rule.putArray("verbs"), verbs);
        strings(rule.putArray("apiGroups"), apiGroups);
        strings(rule.putArray("resources"), resources);
        return rule;
    }

    public static ObjectNode nonResourceRule(List<String> verbs, List<String> urls) {
        ObjectNode rule = JsonTrees.object();
        strings(rule.putArray("verbs"), verbs);
        strings(rule.putArray("nonResourceURLs"), urls);
        return rule;
    }

    /** The default ClusterRoles, aggregated ones already holding the union of what they select. */
    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        roles.add(clusterRole("cluster-admin", Map.of(), List.of(rule(List.of("*"), List.of("*"), List.of("*")),
                nonResourceRule(List.of("*"), List.of("*")))));
        roles.add(clusterRole("system:discovery", Map.of(), List.of(nonResourceRule(List.of("get"), List.of("/api", "/api/*", "/apis",
                "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/", "/openapi", "/openapi/*")))));
        roles.add(clusterRole("system:public-info-viewer", Map.of(), List.of(nonResourceRule(List.of("get"),
                List.of("/healthz", "/livez", "/readyz", "/version", "/version/")))));
        roles.add(clusterRole("system:basic-user", Map.of(), List.of(
                rule(List.of("create"), List.of("authorization.k8s.io"), List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
                rule(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews")))));
        roles.add(clusterRole("system:monitoring", Map.of(), List.of(nonResourceRule(List.of("get"),
                List.of("/metrics", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*", "/healthz/*")))));
        roles.add(clusterRole("system:auth-delegator", Map.of(), List.of(
                rule(List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews")),
                rule(List.of("create"), List.of("authorization.k8s.io"), List.of("subjectaccessreviews")))));

        List<ObjectNode> toView = viewRules();
        List<ObjectNode> toEdit = editRules();
        List<ObjectNode> toAdmin = adminRules();
        roles.add(clusterRole("system:aggregate-to-view", Map.of(AGGREGATE_TO + "view", "true"), toView));
        roles.add(clusterRole("system:aggregate-to-edit", Map.of(AGGREGATE_TO + "edit", "true"), toEdit));
        roles.add(clusterRole("system:aggregate-to-admin", Map.of(AGGREGATE_TO + "admin", "true"), toAdmin));
        // The order the aggregation controller produces: selected roles by name, rules not seen before appended.
        roles.add(aggregated("view", Map.of(AGGREGATE_TO + "edit", "true"), "view", union(toView)));
        roles.add(aggregated("edit", Map.of(AGGREGATE_TO + "admin", "true"), "edit", union(toEdit, toView)));
        roles.add(aggregated("admin", Map.of(), "admin", union(union(toEdit, toView), toAdmin)));

        roles.add(clusterRole("system:kube-scheduler", Map.of(), List.of(
                rule(READ, List.of(""), List.of("nodes", "pods", "namespaces", "persistentvolumeclaims", "persistentvolumes",
                        "replicationcontrollers", "services")),
                rule(READ, List.of("apps"), List.of("replicasets", "statefulsets")),
                rule(READ, List.of("storage.k8s.io"), List.of("storageclasses", "csinodes", "csidrivers", "csistoragecapacities")),
                rule(READ, List.of("policy"), List.of("poddisruptionbudgets")),
                rule(List.of("create"), List.of(""), List.of("pods/binding", "bindings")),
                rule(List.of("patch", "update"), List.of(""), List.of("pods/status")),
                rule(List.of("delete"), List.of(""), List.of("pods")),
                rule(List.of("create", "patch", "update"), List.of("", "events.k8s.io"), List.of("events")),
                rule(List.of("create", "get", "update"), List.of("coordination.k8s.io"), List.of("leases")))));
        roles.add(clusterRole("system:kube-controller-manager", Map.of(), List.of(
                rule(List.of("*"), List.of("*"), List.of("*")))));
        roles.add(clusterRole("system:node", Map.of(), List.of(
                rule(READ, List.of(""), List.of("pods", "services", "endpoints", "nodes", "configmaps", "secrets",
                        "persistentvolumeclaims", "persistentvolumes")),
                rule(List.of("create", "get", "list", "watch", "update", "patch", "delete"), List.of(""), List.of("nodes", "nodes/status")),
                rule(List.of("update", "patch"), List.of(""), List.of("pods/status")),
                rule(List.of("create", "delete"), List.of(""), List.of("pods", "pods/eviction")),
                rule(List.of("create", "patch", "update"), List.of("", "events.k8s.io"), List.of("events")),
                rule(List.of("create", "delete", "get", "patch", "update"), List.of("coordination.k8s.io"), List.of("leases")),
                rule(List.of("create"), List.of(""), List.of("serviceaccounts/token")))));
        roles.add(clusterRole("system:node-proxier", Map.of(), List.of(
                rule(READ, List.of(""), List.of("endpoints", "services", "nodes")),
                rule(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
                rule(List.of("create", "patch", "update"), List.of("", "events.k8s.io"), List.of("events")))));
        return roles;
    }

    /** The default ClusterRoleBindings. */
    public static List<ObjectNode> clusterRoleBindings() {
        List<ObjectNode> bindings = new ArrayList<>();
        bindings.add(clusterRoleBinding("cluster-admin", "cluster-admin", subject("Group", UserInfo.MASTERS)));
        bindings.add(clusterRoleBinding("system:discovery", "system:discovery", subject("Group", UserInfo.AUTHENTICATED)));
        bindings.add(clusterRoleBinding("system:basic-user", "system:basic-user", subject("Group", UserInfo.AUTHENTICATED)));
        bindings.add(clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer",
                subject("Group", UserInfo.AUTHENTICATED), subject("Group", UserInfo.UNAUTHENTICATED)));
        bindings.add(clusterRoleBinding("system:kube-scheduler", "system:kube-scheduler", subject("User", "system:kube-scheduler")));
        bindings.add(clusterRoleBinding("system:kube-controller-manager", "system:kube-controller-manager",
                subject("User", "system:kube-controller-manager")));
        bindings.add(clusterRoleBinding("system:node", "system:node", subject("Group", "system:nodes")));
        bindings.add(clusterRoleBinding("system:node-proxier", "system:node-proxier", subject("User", "system:kube-proxy")));
        return bindings;
    }

    private static List<ObjectNode> viewRules() {
        return List.of(
                rule(READ, List.of(""), List.of("pods", "pods/log", "pods/status", "configmaps", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "replicationcontrollers", "replicationcontrollers/scale",
                        "replicationcontrollers/status", "serviceaccounts", "services", "services/status", "bindings", "events",
                        "limitranges", "resourcequotas", "resourcequotas/status", "namespaces", "namespaces/status")),
                rule(READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
                        "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
                        "statefulsets", "statefulsets/scale", "statefulsets/status")),
                rule(READ, List.of("autoscaling"), List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status")),
                rule(READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
                rule(READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status")),
                rule(READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status", "networkpolicies")),
                rule(READ, List.of("discovery.k8s.io"), List.of("endpointslices")));
    }

    private static List<ObjectNode> editRules() {
        return List.of(
                rule(List.of("create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"), List.of(""),
                        List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "configmaps", "events",
                                "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "services",
                                "services/proxy", "endpoints", "serviceaccounts")),
                rule(List.of("create"), List.of(""), List.of("pods/eviction", "serviceaccounts/token")),
                rule(WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                        "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale")),
                rule(WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers")),
                rule(WRITE, List.of("batch"), List.of("cronjobs", "jobs")),
                rule(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
                rule(WRITE, List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies")),
                rule(WRITE, List.of("discovery.k8s.io"), List.of("endpointslices")));
    }

    private static List<ObjectNode> adminRules() {
        return List.of(
                rule(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews")),
                rule(List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"), List.of(GROUP),
                        List.of("rolebindings", "roles")));
    }

    @SafeVarargs
    private static List<ObjectNode> union(List<ObjectNode>... lists) {
        Set<ObjectNode> seen = new LinkedHashSet<>();
        for (List<ObjectNode> list : lists) {
            seen.addAll(list);
        }
        return List.copyOf(seen);
    }

    private static ObjectNode aggregated(String name, Map<String, String> labels, String selects, List<ObjectNode> rules) {
        ObjectNode role = clusterRole(name, labels, rules);
        ObjectNode selector = role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject();
        selector.putObject("matchLabels").put(AGGREGATE_TO + selects, "true");
        return role;
    }

    private static ObjectNode clusterRole(String name, Map<String, String> labels, List<ObjectNode> rules) {
        ObjectNode role = meta("ClusterRole", name);
        ObjectNode labelNode = ((ObjectNode) role.get("metadata")).putObject("labels");
        labelNode.put("kubernetes.io/bootstrapping", "rbac-defaults");
        labels.forEach(labelNode::put);
        ArrayNode array = role.putArray("rules");
        rules.forEach(r -> array.add(r.deepCopy()));
        return role;
    }

    private static ObjectNode clusterRoleBinding(String name, String role, ObjectNode... subjects) {
        ObjectNode binding = meta("ClusterRoleBinding", name);
        ((ObjectNode) binding.get("metadata")).putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        ObjectNode ref = binding.putObject("roleRef");
        ref.put("apiGroup", GROUP);
        ref.put("kind", "ClusterRole");
        ref.put("name", role);
        ArrayNode array = binding.putArray("subjects");
        for (ObjectNode s : subjects) {
            array.add(s);
        }
        return binding;
    }

    public static ObjectNode subject(String kind, String name) {
        ObjectNode subject = JsonTrees.object();
        subject.put("kind", kind);
        if (!kind.equals("ServiceAccount")) {
            subject.put("apiGroup", GROUP);
        }
        subject.put("name", name);
        return subject;
    }

    private static ObjectNode meta(String kind, String name) {
        ObjectNode object = JsonTrees.object();
        object.put("apiVersion", GROUP + "/v1");
        object.put("kind", kind);
        object.putObject("metadata").put("name", name);
        return object;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
