package io.kronika.gateway.watch;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

/**
 * One text message per event over a WebSocket, as kube-apiserver serves watches to WebSocket clients; a client that
 * does not read is disconnected once the write queue is full (it resumes from the last revision it got).
 */
final class WebSocketWatchSink implements WatchSink {
    private final Context context;
    private final ServerWebSocket socket;

    WebSocketWatchSink(Context context, ServerWebSocket socket) {
        this.context = context;
        this.socket = socket;
        socket.setWriteQueueMaxSize(HttpWatchSink.MAX_QUEUED_BYTES);
    }

    @Override
    public void send(String eventJson) {
        context.runOnContext(v -> {
            if (socket.isClosed()) {
                return;
            }
            if (socket.writeQueueFull()) {
                socket.close((short) 1013, "watcher too slow");
                return;
            }
            socket.writeTextMessage(eventJson);
        });
    }

    @Override
    public void close() {
        context.runOnContext(v -> {
            if (!socket.isClosed()) {
                socket.close((short) 1000);
            }
        });
    }

    @Override
    public void onClose(Runnable action) {
        context.runOnContext(v -> {
            socket.closeHandler(x -> action.run());
            if (socket.isClosed()) {
                action.run();
            }
        });
    }
}
