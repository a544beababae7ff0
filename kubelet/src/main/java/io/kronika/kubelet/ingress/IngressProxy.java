package io.kronika.kubelet.ingress;

import io.kronika.kubelet.proxy.EndpointSource;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.schemas.ObjectEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in ingress controller (IngressClass {@value IngressRoutes#CLASS}): an HTTP reverse proxy on one port that
 * routes by host and path ({@link IngressRoutes}) to the ready endpoints of the backend Services, round-robin. It
 * follows Ingresses, IngressClasses, Services, Endpoints and Pods from the feed (each event: one coalesced rebuild
 * after the view has applied it) and rebuilds every second besides. No route: 404; no ready endpoint: 503.
 */
public final class IngressProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressProxy.class);
    private static final Set<String> WATCHED = Set.of("Ingress", "IngressClass", "Service", "Endpoints", "Pod");
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE, "Proxy-Connection",
            HttpHeaders.TRANSFER_ENCODING, HttpHeaders.UPGRADE, "TE", "Trailer");

    /** @param host address to listen on; @param port port (0: any free one) */
    public record Settings(String host, int port) {
        public static Settings defaults() {
            return new Settings("0.0.0.0", 8081);
        }
    }

    private final ClusterView view;
    private final EndpointSource endpoints;
    private final Vertx vertx;
    private final HttpClient client;
    private final HttpServer server;
    private final ScheduledExecutorService sync;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong wanted = new AtomicLong();
    private final EventFeed.Subscription subscription;
    private volatile IngressRoutes routes = IngressRoutes.empty();

    private IngressProxy(ClusterView view, EventFeed feed, EndpointSource endpoints, Settings settings) {
        this.view = view;
        this.endpoints = endpoints;
        this.vertx = Vertx.vertx();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setKeepAlive(false));
        this.sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingress-sync");
            t.setDaemon(true);
            return t;
        });
        rebuild();
        this.subscription = feed.subscribe(view.appliedRevision(), e -> WATCHED.contains(e.getRef().getKind()), this::onEvent,
                error -> LOG.warn("ingress proxy: event feed ended ({}); relying on periodic rebuilds", error.toString()));
        sync.scheduleWithFixedDelay(this::rebuild, 1, 1, TimeUnit.SECONDS);
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
                .requestHandler(this::handle)
                .listen().toCompletionStage().toCompletableFuture().join();
        LOG.info("ingress proxy (class {}) listening on {}:{}", IngressRoutes.CLASS, settings.host(), server.actualPort());
    }

    public static IngressProxy start(ClusterView view, EventFeed feed, EndpointSource endpoints, Settings settings) {
        return new IngressProxy(view, feed, endpoints, settings);
    }

    public int port() {
        return server.actualPort();
    }

    /** The current routing table. */
    public IngressRoutes routes() {
        return routes;
    }

    private void onEvent(ObjectEvent event) {
        wanted.accumulateAndGet(event.getRevision(), Math::max);
        if (pending.compareAndSet(false, true)) {
            sync.execute(() -> {
                pending.set(false);
                try {
                    view.awaitRevision(wanted.get(), Duration.ofSeconds(5));
                } catch (Exception e) {
                    LOG.debug("ingress proxy: view behind the feed: {}", e.toString());
                }
                rebuild();
            });
        }
    }

    private void rebuild() {
        try {
            routes = IngressRoutes.build(view, endpoints);
        } catch (RuntimeException e) {
            LOG.warn("ingress proxy: rebuilding routes failed", e);
        }
    }

    private void handle(HttpServerRequest request) {
        String host = request.authority() == null ? "" : request.authority().host();
        String path = request.path() == null ? "/" : request.path();
        Optional<IngressRoutes.Route> route = routes.match(host, path);
        if (route.isEmpty()) {
            request.response().setStatusCode(404).end("default backend - 404\n");
            return;
        }
        Optional<InetSocketAddress> backend = route.get().pick();
        if (backend.isEmpty()) {
            request.response().setStatusCode(503).end("no ready endpoints for " + route.get().ingress() + "\n");
            return;
        }
        request.pause();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(backend.get().getHostString())
                .setPort(backend.get().getPort()).setURI(request.uri());
        client.request(options).onFailure(error -> {
            request.resume();
            request.response().setStatusCode(502).end("bad gateway: " + error.getMessage() + "\n");
        }).onSuccess(upstream -> {
            upstream.headers().setAll(request.headers());
            HOP_BY_HOP.forEach(upstream.headers()::remove);
            upstream.headers().set("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
            upstream.headers().set("X-Forwarded-Host", host);
            upstream.headers().set(HttpHeaders.HOST, request.headers().get(HttpHeaders.HOST) == null ? host : request.headers().get(HttpHeaders.HOST));
            if (request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                upstream.headers().set(HttpHeaders.CONTENT_LENGTH, request.headers().get(HttpHeaders.CONTENT_LENGTH));
            } else {
                upstream.setChunked(request.headers().contains(HttpHeaders.TRANSFER_ENCODING));
            }
            upstream.send(request).onFailure(error -> {
                if (!request.response().headWritten()) {
                    request.response().setStatusCode(502).end("bad gateway: " + error.getMessage() + "\n");
                }
            }).onSuccess(answer -> {
                var response = request.response();
                response.setStatusCode(answer.statusCode());
                response.headers().setAll(answer.headers());
                HOP_BY_HOP.forEach(response.headers()::remove);
                if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                    response.setChunked(true);
                }
                answer.pipeTo(response);
            });
        });
    }

    @Override
    public void close() {
        subscription.close();
        sync.shutdownNow();
        server.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
