package io.kronika.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.http.ApiRequest;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.Reply;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The pod subresources that stream through the node: log (HTTP) and exec, attach, portforward (upgraded
 * connections). The gateway finds the pod's node and proxies to its kubelet; the kubelet serves the streams. Only
 * kubectl's tunnelled SPDY port-forward is terminated here ({@link PortForwardTunnel}), since the kubelet speaks
 * the WebSocket port-forward protocol.
 */
public final class StreamHandler {
    public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");
    /** The WebSocket subprotocols the gateway itself terminates (all others are joined to the kubelet as they are). */
    public static final java.util.List<String> TERMINATED_PROTOCOLS = java.util.List.of(PortForwardTunnel.PROTOCOL);

    private final GatewayContext gateway;

    public StreamHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    /**
     * exec, attach and portforward need an upgrade. Only GET upgrades can be joined (Vert.x turns only GET upgrade
     * requests into sockets), which covers the WebSocket protocols kubectl 1.30+ speaks first; SPDY's POST upgrade
     * (kubectl's fallback) is refused with a message saying so.
     */
    private static void checkUpgrade(HttpServerRequest incoming) {
        if (incoming.getHeader("Upgrade") == null) {
            throw ApiException.badRequest("Upgrade request required");
        }
        if (incoming.method() != HttpMethod.GET) {
            throw ApiException.badRequest("the " + incoming.getHeader("Upgrade") + " upgrade of a " + incoming.method().name()
                    + " request is not supported: use the WebSocket streaming protocols (v5.channel.k8s.io, v4.channel.k8s.io, "
                    + "SPDY/3.1+portforward.k8s.io), as kubectl 1.30 and later do by default");
        }
    }

    private static boolean offers(HttpServerRequest incoming, String protocol) {
        String offered = incoming.getHeader("Sec-WebSocket-Protocol");
        if (offered == null) {
            return false;
        }
        for (String candidate : offered.split(",")) {
            if (candidate.trim().equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    public static boolean handles(String subresource) {
        return subresource != null && SUBRESOURCES.contains(subresource);
    }

    /**
     * Runs on a worker: reads the pod (404 when missing, 400 when unscheduled or the container is unknown) and starts
     * the proxy on the event loop. {@code error} answers with a Status while nothing was sent.
     */
    public void start(Context context, HttpServerRequest incoming, ApiRequest request, Consumer<Reply> error) {
        gateway.readYourWrites().awaitLatestWrite();
        JsonNode pod = gateway.view().get(request.type().key(request.namespace(), request.name()))
                .map(stored -> (JsonNode) Json.object(stored.json()))
                .orElseThrow(() -> ApiErrors.notFound(request.type(), request.name()));
        KubeletTarget target = KubeletTarget.resolve(gateway.view(), request, pod);
        KubeletClients.Mode clients = gateway.kubelets().forEndpoint(target.tls());
        if (!request.subresource().equals("log")) {
            checkUpgrade(incoming);
        }
        Consumer<String> failed = message -> error.accept(Reply.error(ApiErrors.internal(message)));
        if (request.subresource().equals("portforward") && offers(incoming, PortForwardTunnel.PROTOCOL)) {
            context.runOnContext(v -> incoming.toWebSocket().onComplete(upgraded -> {
                if (upgraded.succeeded()) {
                    new PortForwardTunnel(upgraded.result(), clients.webSockets, target).start();
                }
            }));
            return;
        }
        context.runOnContext(v -> {
            if (request.subresource().equals("log")) {
                LogProxy.proxy(clients.http, incoming.response(), target, failed);
            } else {
                UpgradeProxy.proxy(clients.tcp, incoming, target, failed);
            }
        });
    }
}
