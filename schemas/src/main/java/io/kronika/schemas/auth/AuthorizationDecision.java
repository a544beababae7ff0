package io.kronika.schemas.auth;

/** Allowed or not, and why (the binding that allowed it; empty when nothing did, as RBAC says nothing on denial). */
public record AuthorizationDecision(boolean allowed, String reason) {
    public static AuthorizationDecision allow(String reason) {
        return new AuthorizationDecision(true, reason);
    }

    public static AuthorizationDecision deny(String reason) {
        return new AuthorizationDecision(false, reason);
    }
}
