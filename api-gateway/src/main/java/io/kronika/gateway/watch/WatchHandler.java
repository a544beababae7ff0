package io.kronika.gateway.watch;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.ApiRequest;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.ListOptions;
import io.kronika.gateway.metrics.GatewayMetrics.RequestLabels;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.table.TableFormat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * watch=true and the legacy /watch/ paths: checks the options (errors are plain HTTP Status answers, before the
 * stream starts), picks the starting point as kube-apiserver does, and streams over chunked HTTP or a WebSocket.
 * <ul>
 *   <li>resourceVersion unset: ADDED for the current state (after read-your-writes), then what follows;</li>
 *   <li>"0": the same from whatever the view has;</li>
 *   <li>N: every event after N, from any revision still in the log (older: an ERROR event with 410 Expired);</li>
 *   <li>sendInitialEvents=true (with resourceVersionMatch=NotOlderThan): the state, then a bookmark marking the
 *       end of the initial events, then what follows; =false: no initial state.</li>
 * </ul>
 */
public final class WatchHandler {
    private final GatewayContext gateway;
    private final Set<WatchSession> open = ConcurrentHashMap.newKeySet();

    public WatchHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    /** Runs on a worker thread; throws ApiException for bad options before anything is streamed. */
    public void start(Context context, RoutingContext routing, ApiRequest request, boolean websocket, RequestLabels labels, long started) {
        ListOptions options = ListOptions.from(request, true);
        Long rv = options.resourceVersion();
        boolean initialState;
        long revision;
        if (Boolean.TRUE.equals(options.sendInitialEvents())) {
            initialState = true;
            revision = rv == null ? gateway.readYourWrites().awaitLatestWrite()
                    : rv == 0 ? gateway.view().appliedRevision() : gateway.readYourWrites().await(rv);
        } else if (Boolean.FALSE.equals(options.sendInitialEvents()) || (rv != null && rv > 0)) {
            initialState = false;
            revision = rv == null ? gateway.readYourWrites().awaitLatestWrite() : rv == 0 ? gateway.view().appliedRevision() : rv;
        } else {
            initialState = true;
            revision = rv == null ? gateway.readYourWrites().awaitLatestWrite() : gateway.view().appliedRevision();
        }
        long timeoutSeconds = WatchTimeouts.seconds(options.timeoutSeconds(), gateway.settings().watchTimeout());
        long oldest = initialState ? 0 : gateway.feed().oldestRevision();
        boolean tooOld = !initialState && revision < oldest - 1;

        HttpServerRequest http = routing.request();
        gateway.metrics().watchOpened();
        Runnable onClosed = () -> {
            gateway.metrics().watchClosed();
            gateway.metrics().record(labels, 200, System.nanoTime() - started);
        };
        if (websocket) {
            context.runOnContext(v -> http.toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    onClosed.run();
                    return;
                }
                upgraded.result().handler(frame -> {
                });
                upgraded.result().exceptionHandler(e -> {
                    // the client went away; the close handler ends the session
                });
                upgraded.result().resume();
                WatchSession session = new WatchSession(gateway, request.type(), options.selection(),
                        new WebSocketWatchSink(context, upgraded.result()), options.allowWatchBookmarks(), onClosed, presenter(request));
                gateway.workers().execute(() -> run(session, tooOld, oldest, initialState, revision, options, timeoutSeconds));
            }));
            return;
        }
        HttpWatchSink sink = new HttpWatchSink(context, routing.response());
        sink.open();
        WatchSession session = new WatchSession(gateway, request.type(), options.selection(), sink, options.allowWatchBookmarks(), onClosed,
                presenter(request));
        run(session, tooOld, oldest, initialState, revision, options, timeoutSeconds);
    }

    /** Objects as they are, or each as a one-row Table when the client asked for tables (kubectl get -w). */
    private UnaryOperator<String> presenter(ApiRequest request) {
        Optional<String> table = TableFormat.requested(request.header("Accept"));
        if (table.isEmpty()) {
            return UnaryOperator.identity();
        }
        String includeObject = request.param("includeObject");
        return json -> {
            ObjectNode object = Json.object(json);
            return Json.write(gateway.tables().table(request.type(), table.get(), List.of(object),
                    Json.text(Json.metadata(object), "resourceVersion"), null, includeObject));
        };
    }

    private void run(WatchSession session, boolean tooOld, long oldest, boolean initialState, long revision, ListOptions options,
                     long timeoutSeconds) {
        open.removeIf(WatchSession::isClosed);
        open.add(session);
        try {
            if (tooOld) {
                session.fail(new ApiException(410, "Expired", "too old resource version: " + revision + " (" + (oldest - 1) + ")"));
                return;
            }
            session.start(initialState, revision, Boolean.TRUE.equals(options.sendInitialEvents()), Duration.ofSeconds(timeoutSeconds));
        } catch (ApiException e) {
            session.fail(e);
        } catch (RuntimeException e) {
            session.fail(new ApiException(500, "InternalError", "Internal error occurred: " + e.getMessage()));
        }
    }

    /** Ends every open watch (the gateway is stopping). */
    public void closeAll() {
        for (WatchSession session : open) {
            session.end();
        }
        open.clear();
    }

    /** Number of open watches. */
    public int openCount() {
        open.removeIf(WatchSession::isClosed);
        return open.size();
    }
}
