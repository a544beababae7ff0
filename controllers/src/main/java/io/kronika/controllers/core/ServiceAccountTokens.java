package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Json;
import io.kronika.schemas.auth.Rs256Jwt;

import java.security.KeyPair;
import java.security.PublicKey;

/**
 * Service account tokens in the legacy secret-based format of Kubernetes, signed RS256 with the cluster's key
 * ({@link Rs256Jwt}, shared with the gateway that verifies them).
 */
public final class ServiceAccountTokens {
    public static final String ISSUER = "kubernetes/serviceaccount";

    private ServiceAccountTokens() {
    }

    public static KeyPair generateKey() {
        return Rs256Jwt.generateKey();
    }

    public static String keyId(PublicKey key) {
        return Rs256Jwt.keyId(key);
    }

    /** The legacy token of a service account's token secret. RS256 with PKCS#1 v1.5 is deterministic: same inputs, same token. */
    public static String token(String namespace, String account, String accountUid, String secretName, KeyPair key) {
        ObjectNode claims = Json.object();
        claims.put("iss", ISSUER);
        claims.put("kubernetes.io/serviceaccount/namespace", namespace);
        claims.put("kubernetes.io/serviceaccount/secret.name", secretName);
        claims.put("kubernetes.io/serviceaccount/service-account.name", account);
        claims.put("kubernetes.io/serviceaccount/service-account.uid", accountUid);
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + account);
        return Rs256Jwt.sign(claims, key);
    }

    /** The claims of a token whose RS256 signature {@code key} verifies, or null. */
    public static JsonNode verify(String token, PublicKey key) {
        return Rs256Jwt.verify(token, key);
    }

    public static String privatePem(KeyPair key) {
        return Rs256Jwt.privatePem(key);
    }

    public static String publicPem(KeyPair key) {
        return Rs256Jwt.publicPem(key);
    }

    public static KeyPair fromPem(String privatePem, String publicPem) {
        return Rs256Jwt.fromPem(privatePem, publicPem);
    }
}
