package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Bound service-account tokens as kube-apiserver issues them: the claims of a JWT for an account, optionally bound to
 * a Pod or Secret (it stops authenticating when that object is gone), and the cluster key that signs them, kept by the
 * serviceaccount-token controller in {@code kube-system/service-account-signing-key}. Shared by the TokenRequest API
 * and the kubelet, which materialises the token of a pod's projected serviceAccountToken volume source.
 */
public final class ServiceAccountTokens {
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    public static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    public static final String KEY_SECRET_NAMESPACE = "kube-system";
    public static final String KEY_SECRET_NAME = "service-account-signing-key";

    private ServiceAccountTokens() {
    }

    /** The object a token is bound to (kind Pod or Secret). */
    public record BoundObject(String kind, String name, String uid) {
    }

    /** The claims of a token for {@code namespace/account} (with the account's uid), valid from {@code now} to {@code expires}. */
    public static ObjectNode claims(String namespace, String account, String accountUid, BoundObject bound, List<String> audiences,
                                    Instant now, Instant expires) {
        ObjectNode claims = JsonTrees.object();
        ArrayNode aud = claims.putArray("aud");
        (audiences.isEmpty() ? List.of(API_AUDIENCE) : audiences).forEach(aud::add);
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", ISSUER);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        if (bound != null) {
            ObjectNode ref = k8s.putObject(bound.kind().equals("Pod") ? "pod" : "secret");
            ref.put("name", bound.name());
            ref.put("uid", bound.uid());
        }
        ObjectNode accountClaim = k8s.putObject("serviceaccount");
        accountClaim.put("name", account);
        accountClaim.put("uid", accountUid);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", UserInfo.serviceAccountName(namespace, account));
        return claims;
    }

    /** The key pair held by the signing-key Secret ({@code data.key.pem}, {@code data.pub.pem}, base64). */
    public static KeyPair signingKey(JsonNode secret) {
        JsonNode data = secret.path("data");
        return Rs256Jwt.fromPem(decode(data.path("key.pem").asText()), decode(data.path("pub.pem").asText()));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
