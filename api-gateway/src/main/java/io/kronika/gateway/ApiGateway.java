package io.kronika.gateway;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.auth.GatewaySecurity;
import io.kronika.gateway.auth.SecureServing;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.history.HistoryApi;
import io.kronika.gateway.http.ApiDispatcher;
import io.kronika.gateway.http.ApiRoutes;
import io.kronika.gateway.http.ApiSurface;
import io.kronika.gateway.http.CommandSender;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.ReadYourWrites;
import io.kronika.gateway.http.Reply;
import io.kronika.gateway.metrics.GatewayMetrics;
import io.kronika.gateway.services.ServiceAllocator;
import io.kronika.gateway.stream.KubeletClients;
import io.kronika.gateway.stream.StreamHandler;
import io.kronika.gateway.table.TableRenderer;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import static io.kronika.gateway.http.ApiRoutes.blocking;
import static io.kronika.gateway.http.ApiRoutes.send;

/**
 * The Kubernetes REST API over the log, served by Vert.x Web: writes become commands through {@link CommandClient},
 * reads and watches come from the projections ({@link ClusterView}, {@link EventFeed}).
 *
 * <pre>{@code
 * KafkaStreamsClusterView view = KafkaStreamsClusterView.start(bootstrap, topics, registry,
 *         KafkaStreamsClusterView.Settings.forInstance(topics, "gateway-1", dataDir.resolve("view"))).awaitRunning(timeout);
 * KafkaEventFeed feed = KafkaEventFeed.start(bootstrap, topics, registry, view::offsetOfRevision,
 *         KafkaEventFeed.Settings.defaults("gateway-1")).awaitRunning(timeout);
 * ApiGateway gateway = ApiGateway.start(GatewaySettings.defaults().withPort(6443), commands, view, feed);
 * // kubeconfig server: gateway.url()
 * gateway.close(); feed.close(); view.close();
 * }</pre>
 * The gateway does not own the command client or the projections: close them after it.
 */
public final class ApiGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGateway.class);

    private final GatewaySettings settings;
    private String scheme = "http";
    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ApiDispatcher dispatcher;
    private final GatewayMetrics metrics;
    private final HistoryApi history;

    private ApiGateway(GatewaySettings settings, Vertx vertx, HttpServer server, ExecutorService workers, ApiDispatcher dispatcher,
                       GatewayMetrics metrics, HistoryApi history) {
        this.settings = settings;
        this.vertx = vertx;
        this.server = server;
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.history = history;
    }

    /** Starts serving and returns once the port is bound. */
    public static ApiGateway start(GatewaySettings settings, CommandClient commands, ClusterView view, EventFeed feed) {
        return start(settings, GatewaySecurity.none(), commands, view, feed);
    }

    /** Starts serving with TLS, authentication and RBAC as {@code security} says; returns once the port is bound. */
    public static ApiGateway start(GatewaySettings settings, GatewaySecurity security, CommandClient commands, ClusterView view,
                                   EventFeed feed) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
        ExecutorService workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("kronika-gateway-worker-"));
        ReadYourWrites readYourWrites = new ReadYourWrites(commands, view, settings.readYourWrites());
        GatewayMetrics metrics = new GatewayMetrics(readYourWrites::lag);
        ResourceCatalog catalog = new ResourceCatalog(view);
        GatewayContext context = new GatewayContext(settings, commands, view, feed, catalog, readYourWrites,
                new CommandSender(commands, settings.commandTimeout(), settings.user(), workers), workers, vertx, metrics,
                new TableRenderer(catalog::crdVersion), new ServiceAllocator(view, settings.serviceClusterIpRange()),
                new KubeletClients(vertx, security.kubeletClient()));

        HttpServer server = vertx.createHttpServer(SecureServing.tls(new HttpServerOptions(), security)
                .setHost(settings.host())
                .setPort(settings.port())
                .setReuseAddress(true)
                .setHandle100ContinueAutomatically(true)
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(64 * 1024)
                .setWebSocketSubProtocols(StreamHandler.TERMINATED_PROTOCOLS));
        Router router = Router.router(vertx);
        SecureServing.mount(router, security, commands, view);
        router.route().order(-900).handler(new io.kronika.gateway.limits.RequestLimiter(settings.limits(),
                io.kronika.gateway.limits.RequestLimiter::authenticatedUser));
        io.kronika.gateway.limits.RouterFailures.mount(router);
        ApiSurface live = new ApiSurface(context);
        ApiDispatcher dispatcher = live.dispatcher();
        ApiRoutes.mount(router, "", rc -> live, workers);
        HistoryApi history = new HistoryApi(context);
        history.mount(router);
        for (String health : new String[]{"/healthz", "/livez", "/readyz"}) {
            router.get(health).handler(rc -> health(rc, health));
            router.get(health + "/*").handler(rc -> send(rc, Reply.text(200, "ok")));
        }
        router.get("/metrics").handler(rc -> blocking(rc, workers, () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        io.kronika.gateway.ui.Dashboard.mount(router, context);
        router.route().handler(rc -> {
            if (rc.request().method() != HttpMethod.GET) {
                rc.request().body().onComplete(b -> send(rc, Reply.error(ApiErrors.pathNotFound())));
            } else {
                send(rc, Reply.error(ApiErrors.pathNotFound()));
            }
        });
        server.requestHandler(router);
        try {
            HttpServer listening = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            ApiGateway gateway = new ApiGateway(settings.withPort(listening.actualPort()), vertx, listening, workers, dispatcher, metrics, history);
            gateway.scheme = security.tls() ? "https" : "http";
            LOG.info("Kubernetes API gateway listening on {}", gateway.url());
            return gateway;
        } catch (Exception e) {
            workers.shutdownNow();
            vertx.close();
            throw new IllegalStateException("The API gateway could not listen on " + settings.host() + ":" + settings.port(), e);
        }
    }

    private static boolean acceptsJson(String accept) {
        return accept == null || accept.isBlank() || accept.contains("json") || accept.contains("*/*");
    }

    private static void health(RoutingContext rc, String path) {
        if (rc.request().getParam("verbose") != null) {
            String check = path.substring(1);
            send(rc, Reply.text(200, "[+]ping ok\n[+]log ok\n" + check + " check passed\n"));
        } else {
            send(rc, Reply.text(200, "ok"));
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public int port() {
        return settings.port();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:6443}. */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return scheme + "://" + host + ":" + settings.port();
    }

    public GatewaySettings settings() {
        return settings;
    }

    /** Open watches, for tests and status pages. */
    public int openWatches() {
        return dispatcher.watches().openCount() + history.openWatches();
    }

    /** Stops listening, ends every watch and stops the gateway's threads. */
    @Override
    public void close() {
        dispatcher.watches().closeAll();
        history.close();
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing the HTTP server failed", e);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing Vert.x failed", e);
        }
        workers.shutdownNow();
        metrics.close();
    }
}
