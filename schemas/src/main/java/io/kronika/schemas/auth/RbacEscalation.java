package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Kubernetes' RBAC privilege-escalation prevention as pure functions. A user may write a Role or ClusterRole only if
 * the rules they hold (in the role's namespace, for a Role) cover every rule it grants, or if they may {@code escalate}
 * roles/clusterroles; a RoleBinding or ClusterRoleBinding only if they hold every rule of the referenced role (in the
 * binding's namespace) or may {@code bind} that role. Members of system:masters may do either.
 */
public final class RbacEscalation {
    public static final String GROUP = BootstrapPolicy.GROUP;
    private static final List<JsonNode> FULL_AUTHORITY = List.of(BootstrapPolicy.rule(List.of("*"), List.of("*"), List.of("*")),
            BootstrapPolicy.nonResourceRule(List.of("*"), List.of("*")));

    /** Why a write was refused: a 403 or a role reference that names nothing (a 404); resource and name are the Status details'. */
    public record Refusal(int code, String reason, String message, String resource, String name) {
    }

    private RbacEscalation() {
    }

    /** Whether writing {@code object} (a Role, ClusterRole, RoleBinding or ClusterRoleBinding; anything else passes) is allowed. */
    public static Optional<Refusal> check(UserInfo user, String kind, String namespace, JsonNode object, RbacObjects rbac) {
        String ns = namespace == null ? "" : namespace;
        String name = object.path("metadata").path("name").asText("");
        if (user.groups().contains(UserInfo.MASTERS)) {
            return Optional.empty();
        }
        switch (kind) {
            case "Role", "ClusterRole" -> {
                String resource = kind.equals("Role") ? "roles" : "clusterroles";
                if (RbacAuthorizer.authorize(RequestAttributes.resource(user, "escalate", GROUP, resource, "", ns, name), rbac).allowed()) {
                    return Optional.empty();
                }
                List<JsonNode> held = RbacAuthorizer.rulesFor(user, ns, rbac);
                List<JsonNode> missing = uncovered(held, list(object.path("rules")));
                if (!missing.isEmpty()) {
                    return Optional.of(forbidden(resource, name, notHeld(user, missing)));
                }
                if (kind.equals("ClusterRole") && object.hasNonNull("aggregationRule") && !uncovered(held, FULL_AUTHORITY).isEmpty()) {
                    return Optional.of(forbidden(resource, name, "must have cluster-admin privileges to use the aggregationRule"));
                }
                return Optional.empty();
            }
            case "RoleBinding", "ClusterRoleBinding" -> {
                String resource = kind.equals("RoleBinding") ? "rolebindings" : "clusterrolebindings";
                JsonNode ref = object.path("roleRef");
                String roleKind = ref.path("kind").asText("");
                String roleName = ref.path("name").asText("");
                String roleResource = roleKind.equals("Role") ? "roles" : "clusterroles";
                // As kube-apiserver: bind is asked in the binding's namespace, whichever kind of role it names.
                if (RbacAuthorizer.authorize(RequestAttributes.resource(user, "bind", GROUP, roleResource, "", ns, roleName), rbac)
                        .allowed()) {
                    return Optional.empty();
                }
                Optional<JsonNode> role = roleKind.equals("Role") ? rbac.role(ns, roleName)
                        : roleKind.equals("ClusterRole") ? rbac.clusterRole(roleName) : Optional.empty();
                if (role.isEmpty()) {
                    return Optional.of(new Refusal(404, "NotFound", roleResource + "." + GROUP + " \"" + roleName + "\" not found", roleResource,
                            roleName));
                }
                List<JsonNode> missing = uncovered(RbacAuthorizer.rulesFor(user, ns, rbac), list(role.get().path("rules")));
                return missing.isEmpty() ? Optional.empty() : Optional.of(forbidden(resource, name, notHeld(user, missing)));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Whether {@code owner} covers every rule of {@code requested} (Kubernetes' validation.Covers). */
    public static boolean covers(List<JsonNode> owner, List<JsonNode> requested) {
        return uncovered(owner, requested).isEmpty();
    }

    /** The atomic rules (one verb, group, resource and name, or one verb and URL) of {@code requested} that no rule of {@code owner} covers. */
    public static List<JsonNode> uncovered(List<JsonNode> owner, List<JsonNode> requested) {
        List<JsonNode> missing = new ArrayList<>();
        for (JsonNode rule : requested) {
            for (JsonNode atomic : breakdown(rule)) {
                if (owner.stream().noneMatch(o -> ruleCovers(o, atomic))) {
                    missing.add(atomic);
                }
            }
        }
        return missing;
    }

    /** A rule split into rules of one verb and one group, resource and resource name, or one verb and one non-resource URL. */
    static List<JsonNode> breakdown(JsonNode rule) {
        List<JsonNode> atomic = new ArrayList<>();
        List<String> names = strings(rule.path("resourceNames"));
        for (String group : strings(rule.path("apiGroups"))) {
            for (String resource : strings(rule.path("resources"))) {
                for (String verb : strings(rule.path("verbs"))) {
                    if (names.isEmpty()) {
                        atomic.add(ruleOf(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
                    }
                    for (String name : names) {
                        atomic.add(ruleOf(List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
                    }
                }
            }
        }
        for (String url : strings(rule.path("nonResourceURLs"))) {
            for (String verb : strings(rule.path("verbs"))) {
                atomic.add(ruleOf(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
            }
        }
        return atomic;
    }

    static boolean ruleCovers(JsonNode owner, JsonNode sub) {
        List<String> ownerNames = strings(owner.path("resourceNames"));
        List<String> subNames = strings(sub.path("resourceNames"));
        boolean namesMatch = ownerNames.isEmpty() || (!subNames.isEmpty() && ownerNames.containsAll(subNames));
        return hasAllOrStar(strings(owner.path("verbs")), strings(sub.path("verbs")))
                && hasAllOrStar(strings(owner.path("apiGroups")), strings(sub.path("apiGroups")))
                && resourcesCover(strings(owner.path("resources")), strings(sub.path("resources")))
                && urlsCover(strings(owner.path("nonResourceURLs")), strings(sub.path("nonResourceURLs")))
                && namesMatch;
    }

    private static boolean hasAllOrStar(List<String> owner, List<String> sub) {
        return owner.contains("*") || owner.containsAll(sub);
    }

    /** A star covers every resource; a star before a subresource (as in star-slash-status) covers that subresource of every resource. */
    private static boolean resourcesCover(List<String> owner, List<String> sub) {
        if (owner.contains("*")) {
            return true;
        }
        for (String resource : sub) {
            int slash = resource.indexOf('/');
            if (!owner.contains(resource) && (slash < 0 || !owner.contains("*" + resource.substring(slash)))) {
                return false;
            }
        }
        return true;
    }

    /** A URL ending in {@code *} covers every URL (and pattern) starting with what precedes the stars. */
    private static boolean urlsCover(List<String> owner, List<String> sub) {
        for (String url : sub) {
            boolean covered = owner.stream().anyMatch(o -> o.equals(url)
                    || (o.endsWith("*") && url.startsWith(o.replaceAll("\\*+$", ""))));
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /** kube-apiserver's words: {@code user "u" (groups=["a" "b"]) is attempting to grant RBAC permissions not currently held:} and the rules. */
    static String notHeld(UserInfo user, List<JsonNode> missing) {
        TreeSet<String> described = new TreeSet<>();
        for (JsonNode rule : compact(missing)) {
            described.add(compactString(rule));
        }
        return "user " + quote(user.name()) + " (groups=" + quoted(user.groups()) + ") is attempting to grant RBAC permissions not currently held:\n"
                + String.join("\n", described);
    }

    /** Atomic rules of one group, one resource and at most one name merged into one rule with all their verbs (CompactRules). */
    static List<JsonNode> compact(List<JsonNode> rules) {
        Map<String, ObjectNode> simple = new LinkedHashMap<>();
        List<JsonNode> compacted = new ArrayList<>();
        for (JsonNode rule : rules) {
            List<String> groups = strings(rule.path("apiGroups"));
            List<String> resources = strings(rule.path("resources"));
            List<String> names = strings(rule.path("resourceNames"));
            if (!rule.path("nonResourceURLs").isEmpty() || groups.size() != 1 || resources.size() != 1 || names.size() > 1) {
                compacted.add(rule);
                continue;
            }
            String key = groups.get(0) + "\u0000" + resources.get(0) + "\u0000" + names;
            ObjectNode existing = simple.get(key);
            if (existing == null) {
                simple.put(key, rule.deepCopy());
            } else {
                rule.path("verbs").forEach(v -> ((ArrayNode) existing.path("verbs")).add(v.asText()));
            }
        }
        compacted.addAll(simple.values());
        return compacted;
    }

    /** PolicyRule.CompactString: {@code {APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}}, empty fields left out. */
    static String compactString(JsonNode rule) {
        List<String> parts = new ArrayList<>();
        part(parts, "APIGroups", rule.path("apiGroups"));
        part(parts, "Resources", rule.path("resources"));
        part(parts, "NonResourceURLs", rule.path("nonResourceURLs"));
        part(parts, "ResourceNames", rule.path("resourceNames"));
        part(parts, "Verbs", rule.path("verbs"));
        return "{" + String.join(", ", parts) + "}";
    }

    private static void part(List<String> parts, String label, JsonNode values) {
        if (!values.isEmpty()) {
            parts.add(label + ":" + quoted(strings(values)));
        }
    }

    private static Refusal forbidden(String resource, String name, String why) {
        return new Refusal(403, "Forbidden", resource + "." + GROUP + " \"" + name + "\" is forbidden: " + why, resource, name);
    }

    private static ObjectNode ruleOf(List<String> verbs, List<String> groups, List<String> resources, List<String> names, List<String> urls) {
        ObjectNode rule = JsonTrees.object();
        put(rule, "verbs", verbs);
        put(rule, "apiGroups", groups);
        put(rule, "resources", resources);
        put(rule, "resourceNames", names);
        put(rule, "nonResourceURLs", urls);
        return rule;
    }

    private static void put(ObjectNode rule, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = rule.putArray(field);
            values.forEach(array::add);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Go's %q of a []string: {@code ["a" "b"]}. */
    private static String quoted(List<String> values) {
        List<String> each = new ArrayList<>();
        values.forEach(v -> each.add(quote(v)));
        return "[" + String.join(" ", each) + "]";
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
