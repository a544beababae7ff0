package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;

/**
 * The credentials of the current context of a kubeconfig as {@code up} writes it: the cluster CA
 * ({@code certificate-authority-data}) and the user's bearer token. Without a kubeconfig: plain defaults.
 */
record KubeconfigCredentials(byte[] caPem, String token) {
    static KubeconfigCredentials read(Path kubeconfig) {
        if (kubeconfig == null) {
            return new KubeconfigCredentials(null, null);
        }
        try {
            JsonNode config = new YAMLMapper().readTree(kubeconfig.toFile());
            String current = config.path("current-context").asText("");
            JsonNode context = named(config.path("contexts"), current).path("context");
            JsonNode cluster = named(config.path("clusters"), context.path("cluster").asText("")).path("cluster");
            JsonNode user = named(config.path("users"), context.path("user").asText("")).path("user");
            String ca = cluster.path("certificate-authority-data").asText("");
            String token = user.path("token").asText("");
            return new KubeconfigCredentials(ca.isEmpty() ? null : Base64.getDecoder().decode(ca), token.isEmpty() ? null : token);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode entry : list) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        return list.path(0);
    }

    HttpClient httpClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caPem == null) {
            return builder.build();
        }
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(caPem))) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return builder.sslContext(tls).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot trust the kubeconfig's certificate authority: " + e.getMessage(), e);
        }
    }
}
