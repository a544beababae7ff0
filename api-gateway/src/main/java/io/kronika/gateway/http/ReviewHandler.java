package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.auth.AccessControl;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.schemas.auth.AuthorizationDecision;
import io.kronika.schemas.auth.RequestAttributes;
import io.kronika.schemas.auth.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Reviews that only answer and store nothing, decided by the same authorizer that guards every request:
 * SelfSubjectAccessReview ({@code kubectl auth can-i}), SubjectAccessReview and LocalSubjectAccessReview (for
 * another user), SelfSubjectRulesReview ({@code kubectl auth can-i --list}) and SelfSubjectReview ({@code kubectl auth
 * whoami}).
 */
final class ReviewHandler {
    static final String GROUP = "authorization.k8s.io";
    static final String AUTHENTICATION_GROUP = "authentication.k8s.io";

    private final AccessControl access;
    private final UserInfo unauthenticatedUser;

    ReviewHandler(AccessControl access, String unauthenticatedUser) {
        this.access = access;
        this.unauthenticatedUser = UserInfo.authenticated(unauthenticatedUser, "", List.of(UserInfo.MASTERS));
    }

    static boolean handles(ResourceType type) {
        return type.group().equals(GROUP) || type.group().equals(AUTHENTICATION_GROUP);
    }

    Reply create(ApiRequest request) {
        ResourceType type = request.type();
        ObjectNode review = ObjectStrategy.normalize(type, Bodies.object(request), null);
        JsonNode spec = review.path("spec");
        UserInfo self = request.user() == null ? unauthenticatedUser : request.user();
        ObjectNode status = review.putObject("status");
        switch (type.kind()) {
            case "SelfSubjectAccessReview" -> decide(type, spec, self, null, status);
            case "SubjectAccessReview" -> decide(type, spec, subject(type, spec), null, status);
            case "LocalSubjectAccessReview" -> decide(type, spec, subject(type, spec), request.namespace(), status);
            case "SelfSubjectRulesReview" -> {
                ArrayNode resourceRules = status.putArray("resourceRules");
                ArrayNode nonResourceRules = status.putArray("nonResourceRules");
                for (JsonNode rule : access.rules(self, spec.path("namespace").asText(""))) {
                    (rule.has("nonResourceURLs") ? nonResourceRules : resourceRules).add(rule.deepCopy());
                }
                status.put("incomplete", false);
            }
            case "SelfSubjectReview" -> {
                ObjectNode info = status.putObject("userInfo");
                info.put("username", self.name());
                if (!self.uid().isEmpty()) {
                    info.put("uid", self.uid());
                }
                ArrayNode groups = info.putArray("groups");
                self.groups().forEach(groups::add);
            }
            default -> throw ApiException.badRequest("unknown review kind " + type.kind());
        }
        Json.metadata(review).putNull("creationTimestamp");
        return Reply.json(201, review);
    }

    private void decide(ResourceType type, JsonNode spec, UserInfo user, String namespace, ObjectNode status) {
        JsonNode resource = spec.path("resourceAttributes");
        JsonNode nonResource = spec.path("nonResourceAttributes");
        if (resource.isObject() == nonResource.isObject()) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(FieldError.invalid("spec.resourceAttributes", "",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified")));
        }
        if (namespace != null && resource.isObject() && !namespace.equals(resource.path("namespace").asText(""))) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(FieldError.invalid("spec.resourceAttributes.namespace",
                    resource.path("namespace").asText(""), "must match metadata.namespace")));
        }
        RequestAttributes attributes = resource.isObject()
                ? RequestAttributes.resource(user, resource.path("verb").asText(""), resource.path("group").asText(""),
                resource.path("resource").asText(""), resource.path("subresource").asText(""), resource.path("namespace").asText(""),
                resource.path("name").asText(""))
                : RequestAttributes.nonResource(user, nonResource.path("verb").asText(""), nonResource.path("path").asText(""));
        AuthorizationDecision decision = access.decide(attributes);
        status.put("allowed", decision.allowed());
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
    }

    /** The user a SubjectAccessReview asks about: spec.user and spec.groups (system:authenticated added as kube-apiserver does not). */
    private static UserInfo subject(ResourceType type, JsonNode spec) {
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        if (user.isEmpty() && groups.isEmpty()) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(FieldError.invalid("spec.user", "",
                    "at least one of user or group must be specified")));
        }
        return new UserInfo(user, spec.path("uid").asText(""), groups);
    }
}
