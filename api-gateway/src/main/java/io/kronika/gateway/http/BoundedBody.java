package io.kronika.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit. A larger body is still read to its end (and dropped), so the client gets
 * its 413 as an answer rather than a reset connection.
 */
public final class BoundedBody {
    private BoundedBody() {
    }

    /** Calls {@code done} on the event loop with the body, or with null when it was larger than {@code limit}. */
    public static void read(HttpServerRequest request, int limit, Handler<byte[]> done) {
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            try {
                tooLarge[0] = Long.parseLong(declared.trim()) > limit;
            } catch (NumberFormatException ignored) {
                // Netty refuses malformed lengths before we get here.
            }
        }
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                tooLarge[0] = true;
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> done.handle(tooLarge[0] ? null : body.getBytes()));
        request.exceptionHandler(e -> {
            // A body the HTTP codec can not read (a bad chunk size): answer 400 while the connection still stands.
            io.vertx.core.http.HttpServerResponse response = request.response();
            if (!response.ended() && !response.closed() && !response.headWritten()) {
                response.setStatusCode(400).putHeader("Content-Type", Reply.JSON).putHeader("Connection", "close")
                        .end(io.vertx.core.buffer.Buffer.buffer(Reply.error(io.kronika.gateway.api.ApiException.badRequest(
                                "the request body could not be read: " + e.getMessage())).body()));
            }
        });
    }
}
