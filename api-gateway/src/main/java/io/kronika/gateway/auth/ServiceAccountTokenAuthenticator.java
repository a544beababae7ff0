package io.kronika.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.auth.Rs256Jwt;
import io.kronika.schemas.auth.UserInfo;
import io.kronika.schemas.k8s.JsonTrees;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Optional;

/**
 * Service-account JWTs signed by the cluster key: the legacy tokens of {@code kubernetes.io/service-account-token}
 * Secrets (valid while the account and the Secret exist) and TokenRequest tokens (valid until they expire, while the
 * account exists and, when bound to a pod, while that pod exists and is not being deleted). A token of an account
 * deleted and re-created under the same name is refused: the uid must match.
 */
public final class ServiceAccountTokenAuthenticator {
    public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";
    public static final String ISSUER = io.kronika.schemas.auth.ServiceAccountTokens.ISSUER;
    public static final String API_AUDIENCE = io.kronika.schemas.auth.ServiceAccountTokens.API_AUDIENCE;

    private final ClusterView view;
    private final ClusterSigningKey key;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(ClusterView view, ClusterSigningKey key, Clock clock) {
        this.view = view;
        this.key = key;
        this.clock = clock;
    }

    /** The account's user when {@code token} is a valid service-account token; empty otherwise. */
    public Optional<UserInfo> authenticate(String token) {
        Optional<KeyPair> signing = key.current();
        if (signing.isEmpty() || token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        JsonNode claims = Rs256Jwt.verify(token, signing.get().getPublic());
        if (claims == null) {
            return Optional.empty();
        }
        String issuer = claims.path("iss").asText();
        if (LEGACY_ISSUER.equals(issuer)) {
            return legacy(claims);
        }
        return ISSUER.equals(issuer) ? bound(claims) : Optional.empty();
    }

    private Optional<UserInfo> legacy(JsonNode claims) {
        String namespace = claims.path("kubernetes.io/serviceaccount/namespace").asText();
        String account = claims.path("kubernetes.io/serviceaccount/service-account.name").asText();
        String uid = claims.path("kubernetes.io/serviceaccount/service-account.uid").asText();
        String secretName = claims.path("kubernetes.io/serviceaccount/secret.name").asText();
        if (!accountExists(namespace, account, uid)) {
            return Optional.empty();
        }
        Optional<JsonNode> secret = object("", "Secret", namespace, secretName);
        if (secret.isEmpty() || isTerminating(secret.get())
                || !uid.equals(secret.get().path("metadata").path("annotations").path("kubernetes.io/service-account.uid").asText())) {
            return Optional.empty();
        }
        return Optional.of(UserInfo.serviceAccount(namespace, account, uid));
    }

    private Optional<UserInfo> bound(JsonNode claims) {
        long now = clock.instant().getEpochSecond();
        if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= now
                || claims.path("nbf").asLong(0) > now + 60 || !audienceIncludesApi(claims.path("aud"))) {
            return Optional.empty();
        }
        JsonNode k8s = claims.path("kubernetes.io");
        String namespace = k8s.path("namespace").asText();
        String account = k8s.path("serviceaccount").path("name").asText();
        String uid = k8s.path("serviceaccount").path("uid").asText();
        if (!accountExists(namespace, account, uid)) {
            return Optional.empty();
        }
        JsonNode pod = k8s.path("pod");
        if (pod.isObject()) {
            Optional<JsonNode> current = object("", "Pod", namespace, pod.path("name").asText());
            if (current.isEmpty() || isTerminating(current.get())
                    || !pod.path("uid").asText().equals(current.get().path("metadata").path("uid").asText())) {
                return Optional.empty();
            }
        }
        return Optional.of(UserInfo.serviceAccount(namespace, account, uid));
    }

    private static boolean audienceIncludesApi(JsonNode aud) {
        if (aud.isTextual()) {
            return aud.asText().equals(API_AUDIENCE);
        }
        for (JsonNode a : aud) {
            if (a.asText().equals(API_AUDIENCE)) {
                return true;
            }
        }
        return false;
    }

    private boolean accountExists(String namespace, String account, String uid) {
        Optional<JsonNode> sa = object("", "ServiceAccount", namespace, account);
        return sa.isPresent() && !isTerminating(sa.get()) && uid.equals(sa.get().path("metadata").path("uid").asText());
    }

    private Optional<JsonNode> object(String group, String kind, String namespace, String name) {
        if (namespace.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredObject> stored = view.get(ObjectKeys.of(group, kind, namespace, name));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonTrees.MAPPER.readTree(stored.get().json()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isTerminating(JsonNode object) {
        return !object.path("metadata").path("deletionTimestamp").isMissingNode()
                && !object.path("metadata").path("deletionTimestamp").isNull();
    }
}
