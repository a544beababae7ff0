package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The covers check (wildcards, resource names, URLs, subresources) and the grant decisions built on it. */
class RbacEscalationTest {
    private final List<JsonNode> clusterRoles = new ArrayList<>(BootstrapPolicy.clusterRoles());
    private final List<JsonNode> clusterBindings = new ArrayList<>(BootstrapPolicy.clusterRoleBindings());
    private final List<JsonNode> roles = new ArrayList<>();
    private final List<JsonNode> roleBindings = new ArrayList<>();

    private final RbacObjects rbac = new RbacObjects() {
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
    };

    private static final UserInfo JANE = UserInfo.authenticated("jane", "", List.of("devs"));

    @Test
    void wildcardsCoverEverythingOfTheirField() {
        List<JsonNode> all = List.of(BootstrapPolicy.rule(List.of("*"), List.of("*"), List.of("*")));
        assertThat(RbacEscalation.covers(all, List.of(rule(List.of("get", "delete"), "apps", "deployments", "deployments/scale")))).isTrue();
        List<JsonNode> podsAnyVerb = List.of(BootstrapPolicy.rule(List.of("*"), List.of(""), List.of("pods")));
        assertThat(RbacEscalation.covers(podsAnyVerb, List.of(rule(List.of("escalate"), "", "pods")))).isTrue();
        assertThat(RbacEscalation.covers(podsAnyVerb, List.of(rule(List.of("get"), "", "pods", "secrets")))).isFalse();
        assertThat(RbacEscalation.covers(podsAnyVerb, List.of(rule(List.of("get"), "apps", "pods")))).as("another group").isFalse();
        assertThat(RbacEscalation.covers(all, List.of(BootstrapPolicy.nonResourceRule(List.of("get"), List.of("/metrics")))))
                .as("resource rules never cover URLs").isFalse();
    }

    @Test
    void subresourcesNeedTheirOwnRuleOrAStarSlashRule() {
        List<JsonNode> pods = List.of(BootstrapPolicy.rule(List.of("get"), List.of(""), List.of("pods")));
        assertThat(RbacEscalation.covers(pods, List.of(rule(List.of("get"), "", "pods/log")))).isFalse();
        List<JsonNode> anyStatus = List.of(BootstrapPolicy.rule(List.of("get"), List.of(""), List.of("*/status")));
        assertThat(RbacEscalation.covers(anyStatus, List.of(rule(List.of("get"), "", "pods/status", "services/status")))).isTrue();
        assertThat(RbacEscalation.covers(anyStatus, List.of(rule(List.of("get"), "", "pods")))).isFalse();
    }

