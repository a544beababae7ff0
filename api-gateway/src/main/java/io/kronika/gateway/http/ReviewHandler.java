package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;

import java.util.List;

/**
 * authorization.k8s.io reviews that only answer and store nothing: SelfSubjectAccessReview ({@code kubectl auth
 * can-i}) and SelfSubjectRulesReview ({@code kubectl auth can-i --list}). There is no authorization yet, so every
 * request is allowed, and the answers say so.
 */
final class ReviewHandler {
    static final String GROUP = "authorization.k8s.io";
    private static final String REASON = "no authorization is enforced yet: every request is allowed";

    private ReviewHandler() {
    }

    static boolean handles(ResourceType type) {
        return type.group().equals(GROUP);
    }

    static Reply create(ApiRequest request) {
        ResourceType type = request.type();
        ObjectNode review = ObjectStrategy.normalize(type, Bodies.object(request), null);
        JsonNode spec = review.path("spec");
        ObjectNode status = review.putObject("status");
        switch (type.kind()) {
            case "SelfSubjectAccessReview" -> {
                boolean resource = spec.path("resourceAttributes").isObject();
                boolean nonResource = spec.path("nonResourceAttributes").isObject();
                if (resource == nonResource) {
                    throw ApiException.invalid(GROUP, type.kind(), "", List.of(FieldError.invalid("spec.resourceAttributes", "",
                            "exactly one of nonResourceAttributes or resourceAttributes must be specified")));
                }
                status.put("allowed", true);
                status.put("reason", REASON);
            }
            case "SelfSubjectRulesReview" -> {
                ObjectNode rule = status.putArray("resourceRules").addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                ObjectNode nonResourceRule = status.putArray("nonResourceRules").addObject();
                nonResourceRule.putArray("verbs").add("*");
                nonResourceRule.putArray("nonResourceURLs").add("*");
                status.put("incomplete", false);
            }
            default -> throw ApiException.badRequest("unknown review kind " + type.kind());
        }
        Json.metadata(review).putNull("creationTimestamp");
        return Reply.json(201, review);
    }
}
