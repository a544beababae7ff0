package io.kronika.gateway.auth;

/** What the dispatcher needs of security: the authorizer (and refusal record) and the TokenRequest API. */
public record GatewayAuth(AccessControl access, TokenRequestHandler tokenRequests) {
    public static GatewayAuth disabled() {
        return new GatewayAuth(AccessControl.disabled(), null);
    }
}