    @Test
    void resourceNamesNarrowWhatIsHeld() {
        ObjectNode oneSecret = rule(List.of("get"), "", "secrets");
        oneSecret.putArray("resourceNames").add("tls");
        ObjectNode twoSecrets = oneSecret.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) twoSecrets.get("resourceNames")).add("db");
        assertThat(RbacEscalation.covers(List.of(rule(List.of("get"), "", "secrets")), List.of(twoSecrets))).as("no names = all names").isTrue();
        assertThat(RbacEscalation.covers(List.of(oneSecret), List.of(oneSecret))).isTrue();
        assertThat(RbacEscalation.uncovered(List.of(oneSecret), List.of(twoSecrets))).hasSize(1)
                .allSatisfy(missing -> assertThat(missing.path("resourceNames").get(0).asText()).isEqualTo("db"));
        assertThat(RbacEscalation.covers(List.of(oneSecret), List.of(rule(List.of("get"), "", "secrets")))).as("names do not cover all").isFalse();
    }

    @Test
    void nonResourceUrlsWithATrailingStarCoverWhatStartsWithTheirPrefix() {
        List<JsonNode> healthz = List.of(BootstrapPolicy.nonResourceRule(List.of("get"), List.of("/healthz/*")));
        assertThat(RbacEscalation.covers(healthz, List.of(BootstrapPolicy.nonResourceRule(List.of("get"), List.of("/healthz/etcd", "/healthz/*")))))
                .isTrue();
        assertThat(RbacEscalation.covers(healthz, List.of(BootstrapPolicy.nonResourceRule(List.of("get"), List.of("/healthz"))))).isFalse();
        assertThat(RbacEscalation.covers(healthz, List.of(BootstrapPolicy.nonResourceRule(List.of("post"), List.of("/healthz/etcd"))))).isFalse();
        assertThat(RbacEscalation.covers(List.of(BootstrapPolicy.nonResourceRule(List.of("*"), List.of("*"))),
                List.of(BootstrapPolicy.nonResourceRule(List.of("get"), List.of("/anything"))))).isTrue();
    }

    @Test
    void anEditorCannotCreateARoleWithMoreRightsAndTheRefusalIsWordedAsKubernetes() {
        roleBindings.add(binding("web", "jane-edit", "ClusterRole", "edit"));
        ObjectNode reader = role("web", "pod-reader", rule(List.of("get", "list"), "", "pods"));
        assertThat(RbacEscalation.check(JANE, "Role", "web", reader, rbac)).isEmpty();
        assertThat(RbacEscalation.check(JANE, "Role", "other", role("other", "pod-reader", rule(List.of("get"), "", "pods")), rbac))
                .as("edit is held in web only").isPresent();
        ObjectNode nodes = role("web", "nodes", rule(List.of("get", "list"), "", "nodes"), rule(List.of("escalate"), "rbac.authorization.k8s.io", "roles"));
        RbacEscalation.Refusal refusal = RbacEscalation.check(JANE, "Role", "web", nodes, rbac).orElseThrow();
        assertThat(refusal.code()).isEqualTo(403);
        assertThat(refusal.message()).isEqualTo("roles.rbac.authorization.k8s.io \"nodes\" is forbidden: user \"jane\" "
                + "(groups=[\"devs\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\"]}\n"
                + "{APIGroups:[\"rbac.authorization.k8s.io\"], Resources:[\"roles\"], Verbs:[\"escalate\"]}");
        ObjectNode aggregating = role("", "aggregating");
        aggregating.put("kind", "ClusterRole");
        aggregating.putObject("aggregationRule").putArray("clusterRoleSelectors");
        clusterBindings.add(clusterBinding("jane-edit-everywhere", "edit", "User", "jane"));
        assertThat(RbacEscalation.check(JANE, "ClusterRole", "", aggregating, rbac).orElseThrow().message())
                .endsWith("must have cluster-admin privileges to use the aggregationRule");
    }

    @Test
    void theEscalateVerbAllowsWritingAnyRole() {
        clusterRoles.add(clusterRole("role-escalator", rule(List.of("escalate"), BootstrapPolicy.GROUP, "roles")));
        ObjectNode nodes = role("web", "nodes", rule(List.of("*"), "", "nodes"));
        assertThat(RbacEscalation.check(JANE, "Role", "web", nodes, rbac)).isPresent();
        roleBindings.add(binding("web", "jane-escalates", "ClusterRole", "role-escalator"));
        assertThat(RbacEscalation.check(JANE, "Role", "web", nodes, rbac)).isEmpty();
        assertThat(RbacEscalation.check(JANE, "ClusterRole", "", nodes, rbac)).as("roles, not clusterroles").isPresent();
    }

    @Test
    void bindingNeedsTheRolesRightsOrTheBindVerbOnThatRole() {
        roleBindings.add(binding("web", "jane-edit", "ClusterRole", "edit"));
        ObjectNode bindAdmin = binding("web", "bob-admin", "ClusterRole", "admin");
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", bindAdmin, rbac).orElseThrow().message())
                .startsWith("rolebindings.rbac.authorization.k8s.io \"bob-admin\" is forbidden: user \"jane\"");
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", binding("web", "bob-view", "ClusterRole", "view"), rbac))
                .as("edit holds everything view grants").isEmpty();
        ObjectNode bindOther = rule(List.of("bind"), BootstrapPolicy.GROUP, "clusterroles");
        bindOther.putArray("resourceNames").add("cluster-admin");
        clusterRoles.add(clusterRole("binder", bindOther));
        roleBindings.add(binding("web", "jane-binds", "ClusterRole", "binder"));
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", bindAdmin, rbac)).as("bind is on cluster-admin only").isPresent();
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", binding("web", "bob-ca", "ClusterRole", "cluster-admin"), rbac)).isEmpty();
        assertThat(RbacEscalation.check(JANE, "ClusterRoleBinding", "", clusterBinding("bob-ca", "cluster-admin", "User", "bob"), rbac))
                .as("bind held in web only, not at the cluster scope").isPresent();
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", binding("web", "x", "Role", "missing"), rbac).orElseThrow().code())
                .isEqualTo(404);
    }

    @Test
    void systemMastersGrantAnything() {
        UserInfo admin = UserInfo.authenticated("admin", "", List.of(UserInfo.MASTERS));
        assertThat(RbacEscalation.check(admin, "ClusterRoleBinding", "", clusterBinding("x", "cluster-admin", "User", "bob"), rbac)).isEmpty();
    }

    private static ObjectNode rule(List<String> verbs, String group, String... resources) {
        return BootstrapPolicy.rule(verbs, List.of(group), List.of(resources));
    }

    private static boolean named(JsonNode object, String name) {
        return object.path("metadata").path("name").asText().equals(name);
    }

    private static ObjectNode role(String namespace, String name, ObjectNode... rules) {
        ObjectNode role = JsonTrees.object();
        role.put("kind", "Role");
        role.putObject("metadata").put("name", name).put("namespace", namespace);
        var array = role.putArray("rules");
        for (ObjectNode rule : rules) {
            array.add(rule);
        }
        return role;
    }

    private static ObjectNode clusterRole(String name, ObjectNode... rules) {
        ObjectNode role = role("", name, rules);
        role.put("kind", "ClusterRole");
        ((ObjectNode) role.get("metadata")).remove("namespace");
        return role;
    }

    private static ObjectNode binding(String namespace, String name, String roleKind, String roleName) {
        ObjectNode binding = JsonTrees.object();
        binding.put("kind", "RoleBinding");
        binding.putObject("metadata").put("name", name).put("namespace", namespace);
        binding.putObject("roleRef").put("kind", roleKind).put("name", roleName).put("apiGroup", BootstrapPolicy.GROUP);
        binding.putArray("subjects").add(BootstrapPolicy.subject("User", "jane"));
        return binding;
    }

    private static ObjectNode clusterBinding(String name, String roleName, String subjectKind, String subjectName) {
        ObjectNode binding = JsonTrees.object();
        binding.put("kind", "ClusterRoleBinding");
        binding.putObject("metadata").put("name", name);
        binding.putObject("roleRef").put("kind", "ClusterRole").put("name", roleName).put("apiGroup", BootstrapPolicy.GROUP);
        binding.putArray("subjects").add(BootstrapPolicy.subject(subjectKind, subjectName));
        return binding;
    }
}
