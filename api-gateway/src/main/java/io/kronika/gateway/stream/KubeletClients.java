package io.kronika.gateway.stream;

import io.kronika.gateway.api.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.time.Duration;

/**
 * The connections the gateway opens to kubelets, plain for {@code http://} endpoints and with its kubelet client
 * certificate for {@code https://} ones. A gateway without {@link KubeletClientCredentials} reaches only plain
 * endpoints and says so for the others.
 */
public final class KubeletClients {
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Mode plain;
    private final Mode secure;

    public KubeletClients(Vertx vertx, KubeletClientCredentials credentials) {
        this.plain = new Mode(vertx, null);
        this.secure = credentials == null ? null : new Mode(vertx, credentials);
    }

    /** The clients for an endpoint; a TLS endpoint without credentials is a 400 naming the fix. */
    public Mode forEndpoint(boolean tls) {
        if (!tls) {
            return plain;
        }
        if (secure == null) {
            throw ApiException.badRequest("the kubelet serves HTTPS but this gateway has no kubelet client certificate "
                    + "(start it with the cluster's kubelet client credentials, or run the cluster with --insecure-http)");
        }
        return secure;
    }

    /** One set of clients: TCP (upgrade proxy), HTTP (logs), WebSocket (port-forward tunnels) and the JDK client (usage). */
    public static final class Mode {
        final NetClient tcp;
        final HttpClient http;
        final WebSocketClient webSockets;
        private final java.net.http.HttpClient blocking;

        private Mode(Vertx vertx, KubeletClientCredentials credentials) {
            NetClientOptions tcpOptions = new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
            HttpClientOptions httpOptions = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setKeepAlive(false);
            WebSocketClientOptions wsOptions = new WebSocketClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
                    .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22);
            java.net.http.HttpClient.Builder blockingBuilder = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS));
            if (credentials != null) {
                credentials.apply(tcpOptions);
                credentials.apply(httpOptions);
                credentials.apply(wsOptions);
                blockingBuilder.sslContext(credentials.sslContext(vertx));
            }
            this.tcp = vertx.createNetClient(tcpOptions);
            this.http = vertx.createHttpClient(httpOptions);
            this.webSockets = vertx.createWebSocketClient(wsOptions);
            this.blocking = blockingBuilder.build();
        }

        /** The JDK client, for blocking calls (the usage summary). */
        public java.net.http.HttpClient blocking() {
            return blocking;
        }
    }
}
