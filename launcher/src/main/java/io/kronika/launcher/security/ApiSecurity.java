package io.kronika.launcher.security;

import io.kronika.gateway.auth.GatewaySecurity;
import io.kronika.launcher.security.ClusterCredentials.KubeconfigUser;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;

/**
 * How the all-in-one API is secured: TLS with the cluster's certificates, tokens and RBAC by default; plain HTTP
 * without authentication only when {@code --insecure-http} asks for it, and then only on a loopback address (the old
 * insecure port of kube-apiserver, for local experiments and benchmarks).
 */
public final class ApiSecurity {
    private final ClusterCredentials credentials;

    private ApiSecurity(ClusterCredentials credentials) {
        this.credentials = credentials;
    }

    public static ApiSecurity of(Path dataDir, String apiHost, boolean insecureHttp) {
        if (insecureHttp) {
            if (!isLoopback(apiHost)) {
                throw new IllegalArgumentException("--insecure-http serves the API without TLS or authentication, so only on a loopback "
                        + "address; --api-host " + apiHost + " is not one (drop --insecure-http, or use --api-host 127.0.0.1)");
            }
            return new ApiSecurity(null);
        }
        return new ApiSecurity(ClusterCredentials.ensure(dataDir, apiHost));
    }

    public GatewaySecurity gatewaySecurity() {
        return credentials == null ? GatewaySecurity.none() : credentials.gatewaySecurity();
    }

    /** A client for the cluster's own calls to its API (trusting the cluster CA when there is TLS). */
    public HttpClient httpClient() {
        return credentials == null ? HttpClient.newHttpClient() : credentials.httpClient();
    }

    /** Adds the admin's credentials to a request to the API. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return credentials == null ? request : request.header("Authorization", "Bearer " + credentials.adminToken());
    }

    /** The cluster CA in PEM for the kubeconfig; null for plain HTTP. */
    public String caPem() {
        return credentials == null ? null : credentials.pki().caPem();
    }

    /** The kubeconfig user: the admin token; null for plain HTTP, which needs none. */
    public KubeconfigUser adminUser() {
        return credentials == null ? null : credentials.adminUser();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
