package io.kronika.gateway.http;

import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.auth.AuthenticationHandler;
import io.kronika.gateway.auth.GatewayAuth;
import io.kronika.gateway.auth.TokenRequestHandler;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.auth.RequestAttributes;
import io.kronika.schemas.auth.UserInfo;
import io.kronika.gateway.metrics.GatewayMetrics.RequestLabels;
import io.kronika.gateway.stream.StreamHandler;
import io.kronika.gateway.usage.MetricsApi;
import io.kronika.gateway.watch.WatchHandler;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Serves every resource path ({@code /api/v1/…}, {@code /apis/{group}/{version}/…}): reads the body (bounded),
 * resolves the resource and the verb as kube-apiserver does, and hands the request to the handler of its verb on
 * a worker thread. Every failure becomes a Status.
 */
public final class ApiDispatcher implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

    private final GatewayContext gateway;
    private final ReadHandler reads;
    private final WriteHandler writes;
    private final PatchHandler patches;
    private final DeleteHandler deletes;
    private final ScaleHandler scales;
    private final PodSubresourceHandler pods;
    private final WatchHandler watches;
    private final StreamHandler streams;
    private final MetricsApi metricsApi;

    public ApiDispatcher(GatewayContext gateway) {
        this.gateway = gateway;
        this.reads = new ReadHandler(gateway);
        this.writes = new WriteHandler(gateway);
        this.scales = new ScaleHandler(gateway);
        this.patches = new PatchHandler(gateway, scales);
        this.deletes = new DeleteHandler(gateway);
        this.pods = new PodSubresourceHandler(gateway, deletes);
        this.watches = new WatchHandler(gateway);
        this.streams = new StreamHandler(gateway);
        this.metricsApi = new MetricsApi(gateway);
    }

    public WatchHandler watches() {
        return watches;
    }

    @Override
    public void handle(RoutingContext routing) {
        handle(routing, routing.request().path());
    }

    /** Serves the request as if its path were {@code apiPath} (the part after a mount point such as /history/revision/R). */
    public void handle(RoutingContext routing, String apiPath) {
        long started = System.nanoTime();
        HttpServerRequest request = routing.request();
        Context context = Vertx.currentContext();
        Optional<ApiPath> parsed = ApiPath.parse(apiPath);
        RequestLabels unknown = new RequestLabels(request.method().name(), "", "", "", "");
        if (parsed.isEmpty()) {
            BoundedBody.read(request, gateway.settings().limits().maxBodyBytes(), body -> send(context, routing, Reply.error(ApiErrors.pathNotFound()), unknown, started));
            return;
        }
        ApiPath path = parsed.get();
        if (request.canUpgradeToWebSocket() || isUpgrade(request)) {
            // An upgrading request has no body: what follows its head belongs to the new protocol.
            request.pause();
            boolean websocket = request.canUpgradeToWebSocket();
            gateway.workers().execute(() -> dispatch(context, routing, path, null, websocket, true, started));
            return;
        }
        BoundedBody.read(request, gateway.settings().limits().maxBodyBytes(), body -> {
            if (body == null) {
                send(context, routing, Reply.error(ApiErrors.tooLarge(gateway.settings().limits().maxBodyBytes())), unknown, started);
                return;
            }
            gateway.workers().execute(() -> dispatch(context, routing, path, body, false, false, started));
        });
    }

    /** An HTTP/1.1 upgrade other than a WebSocket one (SPDY/3.1 for exec, attach and portforward). */
    public static boolean isUpgrade(HttpServerRequest request) {
        String connection = request.getHeader("Connection");
        return request.getHeader("Upgrade") != null && connection != null && connection.toLowerCase(Locale.ROOT).contains("upgrade");
    }

    private void dispatch(Context context, RoutingContext routing, ApiPath path, byte[] body, boolean websocket, boolean paused,
                          long started) {
        HttpServerRequest http = routing.request();
        // Until the path names a served resource its labels stay empty (unknown names must not grow the metrics).
        RequestLabels labels = new RequestLabels(http.method().name(), "", "", "", "");
        try {
            GatewayAuth auth = AuthenticationHandler.auth(routing);
            ApiRequest request = resolve(http, path, body, AuthenticationHandler.user(routing), auth);
            labels = labels(http.method().name(), path, request.verb());
            authorize(auth, request, http);
            if (request.verb().equals("watch")) {
                watches.start(context, routing, request, websocket, labels, started);
                return;
            }
            if (StreamHandler.handles(request.subresource())) {
                RequestLabels streaming = labels;
                streams.start(context, http, request, reply -> {
                    if (paused) {
                        http.resume();
                    }
                    send(context, routing, reply, streaming, started);
                });
                return;
            }
            if (paused) {
                context.runOnContext(v -> http.resume());
            }
            RequestLabels done = labels;
            route(request, auth).whenComplete((reply, error) ->
                    send(context, routing, error == null ? reply : errorReply(error), done, started));
        } catch (Throwable error) {
            if (paused) {
                context.runOnContext(v -> http.resume());
            }
            send(context, routing, errorReply(error), labels, started);
        }
    }

    /** RBAC on the resolved request (a 403 Status, recorded, when nothing allows it); nothing when the gateway does not authenticate. */
    private void authorize(GatewayAuth auth, ApiRequest request, HttpServerRequest http) {
        if (request.user() == null) {
            return;
        }
        if (auth.access().enabled() && !request.user().groups().contains(UserInfo.MASTERS)) {
            // Decide on RBAC objects at least as new as this gateway's latest write: a binding just created applies.
            gateway.readYourWrites().awaitLatestWrite();
        }
        ResourceType type = request.type();
        String verb = request.verb();
        String namespace = type.namespaced() ? request.namespace() : null;
        auth.access().check(RequestAttributes.resource(request.user(), verb, type.group(), type.plural(), request.subresource(),
                        namespace, request.name()),
                ObjectKeys.ref(type.group(), type.kind(), namespace == null ? "" : namespace, request.name() == null ? "" : request.name()),
                type.plural(), http.path(), http.getHeader("User-Agent"));
    }

    private ApiRequest resolve(HttpServerRequest http, ApiPath path, byte[] body, UserInfo user, GatewayAuth auth) {
        ResourceType type = gateway.catalog().find(path.group(), path.version(), path.resource()).orElse(null);
        if (type == null && !path.group().isEmpty() && !gateway.catalog().isBuiltinGroup(path.group())) {
            // A custom resource whose CRD may have been created a moment ago: look again once the view has it.
            gateway.readYourWrites().awaitLatestWrite();
            type = gateway.catalog().find(path.group(), path.version(), path.resource()).orElse(null);
        }
        if (type == null) {
            throw ApiErrors.pathNotFound();
        }
        String verb = verb(http, path);
        checkScope(type, path, verb);
        checkSubresource(type, path, verb);
        if (!type.allows(verb) && path.subresource() == null) {
            throw ApiErrors.methodNotAllowed();
        }
        return new ApiRequest(http.method().name(), verb, path, type, http.params(), http.headers(), body, user, auth.access());
    }

    private static String verb(HttpServerRequest http, ApiPath path) {
        boolean named = path.name() != null;
        return switch (http.method().name()) {
            case "GET" -> path.watchPrefix() || isWatch(http) ? "watch" : named ? "get" : "list";
            case "POST" -> {
                if (named && path.subresource() == null) {
                    throw ApiErrors.methodNotAllowed();
                }
                yield "create";
            }
            case "PUT" -> requireName(named, "update");
            case "PATCH" -> requireName(named, "patch");
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw ApiErrors.methodNotAllowed();
        };
    }

    private static boolean isWatch(HttpServerRequest http) {
        String watch = http.getParam("watch");
        return "true".equals(watch) || "1".equals(watch);
    }

    private static String requireName(boolean named, String verb) {
        if (!named) {
            throw ApiErrors.methodNotAllowed();
        }
        return verb;
    }

    private static void checkScope(ResourceType type, ApiPath path, String verb) {
        if (!type.namespaced()) {
            if (path.namespace() != null) {
                throw ApiErrors.pathNotFound();
            }
            return;
        }
        if (path.namespace() == null) {
            if (path.name() != null) {
                throw ApiErrors.pathNotFound();
            }
            if (!verb.equals("list") && !verb.equals("watch")) {
                throw ApiErrors.methodNotAllowed();
            }
        }
    }

    private static void checkSubresource(ResourceType type, ApiPath path, String verb) {
        String sub = path.subresource();
        if (sub == null) {
            return;
        }
        boolean exists = switch (sub) {
            case "status" -> type.statusSubresource();
            case "scale" -> type.scale() != null;
            case "binding", "eviction", "log", "exec", "attach", "portforward" -> type.podSubresources();
            case "token" -> type.kind().equals("ServiceAccount") && type.group().isEmpty();
            default -> false;
        };
        if (!exists || path.watchPrefix()) {
            throw ApiErrors.pathNotFound();
        }
        boolean allowed = switch (sub) {
            case "status", "scale" -> verb.equals("get") || verb.equals("update") || verb.equals("patch");
            case "log" -> verb.equals("get");
            case "exec", "attach", "portforward" -> verb.equals("get") || verb.equals("create");
            default -> verb.equals("create");
        };
        if (!allowed) {
            throw ApiErrors.methodNotAllowed();
        }
    }

    private CompletionStage<Reply> route(ApiRequest request, GatewayAuth auth) {
        String sub = request.subresource();
        if (MetricsApi.handles(request.type())) {
            return done(metricsApi.serve(request));
        }
        return switch (request.verb()) {
            case "get" -> "scale".equals(sub) ? done(scales.get(request)) : done(reads.get(request));
            case "list" -> done(reads.list(request));
            case "create" -> {
                if (ReviewHandler.handles(request.type())) {
                    yield done(new ReviewHandler(auth.access(), gateway.settings().user()).create(request));
                }
                if (TokenRequestHandler.handles(request)) {
                    if (auth.tokenRequests() == null) {
                        throw ApiErrors.pathNotFound(); // a gateway without authentication issues no tokens
                    }
                    yield done(auth.tokenRequests().create(request));
                }
                if ("binding".equals(sub) || request.type().kind().equals("Binding")) {
                    yield pods.bind(request);
                }
                yield "eviction".equals(sub) ? pods.evict(request) : writes.create(request);
            }
            case "update" -> "scale".equals(sub) ? scales.update(request)
                    : "status".equals(sub) ? writes.updateStatus(request) : writes.update(request);
            case "patch" -> patches.patch(request);
            case "delete" -> deletes.delete(request);
            case "deletecollection" -> deletes.deleteCollection(request);
            default -> throw ApiErrors.methodNotAllowed();
        };
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    static Reply errorReply(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return Reply.error(api);
        }
        LOG.error("Request failed", cause);
        return Reply.error(ApiErrors.internal(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    private void send(Context context, RoutingContext routing, Reply reply, RequestLabels labels, long started) {
        context.runOnContext(v -> {
            HttpServerResponse response = routing.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(reply.code())
                    .putHeader("Content-Type", reply.contentType())
                    .putHeader("Cache-Control", "no-cache, private");
            for (String warning : reply.warningHeaders()) {
                response.headers().add("Warning", warning);
            }
            response.end(Buffer.buffer(reply.body()));
            gateway.metrics().record(labels, reply.code(), System.nanoTime() - started);
        });
    }

    private static RequestLabels labels(String method, ApiPath path, String verb) {
        String metricVerb = verb == null ? method : switch (verb) {
            case "get" -> "GET";
            case "list" -> "LIST";
            case "watch" -> "WATCH";
            case "create" -> "POST";
            case "update" -> "PUT";
            case "patch" -> "PATCH";
            case "delete" -> "DELETE";
            case "deletecollection" -> "DELETECOLLECTION";
            default -> verb.toUpperCase(Locale.ROOT);
        };
        return new RequestLabels(metricVerb, path.group(), path.version(), path.resource(),
                path.subresource() == null ? "" : path.subresource());
    }
}
