package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.util.Json;
import io.kronika.schemas.auth.Rs256Jwt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token of a projected serviceAccountToken source: signed with the cluster key, bound to the pod, its expiry. */
class PodTokensTest {
    private static final KeyPair KEY = Rs256Jwt.generateKey();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final JsonNode POD = Json.parse("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"uid\":\"pod-uid\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"c\"}]}}");

    private boolean accountExists = true;
    private final ObjectLookup objects = (kind, ns, name) -> switch (kind + "/" + ns + "/" + name) {
        case "ServiceAccount/ns/default" -> accountExists ? Optional.of(Json.parse("{\"metadata\":{\"name\":\"default\",\"uid\":\"sa-uid\"}}"))
                : Optional.empty();
        case "Secret/kube-system/service-account-signing-key" -> Optional.of(Json.parse("{\"data\":{\"key.pem\":\"" + base64(Rs256Jwt.privatePem(KEY))
                + "\",\"pub.pem\":\"" + base64(Rs256Jwt.publicPem(KEY)) + "\"}}"));
        default -> Optional.empty();
    };
    private final PodTokens tokens = new PodTokens(objects, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void theDefaultVolumeTokenIsBoundToThePodAndExtendedToAYear() throws Exception {
        JsonNode claims = Rs256Jwt.verify(token("{\"expirationSeconds\":3607,\"path\":\"token\"}"), KEY.getPublic());
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:ns:default");
        assertThat(claims.path("kubernetes.io").path("pod").path("uid").asText()).isEqualTo("pod-uid");
        assertThat(claims.path("kubernetes.io").path("serviceaccount").path("uid").asText()).isEqualTo("sa-uid");
        assertThat(claims.path("exp").asLong()).isEqualTo(NOW.plus(PodTokens.EXTENDED).getEpochSecond());
        assertThat(claims.path("kubernetes.io").path("warnafter").asLong()).isEqualTo(NOW.plusSeconds(3607).getEpochSecond());
        assertThat(claims.path("aud").get(0).asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
    }

    @Test
    void otherExpirationsAndAudiencesAreTakenAsTheyAre() throws Exception {
        JsonNode claims = Rs256Jwt.verify(token("{\"expirationSeconds\":7200,\"audience\":\"vault\"}"), KEY.getPublic());
        assertThat(claims.path("exp").asLong()).isEqualTo(NOW.plusSeconds(7200).getEpochSecond());
        assertThat(claims.path("aud").get(0).asText()).isEqualTo("vault");
        assertThat(claims.path("kubernetes.io").has("warnafter")).isFalse();
    }

    @Test
    void aMissingAccountIsAConfigErrorNamingIt() {
        accountExists = false;
        assertThatThrownBy(() -> token("{}")).isInstanceOf(ConfigError.class).hasMessage("serviceaccounts \"default\" not found");
    }

    private String token(String source) throws ConfigError {
        return new String(tokens.token(POD, Json.parse(source)), StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
