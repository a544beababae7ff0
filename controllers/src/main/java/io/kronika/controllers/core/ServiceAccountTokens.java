package io.kronika.controllers.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Json;

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
 * Service account tokens: JWTs signed RS256 with the cluster's key (java.security only), in the legacy secret-based
 * token format of Kubernetes, and the PEM form the key is stored in.
 */
public final class ServiceAccountTokens {
    public static final String ISSUER = "kubernetes/serviceaccount";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private ServiceAccountTokens() {
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

    /** The legacy token of a service account's token secret. RS256 with PKCS#1 v1.5 is deterministic: same inputs, same token. */
    public static String token(String namespace, String account, String accountUid, String secretName, KeyPair key) {
        ObjectNode header = Json.object();
        header.put("alg", "RS256");
        header.put("kid", keyId(key.getPublic()));
        ObjectNode claims = Json.object();
        claims.put("iss", ISSUER);
        claims.put("kubernetes.io/serviceaccount/namespace", namespace);
        claims.put("kubernetes.io/serviceaccount/secret.name", secretName);
        claims.put("kubernetes.io/serviceaccount/service-account.name", account);
        claims.put("kubernetes.io/serviceaccount/service-account.uid", accountUid);
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + account);
        String signingInput = URL.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a token whose RS256 signature {@code key} verifies, or null. */
    public static JsonNode verify(String token, PublicKey key) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = Json.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            if (!"RS256".equals(Json.text(header, "alg"))) {
                return null;
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            return Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
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
        } catch (GeneralSecurityException e) {
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
