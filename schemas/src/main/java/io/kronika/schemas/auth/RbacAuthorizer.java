package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes RBAC as a pure function: request attributes and the RBAC objects in, allow or deny with the reason out.
 * Cluster role bindings apply everywhere; role bindings in the request's namespace, to a Role of that namespace or a
 * ClusterRole. Members of system:masters are allowed everything (kube-apiserver's privileged group), so a cluster
 * can be bootstrapped before any role exists. Denial is the default: nothing allows, nothing is allowed.
 */
public final class RbacAuthorizer {
    private RbacAuthorizer() {
    }

    public static AuthorizationDecision authorize(RequestAttributes request, RbacObjects rbac) {
        UserInfo user = request.user();
        if (user.groups().contains(UserInfo.MASTERS)) {
            return AuthorizationDecision.allow("RBAC: allowed to members of group \"" + UserInfo.MASTERS + "\"");
        }
        for (JsonNode binding : rbac.clusterRoleBindings()) {
            Optional<String> subject = matchingSubject(binding, user, "");
            if (subject.isEmpty()) {
                continue;
            }
            Optional<JsonNode> role = roleOf(binding, "", rbac);
            if (role.isPresent() && anyRuleAllows(role.get(), request)) {
                return AuthorizationDecision.allow("RBAC: allowed by ClusterRoleBinding \"" + name(binding) + "\" of ClusterRole \""
                        + text(binding.path("roleRef"), "name") + "\" to " + subject.get());
            }
        }
        if (request.resourceRequest() && !request.namespace().isEmpty()) {
            for (JsonNode binding : rbac.roleBindings(request.namespace())) {
                Optional<String> subject = matchingSubject(binding, user, request.namespace());
                if (subject.isEmpty()) {
                    continue;
                }
                Optional<JsonNode> role = roleOf(binding, request.namespace(), rbac);
                if (role.isPresent() && anyRuleAllows(role.get(), request)) {
                    return AuthorizationDecision.allow("RBAC: allowed by RoleBinding \"" + name(binding) + "/" + request.namespace()
                            + "\" of " + text(binding.path("roleRef"), "kind") + " \"" + text(binding.path("roleRef"), "name")
                            + "\" to " + subject.get());
                }
            }
        }
        return AuthorizationDecision.deny("");
    }

    /** Every rule that applies to {@code user} in {@code namespace} (cluster-wide ones included), for SelfSubjectRulesReview. */
    public static List<JsonNode> rulesFor(UserInfo user, String namespace, RbacObjects rbac) {
        List<JsonNode> rules = new ArrayList<>();
        if (user.groups().contains(UserInfo.MASTERS)) {
            rules.add(BootstrapPolicy.rule(List.of("*"), List.of("*"), List.of("*")));
            rules.add(BootstrapPolicy.nonResourceRule(List.of("*"), List.of("*")));
        }
        for (JsonNode binding : rbac.clusterRoleBindings()) {
            if (matchingSubject(binding, user, "").isPresent()) {
                roleOf(binding, "", rbac).ifPresent(role -> role.path("rules").forEach(rules::add));
            }
        }
        if (namespace != null && !namespace.isEmpty()) {
            for (JsonNode binding : rbac.roleBindings(namespace)) {
                if (matchingSubject(binding, user, namespace).isPresent()) {
                    roleOf(binding, namespace, rbac).ifPresent(role -> role.path("rules").forEach(rules::add));
                }
            }
        }
        return rules;
    }

    /**
     * The message of a 403 as kube-apiserver words it, e.g. {@code User "jane" cannot list resource "pods" in API
     * group "" in the namespace "default"}; the Status message puts {@code pods is forbidden: } before it.
     */
    public static String forbiddenReason(RequestAttributes request) {
        String who = "User \"" + request.user().name() + "\" cannot " + request.verb();
        if (!request.resourceRequest()) {
            return who + " path \"" + request.path() + "\"";
        }
        String what = who + " resource \"" + request.combinedResource() + "\" in API group \"" + request.apiGroup() + "\"";
        return request.namespace().isEmpty() ? what + " at the cluster scope" : what + " in the namespace \"" + request.namespace() + "\"";
    }

    /** The full 403 Status message: {@code pods "web" is forbidden: User …} or {@code forbidden: User … path …}. */
    public static String forbiddenMessage(RequestAttributes request) {
        if (!request.resourceRequest()) {
            return "forbidden: " + forbiddenReason(request);
        }
        String qualified = request.apiGroup().isEmpty() ? request.combinedResource() : request.resource() + "." + request.apiGroup()
                + (request.subresource().isEmpty() ? "" : "/" + request.subresource());
        return qualified + (request.name().isEmpty() ? "" : " \"" + request.name() + "\"") + " is forbidden: " + forbiddenReason(request);
    }

    private static Optional<JsonNode> roleOf(JsonNode binding, String namespace, RbacObjects rbac) {
        JsonNode ref = binding.path("roleRef");
        String kind = text(ref, "kind");
        String roleName = text(ref, "name");
        if ("ClusterRole".equals(kind)) {
            return rbac.clusterRole(roleName);
        }
        if ("Role".equals(kind) && !namespace.isEmpty()) {
            return rbac.role(namespace, roleName);
        }
        return Optional.empty();
    }

    /** The subject of {@code binding} that names the user, described as Kubernetes does ({@code User "jane"}). */
    private static Optional<String> matchingSubject(JsonNode binding, UserInfo user, String bindingNamespace) {
        for (JsonNode subject : binding.path("subjects")) {
            String kind = text(subject, "kind");
            String subjectName = text(subject, "name");
            switch (kind) {
                case "User" -> {
                    if (subjectName.equals(user.name())) {
                        return Optional.of("User \"" + subjectName + "\"");
                    }
                }
                case "Group" -> {
                    if (user.groups().contains(subjectName)) {
                        return Optional.of("Group \"" + subjectName + "\"");
                    }
                }
                case "ServiceAccount" -> {
                    String ns = text(subject, "namespace");
                    ns = ns.isEmpty() ? bindingNamespace : ns;
                    if (!ns.isEmpty() && UserInfo.serviceAccountName(ns, subjectName).equals(user.name())) {
                        return Optional.of("ServiceAccount \"" + subjectName + "/" + ns + "\"");
                    }
                }
                default -> {
                }
            }
        }
        return Optional.empty();
    }

    private static boolean anyRuleAllows(JsonNode role, RequestAttributes request) {
        for (JsonNode rule : role.path("rules")) {
            if (ruleAllows(rule, request)) {
                return true;
            }
        }
        return false;
    }

    /** One PolicyRule against the request, with kube-apiserver's matching of wildcards and subresources. */
    public static boolean ruleAllows(JsonNode rule, RequestAttributes request) {
        if (!contains(rule.path("verbs"), request.verb())) {
            return false;
        }
        if (!request.resourceRequest()) {
            for (JsonNode url : rule.path("nonResourceURLs")) {
                String pattern = url.asText();
                if (pattern.equals("*") || pattern.equals(request.path())
                        || (pattern.endsWith("*") && request.path().startsWith(pattern.substring(0, pattern.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }
        if (!contains(rule.path("apiGroups"), request.apiGroup()) || !resourceMatches(rule.path("resources"), request)) {
            return false;
        }
        JsonNode names = rule.path("resourceNames");
        return names.isEmpty() || contains(names, request.name()) && !request.name().isEmpty();
    }

    private static boolean resourceMatches(JsonNode resources, RequestAttributes request) {
        String combined = request.combinedResource();
        for (JsonNode r : resources) {
            String resource = r.asText();
            if (resource.equals("*") || resource.equals(combined)
                    || (!request.subresource().isEmpty() && resource.equals("*/" + request.subresource()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode values, String wanted) {
        for (JsonNode v : values) {
            if (v.asText().equals("*") || v.asText().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String name(JsonNode object) {
        return text(object.path("metadata"), "name");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : "";
    }
}
