package io.kronika.gateway.auth;

import io.kronika.gateway.stream.KubeletClientCredentials;

import java.nio.file.Path;

/**
 * How a gateway secures itself. {@link #none()} is plain HTTP where every request acts as the configured user in
 * system:masters (the gateway library's own tests use it); {@link #of} serves HTTPS with a serving certificate,
 * authenticates every request (bearer tokens from {@code tokenFile}, service-account JWTs, client certificates signed
 * by {@code clientCa}) and authorizes it with RBAC.
 *
 * @param certificate PEM serving certificate (chain), null for plain HTTP
 * @param privateKey  PEM private key of the serving certificate
 * @param clientCa    PEM CA whose client certificates are accepted (CN = user, O = groups); null for none
 * @param tokenFile   static token file ({@code token,user,uid,"group1,group2"} per line, kube-apiserver's format); null for none
 * @param authenticate authenticate and authorize requests; false keeps the unauthenticated behaviour (also over TLS)
 * @param kubeletClient the client certificate presented to kubelets serving HTTPS, and the CA their certificates need
 */
public record GatewaySecurity(Path certificate, Path privateKey, Path clientCa, Path tokenFile, boolean authenticate,
                              KubeletClientCredentials kubeletClient) {
    public static GatewaySecurity none() {
        return new GatewaySecurity(null, null, null, null, false, null);
    }

    public static GatewaySecurity of(Path certificate, Path privateKey, Path clientCa, Path tokenFile) {
        return new GatewaySecurity(certificate, privateKey, clientCa, tokenFile, true, null);
    }

    /** Authentication and RBAC without TLS: only for an explicit {@code --insecure-http} on loopback. */
    public static GatewaySecurity plainHttp(Path tokenFile) {
        return new GatewaySecurity(null, null, null, tokenFile, true, null);
    }

    /** Presents {@code value} to kubelets that serve HTTPS (null: reaches plain-HTTP kubelets only). */
    public GatewaySecurity withKubeletClient(KubeletClientCredentials value) {
        return new GatewaySecurity(certificate, privateKey, clientCa, tokenFile, authenticate, value);
    }

    public boolean tls() {
        return certificate != null;
    }
}
