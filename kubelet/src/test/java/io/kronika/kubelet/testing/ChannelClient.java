package io.kronika.kubelet.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A client of the channel.k8s.io WebSocket protocol (what the gateway speaks to the node endpoint). */
public final class ChannelClient implements AutoCloseable {
    private final Map<Integer, ByteArrayOutputStream> channels = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private WebSocket socket;

    private ChannelClient() {
    }

    public static ChannelClient connect(String url, String protocol) throws Exception {
        ChannelClient client = new ChannelClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(protocol).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), client.listener()).get(10, TimeUnit.SECONDS);
        return client;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partial.writeBytes(bytes);
                if (last) {
                    byte[] message = partial.toByteArray();
                    partial.reset();
                    if (message.length > 0) {
                        ByteArrayOutputStream out = channels.computeIfAbsent(message[0] & 0xff, c -> new ByteArrayOutputStream());
                        synchronized (out) {
                            out.write(message, 1, message.length - 1);
                        }
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(null);
            }
        };
    }

    public void send(int channel, byte[] data) {
        ByteBuffer frame = ByteBuffer.allocate(data.length + 1);
        frame.put((byte) channel).put(data).flip();
        socket.sendBinary(frame, true).join();
    }

    public void send(int channel, String text) {
        send(channel, text.getBytes(StandardCharsets.UTF_8));
    }

    /** What arrived on a channel so far. */
    public byte[] received(int channel) {
        ByteArrayOutputStream out = channels.get(channel);
        if (out == null) {
            return new byte[0];
        }
        synchronized (out) {
            return out.toByteArray();
        }
    }

    public String text(int channel) {
        return new String(received(channel), StandardCharsets.UTF_8);
    }

    public void awaitClosed(Duration timeout) throws Exception {
        closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
