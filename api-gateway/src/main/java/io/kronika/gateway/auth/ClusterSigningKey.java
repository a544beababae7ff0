package io.kronika.gateway.auth;

import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.auth.ServiceAccountTokens;
import io.kronika.schemas.k8s.JsonTrees;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The cluster's service-account signing key, as the service-account token controller keeps it: the Secret
 * {@code kube-system/service-account-signing-key} with {@code key.pem} and {@code pub.pem}. Parsed once per revision of
 * the Secret.
 */
public final class ClusterSigningKey {
    public static final String SECRET_NAMESPACE = ServiceAccountTokens.KEY_SECRET_NAMESPACE;
    public static final String SECRET_NAME = ServiceAccountTokens.KEY_SECRET_NAME;
    private static final String KEY = ObjectKeys.of("", "Secret", SECRET_NAMESPACE, SECRET_NAME);

    private record Loaded(long revision, KeyPair key) {
    }

    private final ClusterView view;
    private volatile Loaded loaded;

    public ClusterSigningKey(ClusterView view) {
        this.view = view;
    }

    /** The key pair, or empty while the token controller has not created it yet. */
    public Optional<KeyPair> current() {
        Optional<StoredObject> secret = view.get(KEY);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        Loaded cached = loaded;
        if (cached != null && cached.revision() == secret.get().revision()) {
            return Optional.of(cached.key());
        }
        try {
            KeyPair key = ServiceAccountTokens.signingKey(JsonTrees.MAPPER.readTree(secret.get().json()));
            loaded = new Loaded(secret.get().revision(), key);
            return Optional.of(key);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
