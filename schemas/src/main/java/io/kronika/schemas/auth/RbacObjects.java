package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/** The RBAC objects an authorizer decides from (rbac.authorization.k8s.io/v1 objects as JSON trees), e.g. from a view. */
public interface RbacObjects {
    Optional<JsonNode> role(String namespace, String name);

    Optional<JsonNode> clusterRole(String name);

    List<JsonNode> roleBindings(String namespace);

    List<JsonNode> clusterRoleBindings();
}
