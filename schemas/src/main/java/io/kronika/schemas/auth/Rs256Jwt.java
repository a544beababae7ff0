package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * JSON Web Tokens signed RS256 (java.security only) with the cluster's service-account key, and the PEM forms the key
 * is kept in. Shared by the token controller (which signs legacy Secret tokens) and the gateway (which signs
 * TokenRequest tokens and verifies both).
 */
public final class Rs256Jwt {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Rs256Jwt() {
    }

    public static KeyPair generateKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key id: base64url of the SHA-256 of the DER public key, as Kubernetes computes it. */
    public static String keyId(PublicKey key) {
        try {
            return URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} signed with {@code key}: header.claims.signature. RS256 (PKCS#1 v1.5) is deterministic. */
    public static String sign(ObjectNode claims, KeyPair key) {
        ObjectNode header = JsonTrees.object();
        header.put("alg", "RS256");
        header.put("kid", keyId(key.getPublic()));
        String signingInput = URL.encodeToString(JsonTrees.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(JsonTrees.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a token whose RS256 signature {@code key} verifies, or null (bad form, other algorithm, bad signature). */
    public static JsonNode verify(String token, PublicKey key) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = JsonTrees.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (header == null || !"RS256".equals(header.path("alg").asText())) {
                return null;
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            JsonNode claims = JsonTrees.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims != null && claims.isObject() ? claims : null;
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    public static String privatePem(KeyPair key) {
        return pem("PRIVATE KEY", key.getPrivate().getEncoded());
    }

    public static String publicPem(KeyPair key) {
        return pem("PUBLIC KEY", key.getPublic().getEncoded());
    }

    /** The key pair from its PEM forms (PKCS#8 private key, X.509 public key). */
    public static KeyPair fromPem(String privatePem, String publicPem) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
            PublicKey pub = rsa.generatePublic(new X509EncodedKeySpec(der(publicPem)));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA key pair in PEM: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
    }
}
