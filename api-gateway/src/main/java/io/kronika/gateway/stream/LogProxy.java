package io.kronika.gateway.stream;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.util.function.Consumer;

/**
 * Proxies pods/log to the kubelet's containerLogs endpoint and streams the answer as it comes ({@code -f} keeps the
 * connection open until the client or the node ends it).
 */
final class LogProxy {
    private LogProxy() {
    }

    static void proxy(HttpClient client, HttpServerResponse response, KubeletTarget target, Consumer<String> failed) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                .setURI(target.pathAndQuery()).setIdleTimeout(0);
        client.request(options).compose(request -> {
            response.closeHandler(v -> request.reset());
            return request.send();
        }).onComplete(answered -> {
            if (answered.failed()) {
                failed.accept("error dialing backend: " + answered.cause().getMessage());
                return;
            }
            var upstream = answered.result();
            response.setStatusCode(upstream.statusCode()).setChunked(true);
            String type = upstream.getHeader("Content-Type");
            response.putHeader("Content-Type", type == null ? "text/plain" : type);
            response.putHeader("Cache-Control", "no-cache, private");
            upstream.pipeTo(response);
        });
    }
}
