package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RBAC objects in lists, for the pure RBAC tests: the bootstrap cluster roles and bindings plus whatever a test adds,
 * and builders for the objects tests add.
 */
final class InMemoryRbac implements RbacObjects {
    final List<JsonNode> clusterRoles = new ArrayList<>(BootstrapPolicy.clusterRoles());
    final List<JsonNode> clusterBindings = new ArrayList<>(BootstrapPolicy.clusterRoleBindings());
    final List<JsonNode> roles = new ArrayList<>();
    final List<JsonNode> roleBindings = new ArrayList<>();

    @Override
    public Optional<JsonNode> role(String namespace, String name) {
        return roles.stream().filter(r -> named(r, name) && r.path("metadata").path("namespace").asText().equals(namespace)).findFirst();
    }

    @Override
    public Optional<JsonNode> clusterRole(String name) {
        return clusterRoles.stream().filter(r -> named(r, name)).findFirst();
    }

    @Override
    public List<JsonNode> roleBindings(String namespace) {
        return roleBindings.stream().filter(b -> b.path("metadata").path("namespace").asText().equals(namespace)).toList();
    }

    @Override
    public List<JsonNode> clusterRoleBindings() {
        return clusterBindings;
    }

    private static boolean named(JsonNode object, String name) {
        return object.path("metadata").path("name").asText().equals(name);
    }

    static ObjectNode role(String namespace, String name, ObjectNode... rules) {
        ObjectNode role = JsonTrees.object();
        role.put("kind", "Role");
        role.putObject("metadata").put("name", name).put("namespace", namespace);
        var array = role.putArray("rules");
        for (ObjectNode rule : rules) {
            array.add(rule);
        }
        return role;
    }

    static ObjectNode clusterRole(String name, ObjectNode... rules) {
        ObjectNode role = role("", name, rules);
        role.put("kind", "ClusterRole");
        ((ObjectNode) role.get("metadata")).remove("namespace");
        return role;
    }

    static ObjectNode binding(String namespace, String name, String roleKind, String roleName, ObjectNode subject) {
        ObjectNode binding = JsonTrees.object();
        binding.put("kind", "RoleBinding");
        binding.putObject("metadata").put("name", name).put("namespace", namespace);
        binding.putObject("roleRef").put("kind", roleKind).put("name", roleName).put("apiGroup", BootstrapPolicy.GROUP);
        binding.putArray("subjects").add(subject);
        return binding;
    }

    static ObjectNode clusterBinding(String name, String roleName, ObjectNode subject) {
        ObjectNode binding = JsonTrees.object();
        binding.put("kind", "ClusterRoleBinding");
        binding.putObject("metadata").put("name", name);
        binding.putObject("roleRef").put("kind", "ClusterRole").put("name", roleName).put("apiGroup", BootstrapPolicy.GROUP);
        binding.putArray("subjects").add(subject);
        return binding;
    }
}
