package io.kronika.gateway.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Proxies an upgrading GET request (exec, attach, portforward over WebSocket — v5.channel.k8s.io, v4.channel.k8s.io,
 * SPDY/3.1+portforward.k8s.io tunnels) to the kubelet byte for byte: the request head goes
 * to the node as it came, the node's answer comes back as it is, and once the node switches protocols both
 * connections are joined. Whatever the client and the node negotiate, the gateway does not interpret.
 */
final class UpgradeProxy {
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "transfer-encoding", "keep-alive");

    private UpgradeProxy() {
    }

    /** Runs on the request's event loop; {@code failed} gets the message when the node cannot be reached. */
    static void proxy(NetClient client, HttpServerRequest request, KubeletTarget target, Consumer<String> failed) {
        client.connect(target.port(), target.host()).onComplete(connected -> {
            if (connected.failed()) {
                failed.accept("error dialing backend: " + connected.cause().getMessage());
                return;
            }
            NetSocket node = connected.result();
            Buffer head = Buffer.buffer();
            node.handler(chunk -> {
                head.appendBuffer(chunk);
                int end = indexOf(head, END_OF_HEAD);
                if (end < 0) {
                    return;
                }
                node.pause();
                node.handler(null);
                answer(request, node, head.getString(0, end, "ISO-8859-1"), head.getBuffer(end + END_OF_HEAD.length, head.length()));
            });
            node.exceptionHandler(e -> node.close());
            node.write(requestHead(request, target));
        });
    }

    private static Buffer requestHead(HttpServerRequest request, KubeletTarget target) {
        StringBuilder head = new StringBuilder();
        head.append(request.method().name()).append(' ').append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(target.host()).append(':').append(target.port()).append("\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT)) && !header.getKey().equalsIgnoreCase("authorization")) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        return Buffer.buffer(head.append("\r\n").toString(), "ISO-8859-1");
    }

    private static void answer(HttpServerRequest request, NetSocket node, String head, Buffer rest) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code = status.length > 1 ? Integer.parseInt(status[1]) : 502;
        HttpServerResponse response = request.response();
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            }
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                response.headers().add(name, value);
            }
        }
        if (code == 101) {
            request.resume();
            request.toNetSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    node.close();
                    request.connection().close();
                    return;
                }
                NetSocket client = upgraded.result();
                if (rest.length() > 0) {
                    client.write(rest);
                }
                client.pipeTo(node);
                node.pipeTo(client);
            });
            return;
        }
        relay(response.setStatusCode(code), node, rest, length);
    }

    /** A refused upgrade: the node's answer (status, headers, body) goes back as an ordinary response. */
    private static void relay(HttpServerResponse response, NetSocket node, Buffer rest, long length) {
        if (length >= 0) {
            response.putHeader("Content-Length", Long.toString(length));
        } else {
            response.setChunked(true);
        }
        long[] remaining = {length < 0 ? Long.MAX_VALUE : length};
        Consumer<Buffer> forward = chunk -> {
            Buffer part = chunk.length() > remaining[0] ? chunk.getBuffer(0, (int) remaining[0]) : chunk;
            remaining[0] -= part.length();
            response.write(part);
            if (remaining[0] == 0) {
                response.end();
                node.close();
            }
        };
        if (rest.length() > 0) {
            forward.accept(rest);
        }
        if (remaining[0] == 0) {
            return;
        }
        node.handler(forward::accept);
        node.endHandler(v -> {
            if (!response.ended()) {
                response.end();
            }
        });
        node.resume();
    }

    private static int indexOf(Buffer buffer, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= buffer.length(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
