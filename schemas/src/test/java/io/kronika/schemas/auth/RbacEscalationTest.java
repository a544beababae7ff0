package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.schemas.auth.InMemoryRbac.clusterRole;
import static io.kronika.schemas.auth.InMemoryRbac.role;
import static org.assertj.core.api.Assertions.assertThat;

/** The covers check (wildcards, resource names, URLs, subresources) and the grant decisions built on it. */
class RbacEscalationTest {
    private final InMemoryRbac rbac = new InMemoryRbac();

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
        rbac.roleBindings.add(binding("web", "jane-edit", "ClusterRole", "edit"));
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
        rbac.clusterBindings.add(clusterBinding("jane-edit-everywhere", "edit", "User", "jane"));
        assertThat(RbacEscalation.check(JANE, "ClusterRole", "", aggregating, rbac).orElseThrow().message())
                .endsWith("must have cluster-admin privileges to use the aggregationRule");
    }

    @Test
    void theEscalateVerbAllowsWritingAnyRole() {
        rbac.clusterRoles.add(clusterRole("role-escalator", rule(List.of("escalate"), BootstrapPolicy.GROUP, "roles")));
        ObjectNode nodes = role("web", "nodes", rule(List.of("*"), "", "nodes"));
        assertThat(RbacEscalation.check(JANE, "Role", "web", nodes, rbac)).isPresent();
        rbac.roleBindings.add(binding("web", "jane-escalates", "ClusterRole", "role-escalator"));
        assertThat(RbacEscalation.check(JANE, "Role", "web", nodes, rbac)).isEmpty();
        assertThat(RbacEscalation.check(JANE, "ClusterRole", "", nodes, rbac)).as("roles, not clusterroles").isPresent();
    }

    @Test
    void bindingNeedsTheRolesRightsOrTheBindVerbOnThatRole() {
        rbac.roleBindings.add(binding("web", "jane-edit", "ClusterRole", "edit"));
        ObjectNode bindAdmin = binding("web", "bob-admin", "ClusterRole", "admin");
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", bindAdmin, rbac).orElseThrow().message())
                .startsWith("rolebindings.rbac.authorization.k8s.io \"bob-admin\" is forbidden: user \"jane\"");
        assertThat(RbacEscalation.check(JANE, "RoleBinding", "web", binding("web", "bob-view", "ClusterRole", "view"), rbac))
                .as("edit holds everything view grants").isEmpty();
        ObjectNode bindOther = rule(List.of("bind"), BootstrapPolicy.GROUP, "clusterroles");
        bindOther.putArray("resourceNames").add("cluster-admin");
        rbac.clusterRoles.add(clusterRole("binder", bindOther));
        rbac.roleBindings.add(binding("web", "jane-binds", "ClusterRole", "binder"));
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

    private static ObjectNode binding(String namespace, String name, String roleKind, String roleName) {
        return InMemoryRbac.binding(namespace, name, roleKind, roleName, BootstrapPolicy.subject("User", "jane"));
    }

    private static ObjectNode clusterBinding(String name, String roleName, String subjectKind, String subjectName) {
        return InMemoryRbac.clusterBinding(name, roleName, BootstrapPolicy.subject(subjectKind, subjectName));
    }
}
