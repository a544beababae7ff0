package io.kronika.launcher.security;

import io.kronika.gateway.auth.GatewaySecurity;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;

/**
 * What {@code up} secures the API with, kept under {@code <data-dir>/pki} and reused on restart: the cluster CA, the
 * serving certificate, and the static token file holding the admin token ({@code kubernetes-admin} in system:masters)
 * that the generated kubeconfig carries.
 */
public record ClusterCredentials(ClusterPki pki, Path servingCertificate, Path servingKey, Path tokenFile, String adminToken) {
    public static final String ADMIN_USER = "kubernetes-admin";
    public static final String TOKEN_FILE = "tokens.csv";

    public static ClusterCredentials ensure(Path dataDir, String apiHost) {
        ClusterPki pki = ClusterPki.open(dataDir);
        Path[] serving = pki.servingCertificate(apiHost);
        Path tokens = dataDir.resolve(ClusterPki.DIR).resolve(TOKEN_FILE);
        try {
            String token = adminToken(tokens);
            if (token == null) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                String existing = Files.exists(tokens) ? Files.readString(tokens) : "";
                ClusterPki.writePrivate(tokens, existing + token + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n");
            }
            return new ClusterCredentials(pki, serving[0], serving[1], tokens, token);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the token file " + tokens, e);
        }
    }

    private static String adminToken(Path tokens) throws IOException {
        if (!Files.exists(tokens)) {
            return null;
        }
        for (String line : Files.readAllLines(tokens)) {
            String[] fields = line.split(",", 3);
            if (fields.length == 3 && fields[1].equals(ADMIN_USER)) {
                return fields[0];
            }
        }
        return null;
    }

    public GatewaySecurity gatewaySecurity() {
        return GatewaySecurity.of(servingCertificate, servingKey, pki.caCertificate(), tokenFile)
                .withKubeletClient(NodeEndpointCertificates.gatewayClient(pki));
    }

    /** An HTTP client that trusts the cluster CA (and only it). */
    public HttpClient httpClient() {
        return httpClient(pki.caPem());
    }

    public static HttpClient httpClient(String caPem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(30)).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not trust the cluster CA: " + e.getMessage(), e);
        }
    }

    /** The admin user's kubeconfig credentials. */
    public KubeconfigUser adminUser() {
        return KubeconfigUser.token(ADMIN_USER, adminToken);
    }

    /** A kubeconfig user: a bearer token, or a client certificate and key (PEM). */
    public record KubeconfigUser(String name, String token, String certificatePem, String keyPem) {
        public static KubeconfigUser token(String name, String token) {
            return new KubeconfigUser(name, token, null, null);
        }

        public static KubeconfigUser certificate(String name, String certificatePem, String keyPem) {
            return new KubeconfigUser(name, null, certificatePem, keyPem);
        }

        /** The {@code user:} body in kubeconfig YAML, indented for the users list. */
        public String yaml() {
            if (token != null) {
                return "    token: " + token + "\n";
            }
            return "    client-certificate-data: " + base64(certificatePem) + "\n    client-key-data: " + base64(keyPem) + "\n";
        }
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

}
