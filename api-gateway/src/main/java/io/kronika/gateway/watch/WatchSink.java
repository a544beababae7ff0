package io.kronika.gateway.watch;

/** Where a watch's events go: a chunked HTTP response or a WebSocket. Calls may come from any thread. */
public interface WatchSink {
    /** Sends one event (a JSON object, without newline); ordered with the other calls. */
    void send(String eventJson);

    /** Ends the stream normally. */
    void close();

    /** Called once when the client goes away or the stream ends. */
    void onClose(Runnable action);
}
