package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Service account tokens: for every ServiceAccount a Secret {@code <account>-token} of type
 * {@code kubernetes.io/service-account-token} holding a JWT signed RS256 by the cluster key, the namespace and the public
 * key ({@code pub.pem}, to verify tokens with); owned by the account, so it goes with it. The cluster key is
 * generated once and kept in the Secret {@code kube-system/}{@link #KEY_SECRET}, so every restart signs with the same key.
 */
public final class ServiceAccountTokenController implements Controller {
    public static final String KEY_SECRET = "service-account-signing-key";
    public static final String TOKEN_TYPE = "kubernetes.io/service-account-token";
    public static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    public static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
    public static final String PRIVATE_KEY = "key.pem";
    public static final String PUBLIC_KEY = "pub.pem";
    private static final String KEY_SECRET_KEY = ObjectKeys.of("", "Secret", "kube-system", KEY_SECRET);
    private static final String SA_PREFIX = ObjectKeys.kindPrefix("", "ServiceAccount");
    private static final String SECRET_PREFIX = ObjectKeys.kindPrefix("", "Secret");

    private final Supplier<KeyPair> newKey;
    private volatile ClusterCache cache;

    public ServiceAccountTokenController() {
        this(ServiceAccountTokens::generateKey);
    }

    public ServiceAccountTokenController(Supplier<KeyPair> newKey) {
        this.newKey = newKey;
    }

    @Override
    public String name() {
        return "serviceaccount-token";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        String key = change.key();
        if (key.startsWith(SA_PREFIX)) {
            enqueue.accept(key);
        } else if (key.equals(KEY_SECRET_KEY)) {
            enqueue.accept(key);
            ClusterCache c = cache;
            if (c != null) {
                c.listKind("", "ServiceAccount").forEach(sa -> enqueue.accept(sa.key()));
            }
        } else if (key.startsWith(SECRET_PREFIX) && TOKEN_TYPE.equals(Json.text(change.latest().object(), "type"))) {
            String account = Json.annotations(change.latest().object()).get(NAME_ANNOTATION);
            if (account != null) {
                enqueue.accept(ObjectKeys.of("", "ServiceAccount", change.latest().namespace(), account));
            }
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        this.cache = cache;
        List<String> keys = new ArrayList<>();
        keys.add(KEY_SECRET_KEY);
        cache.listKind("", "ServiceAccount").forEach(sa -> keys.add(sa.key()));
        return keys;
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        this.cache = context.cache();
        CachedObject keySecret = context.cache().get(KEY_SECRET_KEY).orElse(null);
        if (key.equals(KEY_SECRET_KEY)) {
            return syncKey(keySecret, newKey);
        }
        CachedObject account = context.cache().get(key).orElse(null);
        if (account == null) {
            return Reconciled.nothing(); // the garbage collector removes its token with it
        }
        CachedObject token = context.cache().get("", "Secret", account.namespace(), secretName(account.name())).orElse(null);
        return sync(account, token, keySecret == null ? null : keyPair(keySecret));
    }

    /** The cluster key Secret: created with a fresh key when absent, never replaced. */
    public static Reconciled syncKey(CachedObject keySecret, Supplier<KeyPair> newKey) {
        if (keySecret != null) {
            return Reconciled.nothing();
        }
        KeyPair key = newKey.get();
        ObjectNode secret = Json.object();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        ObjectNode meta = secret.putObject("metadata");
        meta.put("name", KEY_SECRET);
        meta.put("namespace", "kube-system");
        secret.put("type", "Opaque");
        ObjectNode data = secret.putObject("data");
        data.put(PRIVATE_KEY, base64(ServiceAccountTokens.privatePem(key)));
        data.put(PUBLIC_KEY, base64(ServiceAccountTokens.publicPem(key)));
        return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("", "Secret", "kube-system", KEY_SECRET), secret, null)));
    }

    /** The pure reconcile: the account, its token Secret (null when none) and the cluster key (null until it exists). */
    public static Reconciled sync(CachedObject account, CachedObject token, KeyPair key) {
        if (key == null || Json.isTerminating(account.object())) {
            return Reconciled.nothing();
        }
        String name = secretName(account.name());
        if (token != null) {
            JsonNode stored = Json.at(token.object(), "data", "token");
            boolean current = account.uid().equals(Json.annotations(token.object()).get(UID_ANNOTATION))
                    && TOKEN_TYPE.equals(Json.text(token.object(), "type"))
                    && stored != null && ServiceAccountTokens.verify(decode(stored.asText()), key.getPublic()) != null;
            if (current || Json.isTerminating(token.object())) {
                return Reconciled.nothing();
            }
            // a token of an earlier account of the same name, or signed by another key: replace it
            return Reconciled.of(List.of(new Action.Delete(token.ref(), token.uid(), null, null)));
        }
        ObjectNode secret = Json.object();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        ObjectNode meta = secret.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", account.namespace());
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put(NAME_ANNOTATION, account.name());
        annotations.put(UID_ANNOTATION, account.uid());
        ObjectNode owner = Owners.controllerRef("v1", "ServiceAccount", account.name(), account.uid());
        owner.remove("controller");
        meta.putArray("ownerReferences").add(owner);
        secret.put("type", TOKEN_TYPE);
        ObjectNode data = secret.putObject("data");
        data.put("token", base64(ServiceAccountTokens.token(account.namespace(), account.name(), account.uid(), name, key)));
        data.put("namespace", base64(account.namespace()));
        data.put(PUBLIC_KEY, base64(ServiceAccountTokens.publicPem(key)));
        return Reconciled.of(List.of(new Action.Create(ObjectKeys.ref("", "Secret", account.namespace(), name), secret, null)));
    }

    public static String secretName(String account) {
        return account + "-token";
    }

    /** The cluster key pair held by the key Secret. */
    public static KeyPair keyPair(CachedObject keySecret) {
        return ServiceAccountTokens.fromPem(decode(Json.text(keySecret.object(), "data", PRIVATE_KEY)),
                decode(Json.text(keySecret.object(), "data", PUBLIC_KEY)));
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return s == null ? "" : new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
