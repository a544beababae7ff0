package io.kronika.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.http.ApiRequest;
import io.kronika.gateway.http.Bodies;
import io.kronika.gateway.http.Reply;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.auth.Rs256Jwt;
import io.kronika.schemas.auth.ServiceAccountTokens;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The TokenRequest API ({@code POST …/serviceaccounts/{name}/token}, {@code kubectl create token}): a JWT for the
 * account signed by the cluster key, with audiences and an expiry, optionally bound to a pod (or secret) so it dies
 * with it. Nothing is stored: the token's claims are all the gateway needs to verify it later.
 */
public final class TokenRequestHandler {
    private static final long DEFAULT_EXPIRATION = 3600;
    private static final long MIN_EXPIRATION = 600;
    private static final long MAX_EXPIRATION = 48L * 3600;

    private final ClusterView view;
    private final ClusterSigningKey key;
    private final Clock clock;

    public TokenRequestHandler(ClusterView view, ClusterSigningKey key, Clock clock) {
        this.view = view;
        this.key = key;
        this.clock = clock;
    }

    public static boolean handles(ApiRequest request) {
        return "token".equals(request.subresource()) && request.type().kind().equals("ServiceAccount");
    }

    public Reply create(ApiRequest request) {
        String namespace = request.namespace();
        String account = request.name();
        ObjectNode body = Bodies.object(request);
        JsonNode spec = body.path("spec");
        JsonNode sa = object("ServiceAccount", namespace, account).orElseThrow(() -> new ApiException(404, "NotFound",
                "serviceaccounts \"" + account + "\" not found", List.of(), "", "serviceaccounts", account));
        KeyPair signing = key.current().orElseThrow(() -> new ApiException(503, "ServiceUnavailable",
                "the service-account signing key does not exist yet: the serviceaccount-token controller creates it "
                        + "(run the controllers, or wait until they have started)"));
        long expiration = spec.path("expirationSeconds").asLong(DEFAULT_EXPIRATION);
        if (expiration < MIN_EXPIRATION) {
            throw invalid(account, FieldError.invalid("spec.expirationSeconds", String.valueOf(expiration),
                    "may not specify a duration less than 10 minutes"));
        }
        expiration = Math.min(expiration, MAX_EXPIRATION);
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(expiration);

        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        ServiceAccountTokens.BoundObject boundObject = null;
        JsonNode bound = spec.path("boundObjectRef");
        if (bound.isObject()) {
            String kind = bound.path("kind").asText("");
            String name = bound.path("name").asText("");
            if (!kind.equals("Pod") && !kind.equals("Secret")) {
                throw invalid(account, FieldError.invalid("spec.boundObjectRef.kind", kind, "supported values: \"Pod\", \"Secret\""));
            }
            JsonNode target = object(kind, namespace, name).orElseThrow(() -> new ApiException(404, "NotFound",
                    kind.toLowerCase() + "s \"" + name + "\" not found", List.of(), "", kind.toLowerCase() + "s", name));
            String uid = target.path("metadata").path("uid").asText();
            String wantedUid = bound.path("uid").asText("");
            if (!wantedUid.isEmpty() && !wantedUid.equals(uid)) {
                throw new ApiException(409, "Conflict", "the UID in the bound object reference (" + wantedUid
                        + ") does not match the UID in record. The object might have been deleted and then recreated");
            }
            boundObject = new ServiceAccountTokens.BoundObject(kind, name, uid);
        }
        ObjectNode claims = ServiceAccountTokens.claims(namespace, account, sa.path("metadata").path("uid").asText(), boundObject,
                audiences, now, expires);

        ObjectNode answer = Json.newObject();
        answer.put("kind", "TokenRequest");
        answer.put("apiVersion", "authentication.k8s.io/v1");
        ObjectNode meta = answer.putObject("metadata");
        meta.put("name", account);
        meta.put("namespace", namespace);
        meta.put("creationTimestamp", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        ObjectNode answerSpec = answer.putObject("spec");
        answerSpec.set("audiences", claims.get("aud").deepCopy());
        answerSpec.put("expirationSeconds", expiration);
        if (bound.isObject()) {
            answerSpec.set("boundObjectRef", bound.deepCopy());
        } else {
            answerSpec.putNull("boundObjectRef");
        }
        ObjectNode status = answer.putObject("status");
        status.put("token", Rs256Jwt.sign(claims, signing));
        status.put("expirationTimestamp", expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return Reply.json(201, answer);
    }

    private Optional<JsonNode> object(String kind, String namespace, String name) {
        Optional<StoredObject> stored = view.get(ObjectKeys.of("", kind, namespace, name));
        return stored.map(o -> Json.object(o.json()));
    }

    private static ApiException invalid(String name, FieldError error) {
        return ApiException.invalid("authentication.k8s.io", "TokenRequest", name, List.of(error));
    }
}
