package io.kronika.gateway.stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the gateway calls kubelets that serve HTTPS, as kube-apiserver's {@code --kubelet-client-certificate},
 * {@code --kubelet-client-key} and {@code --kubelet-certificate-authority}: it presents its client certificate
 * ({@code kube-apiserver-kubelet-client}) and accepts only serving certificates signed by the cluster CA for the
 * address it dials. All PEM.
 */
public record KubeletClientCredentials(String certificatePem, String keyPem, String caPem) {
    public static KubeletClientCredentials read(Path certificate, Path key, Path ca) {
        try {
            return new KubeletClientCredentials(Files.readString(certificate), Files.readString(key), Files.readString(ca));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the kubelet client credentials " + certificate + ", " + key + ", " + ca, e);
        }
    }

    /** Client TLS on Vert.x options: this certificate, the cluster CA as the only trust, host names verified. */
    <T extends ClientOptionsBase> T apply(T options) {
        options.setSsl(true).setKeyCertOptions(keyCert()).setTrustOptions(trust());
        if (options instanceof NetClientOptions tcp) {
            tcp.setHostnameVerificationAlgorithm("HTTPS");
        }
        return options;
    }

    /** The same for the JDK's HTTP client. */
    public SSLContext sslContext(Vertx vertx) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyCert().getKeyManagerFactory(vertx).getKeyManagers(), trust().getTrustManagerFactory(vertx).getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("Could not use the kubelet client credentials: " + e.getMessage(), e);
        }
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().addCertValue(Buffer.buffer(certificatePem)).addKeyValue(Buffer.buffer(keyPem));
    }

    private PemTrustOptions trust() {
        return new PemTrustOptions().addCertValue(Buffer.buffer(caPem));
    }

    @Override
    public String toString() {
        return "KubeletClientCredentials[certificate, key, ca]";
    }
}
