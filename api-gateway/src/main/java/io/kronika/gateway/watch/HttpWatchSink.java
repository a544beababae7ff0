package io.kronika.gateway.watch;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Newline-delimited JSON events over a chunked HTTP response, as kube-apiserver streams watches. A client that
 * does not read lets the write queue grow to {@link #MAX_QUEUED_BYTES}; then its connection is closed (as
 * kube-apiserver drops slow watchers) and it resumes from the last revision it got.
 */
final class HttpWatchSink implements WatchSink {
    static final int MAX_QUEUED_BYTES = 16 * 1024 * 1024;

    private final Context context;
    private final HttpServerResponse response;

    HttpWatchSink(Context context, HttpServerResponse response) {
        this.context = context;
        this.response = response;
    }

    /** Sends the headers now, so the client knows the watch is established before any event. */
    void open() {
        context.runOnContext(v -> {
            if (response.closed() || response.ended()) {
                return;
            }
            response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
            response.exceptionHandler(e -> {
                // the client went away; the close handler ends the session
            });
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-cache, private");
            response.writeHead();
        });
    }

    @Override
    public void send(String eventJson) {
        Buffer line = Buffer.buffer(eventJson.length() + 1).appendString(eventJson).appendByte((byte) '\n');
        context.runOnContext(v -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (response.writeQueueFull()) {
                response.reset();
                return;
            }
            response.write(line);
        });
    }

    @Override
    public void close() {
        context.runOnContext(v -> {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        });
    }

    @Override
    public void onClose(Runnable action) {
        context.runOnContext(v -> {
            response.closeHandler(x -> action.run());
            response.endHandler(x -> action.run());
            if (response.closed()) {
                action.run();
            }
        });
    }
}
