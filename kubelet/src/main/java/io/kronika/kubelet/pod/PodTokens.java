package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.kubelet.util.Json;
import io.kronika.schemas.auth.Rs256Jwt;
import io.kronika.schemas.auth.ServiceAccountTokens;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The token of a projected serviceAccountToken volume source: a JWT for the pod's ServiceAccount, bound to the pod
 * (it stops authenticating once the pod is gone), signed with the cluster's service-account key read from the view —
 * what the TokenRequest API would answer the kubelet (docs/decisions/010-authentication-and-rbac.md, addendum). As
 * kube-apiserver's --service-account-extend-token-expiration does, the 3607-second tokens of the default API access
 * volume are issued for a year (with {@code warnafter} at their nominal expiry), since this kubelet does not refresh
 * them; they are still bound to the pod.
 */
public final class PodTokens {
    static final long LEGACY_EXPIRATION_SECONDS = 3607;
    static final Duration EXTENDED = Duration.ofDays(365);
    private static final long DEFAULT_EXPIRATION_SECONDS = 3600;

    private final ObjectLookup objects;
    private final Clock clock;

    public PodTokens(ObjectLookup objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    public byte[] token(JsonNode pod, JsonNode source) throws ConfigError {
        String namespace = Json.text(pod, "metadata", "namespace");
        String account = Json.textOr(pod.path("spec"), "serviceAccountName", "");
        if (account.isEmpty()) {
            account = "default";
        }
        Optional<JsonNode> sa = objects.get("ServiceAccount", namespace, account);
        if (sa.isEmpty()) {
            throw new ConfigError("serviceaccounts \"" + account + "\" not found");
        }
        JsonNode keySecret = objects.get("Secret", ServiceAccountTokens.KEY_SECRET_NAMESPACE, ServiceAccountTokens.KEY_SECRET_NAME)
                .orElseThrow(() -> new ConfigError("the service-account signing key " + ServiceAccountTokens.KEY_SECRET_NAMESPACE + "/"
                        + ServiceAccountTokens.KEY_SECRET_NAME + " does not exist yet (the serviceaccount-token controller creates it)"));
        KeyPair key;
        try {
            key = ServiceAccountTokens.signingKey(keySecret);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("the service-account signing key cannot be read by this kubelet: " + e.getMessage());
        }
        long expiration = Json.longAt(source, DEFAULT_EXPIRATION_SECONDS, "expirationSeconds");
        Instant now = clock.instant();
        Instant expires = expiration == LEGACY_EXPIRATION_SECONDS ? now.plus(EXTENDED) : now.plusSeconds(expiration);
        String audience = Json.textOr(source, "audience", "");
        ObjectNode claims = ServiceAccountTokens.claims(namespace, account, Json.text(sa.get(), "metadata", "uid"),
                new ServiceAccountTokens.BoundObject("Pod", Json.text(pod, "metadata", "name"), Json.text(pod, "metadata", "uid")),
                audience.isEmpty() ? List.of() : List.of(audience), now, expires);
        if (expiration == LEGACY_EXPIRATION_SECONDS) {
            ((ObjectNode) claims.get("kubernetes.io")).put("warnafter", now.plusSeconds(expiration).getEpochSecond());
        }
        return Rs256Jwt.sign(claims, key).getBytes(StandardCharsets.UTF_8);
    }
}
