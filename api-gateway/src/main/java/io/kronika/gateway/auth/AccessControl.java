package io.kronika.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.auth.AuthorizationDecision;
import io.kronika.schemas.auth.RbacAuthorizer;
import io.kronika.schemas.auth.RbacEscalation;
import io.kronika.schemas.auth.RbacObjects;
import io.kronika.schemas.auth.RequestAttributes;
import io.kronika.schemas.auth.UserInfo;

import java.util.List;

/**
 * The gateway's authorization: RBAC decisions from the view, 403 Statuses in kube-apiserver's words, and the record of
 * every refusal. {@link #disabled} allows everything (a gateway without authentication, as its own tests run it).
 */
public final class AccessControl {
    private final RbacObjects rbac;
    private final RefusalRecorder refusals;

    private AccessControl(RbacObjects rbac, RefusalRecorder refusals) {
        this.rbac = rbac;
        this.refusals = refusals;
    }

    public static AccessControl disabled() {
        return new AccessControl(null, null);
    }

    public static AccessControl rbac(RbacObjects rbac, RefusalRecorder refusals) {
        return new AccessControl(rbac, refusals);
    }

    public boolean enabled() {
        return rbac != null;
    }

    public AuthorizationDecision decide(RequestAttributes request) {
        return enabled() ? RbacAuthorizer.authorize(request, rbac) : AuthorizationDecision.allow("no authorization is enforced");
    }

    /** Every rule that applies to the user in the namespace (SelfSubjectRulesReview). */
    public List<JsonNode> rules(UserInfo user, String namespace) {
        return RbacAuthorizer.rulesFor(enabled() ? user : new UserInfo(user.name(), user.uid(), List.of(UserInfo.MASTERS)), namespace,
                enabled() ? rbac : EMPTY);
    }

    /** Allowed, or a recorded 403 thrown as the Status the client gets. */
    public void check(RequestAttributes request, ObjectRef target, String kindForDetails, String path, String userAgent) {
        if (!enabled()) {
            return;
        }
        AuthorizationDecision decision = decide(request);
        if (decision.allowed()) {
            return;
        }
        String message = RbacAuthorizer.forbiddenMessage(request);
        refusals.record(request.user(), request.verb(), target, 403, "Forbidden", message, path, userAgent);
        throw request.resourceRequest()
                ? new ApiException(403, "Forbidden", message, List.of(), request.apiGroup(), kindForDetails,
                request.name().isEmpty() ? null : request.name())
                : new ApiException(403, "Forbidden", message);
    }

    /**
     * RBAC's escalation prevention on a Role, ClusterRole, RoleBinding or ClusterRoleBinding about to be written (other
     * kinds pass): a recorded 403 (or 404 for a binding to a role that does not exist) when the user could not grant it.
     */
    public void checkGrant(UserInfo user, String verb, ObjectRef target, JsonNode object, String path, String userAgent) {
        if (!enabled() || user == null || !RbacEscalation.GROUP.equals(target.getGroup())) {
            return;
        }
        RbacEscalation.check(user, target.getKind(), target.getNamespace(), object, rbac).ifPresent(refusal -> {
            if (refusal.code() == 403) {
                refusals.record(user, verb, target, 403, refusal.reason(), refusal.message(), path, userAgent);
            }
            throw new ApiException(refusal.code(), refusal.reason(), refusal.message(), List.of(), RbacEscalation.GROUP, refusal.resource(),
                    refusal.name());
        });
    }

    public RefusalRecorder refusals() {
        return refusals;
    }

    private static final RbacObjects EMPTY = new RbacObjects() {
        @Override
        public java.util.Optional<JsonNode> role(String namespace, String name) {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<JsonNode> clusterRole(String name) {
            return java.util.Optional.empty();
        }

        @Override
        public List<JsonNode> roleBindings(String namespace) {
            return List.of();
        }

        @Override
        public List<JsonNode> clusterRoleBindings() {
            return List.of();
        }
    };
}
