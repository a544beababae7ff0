package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.schemas.auth.InMemoryRbac.binding;
import static io.kronika.schemas.auth.InMemoryRbac.clusterBinding;
import static io.kronika.schemas.auth.InMemoryRbac.role;
import static org.assertj.core.api.Assertions.assertThat;

/** The pure RBAC decisions: bindings, subjects, wildcards, subresources, resource names, non-resource URLs, messages. */
class RbacAuthorizerTest {
    private final InMemoryRbac rbac = new InMemoryRbac();

    private static final UserInfo JANE = UserInfo.authenticated("jane", "", List.of("devs"));

    @Test
    void nothingBoundMeansDeniedAndTheMessageIsKubernetes() {
        RequestAttributes list = RequestAttributes.resource(JANE, "list", "", "pods", "", "web", "");
        assertThat(RbacAuthorizer.authorize(list, rbac).allowed()).isFalse();
        assertThat(RbacAuthorizer.forbiddenMessage(list))
                .isEqualTo("pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"web\"");
        RequestAttributes get = RequestAttributes.resource(JANE, "get", "apps", "deployments", "scale", "", "api");
        assertThat(RbacAuthorizer.forbiddenMessage(get)).isEqualTo("deployments.apps/scale \"api\" is forbidden: User \"jane\" cannot get "
                + "resource \"deployments/scale\" in API group \"apps\" at the cluster scope");
        assertThat(RbacAuthorizer.forbiddenMessage(RequestAttributes.nonResource(JANE, "get", "/metrics")))
                .isEqualTo("forbidden: User \"jane\" cannot get path \"/metrics\"");
    }

    @Test
    void aRoleBindingGrantsItsRoleInItsNamespaceOnly() {
        rbac.roles.add(role("web", "pod-reader", BootstrapPolicy.rule(List.of("get", "list"), List.of(""), List.of("pods"))));
        rbac.roleBindings.add(binding("web", "jane-reads", "Role", "pod-reader", BootstrapPolicy.subject("Group", "devs")));
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(JANE, "list", "", "pods", "", "web", ""), rbac).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"jane-reads/web\" of Role \"pod-reader\" to Group \"devs\"");
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(JANE, "list", "", "pods", "", "other", ""), rbac).allowed()).isFalse();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(JANE, "delete", "", "pods", "", "web", "x"), rbac).allowed()).isFalse();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(JANE, "get", "", "pods", "log", "web", "x"), rbac).allowed())
                .as("a subresource needs its own rule").isFalse();
    }

    @Test
    void viewEditAdminAndClusterAdminAsKubernetesDefinesThem() {
        rbac.clusterBindings.add(clusterBinding("jane-view", "view", BootstrapPolicy.subject("User", "jane")));
        assertThat(allowed("list", "apps", "deployments", "", "web")).isTrue();
        assertThat(allowed("create", "apps", "deployments", "", "web")).isFalse();
        assertThat(allowed("get", "", "secrets", "", "web")).as("view does not read secrets").isFalse();
        assertThat(allowed("get", "", "pods", "log", "web")).isTrue();
        rbac.roleBindings.add(binding("web", "jane-edit", "ClusterRole", "edit", BootstrapPolicy.subject("User", "jane")));
        assertThat(allowed("create", "apps", "deployments", "", "web")).isTrue();
        assertThat(allowed("create", "apps", "deployments", "", "other")).isFalse();
        assertThat(allowed("create", "rbac.authorization.k8s.io", "roles", "", "web")).as("edit may not grant").isFalse();
        UserInfo root = UserInfo.authenticated("root", "", List.of(UserInfo.MASTERS));
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(root, "delete", "x.io", "anything", "", "", "n"), rbac).allowed()).isTrue();
    }

    @Test
    void serviceAccountsResourceNamesWildcardsAndNonResourceUrls() {
        UserInfo robot = UserInfo.serviceAccount("ci", "deployer", "uid-1");
        ObjectNode onlyOne = BootstrapPolicy.rule(List.of("update"), List.of("apps"), List.of("deployments", "*/scale"));
        onlyOne.putArray("resourceNames").add("api");
        rbac.roles.add(role("ci", "one", onlyOne));
        ObjectNode subject = BootstrapPolicy.subject("ServiceAccount", "deployer");
        rbac.roleBindings.add(binding("ci", "deployer", "Role", "one", subject));
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(robot, "update", "apps", "deployments", "", "ci", "api"), rbac).allowed()).isTrue();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(robot, "update", "apps", "deployments", "", "ci", "db"), rbac).allowed()).isFalse();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.resource(robot, "update", "apps", "statefulsets", "scale", "ci", "api"), rbac).allowed()).isTrue();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.nonResource(robot, "get", "/apis/apps/v1"), rbac).allowed())
                .as("discovery for every authenticated user").isTrue();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.nonResource(UserInfo.ANONYMOUS, "get", "/apis"), rbac).allowed()).isFalse();
        assertThat(RbacAuthorizer.authorize(RequestAttributes.nonResource(UserInfo.ANONYMOUS, "get", "/healthz"), rbac).allowed()).isTrue();
    }

    @Test
    void theAggregatedDefaultsHoldWhatTheySelect() {
        JsonNode view = rbac.clusterRole("view").orElseThrow();
        JsonNode edit = rbac.clusterRole("edit").orElseThrow();
        JsonNode admin = rbac.clusterRole("admin").orElseThrow();
        view.path("rules").forEach(rule -> assertThat(edit.path("rules")).contains(rule));
        edit.path("rules").forEach(rule -> assertThat(admin.path("rules")).contains(rule));
        assertThat(admin.path("aggregationRule").path("clusterRoleSelectors").get(0).path("matchLabels")
                .path("rbac.authorization.k8s.io/aggregate-to-admin").asText()).isEqualTo("true");
    }

    private boolean allowed(String verb, String group, String resource, String subresource, String namespace) {
        return RbacAuthorizer.authorize(RequestAttributes.resource(JANE, verb, group, resource, subresource, namespace, ""), rbac).allowed();
    }
}
