package io.kronika.gateway.history;

import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.http.ApiDispatcher;
import io.kronika.gateway.http.ApiPath;
import io.kronika.gateway.http.ApiRoutes;
import io.kronika.gateway.http.ApiSurface;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.ReadYourWrites;
import io.kronika.gateway.http.Reply;
import io.kronika.gateway.stream.StreamHandler;
import io.kronika.gateway.table.TableRenderer;
import io.kronika.gateway.usage.MetricsApi;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Time travel: every read-only path of the API under {@code /history/revision/{R}/…} and {@code /history/time/{RFC3339}/…},
 * answered from the state at that moment by the gateway's own handlers over a {@link ViewAtRevision}. Lists, gets,
 * selectors, paging, tables, discovery and OpenAPI (with the CRDs of that moment) work as in the present; a watch
 * starts at the moment and goes on through every later event. Writes get 405, and so do logs, exec, attach and
 * port-forward (they reach running containers, which are not history) and metrics.k8s.io (usage is measured now).
 */
public final class HistoryApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryApi.class);
    public static final String PREFIX = "/history";
    private static final String SURFACE = "kronika.history.surface";
    private static final int CACHED_REVISIONS = 16;

    private final GatewayContext live;
    private final Moments moments;
    /** The surfaces of recently asked revisions (kubectl asks several paths per command); evicted ones are kept while watched. */
    private final Map<Long, ApiSurface> surfaces = new LinkedHashMap<>(32, 0.75f, true);
    private final List<ApiSurface> evicted = new ArrayList<>();

    public HistoryApi(GatewayContext live) {
        this(live, Clock.systemUTC());
    }

    HistoryApi(GatewayContext live, Clock clock) {
        this.live = live;
        this.moments = new Moments(live.view(), live.feed(), live.commands()::latestRevision, live.readYourWrites(), clock);
    }

    /** Adds the history routes to {@code router}, ahead of its fallback. */
    public void mount(Router router) {
        router.route(PREFIX + "/*").handler(this::enter);
        ApiRoutes.mount(router, PREFIX + "/revision/:moment", rc -> rc.get(SURFACE), live.workers());
        ApiRoutes.mount(router, PREFIX + "/time/:moment", rc -> rc.get(SURFACE), live.workers());
    }

    /** A history URL's parts: how the moment is named, the moment, and the API path below it. */
    record HistoryPath(boolean byTime, String moment, String apiPath) {
        static Optional<HistoryPath> parse(String path) {
            String[] parts = path.split("/", 5);
            // "", "history", "revision"|"time", moment, rest
            if (parts.length < 4 || !parts[1].equals("history") || parts[3].isEmpty()
                    || !(parts[2].equals("revision") || parts[2].equals("time"))) {
                return Optional.empty();
            }
            String moment = URLDecoder.decode(parts[3].replace("+", "%2B"), StandardCharsets.UTF_8);
            return Optional.of(new HistoryPath(parts[2].equals("time"), moment, parts.length == 5 ? "/" + parts[4] : "/"));
        }
    }

    private void enter(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Optional<HistoryPath> parsed = HistoryPath.parse(request.path());
        if (parsed.isEmpty()) {
            rc.next();
            return;
        }
        HistoryPath path = parsed.get();
        if (request.method() != HttpMethod.GET) {
            refuse(rc, new ApiException(405, "MethodNotAllowed", request.method().name() + " is not allowed on " + request.path()
                    + ": the past is read-only (history URLs serve get, list and watch)"));
            return;
        }
        Optional<ApiPath> api = ApiPath.parse(path.apiPath());
        if (api.isPresent() && StreamHandler.handles(api.get().subresource())) {
            refuse(rc, new ApiException(405, "MethodNotAllowed", api.get().subresource() + " is not served from history: "
                    + "it reaches running containers, which the log does not keep"));
            return;
        }
        if (api.isPresent() && api.get().group().equals(MetricsApi.GROUP)) {
            refuse(rc, new ApiException(405, "MethodNotAllowed", MetricsApi.GROUP + " is not served from history: "
                    + "resource usage is measured now, not kept in the log"));
            return;
        }
        boolean upgrade = request.canUpgradeToWebSocket() || ApiDispatcher.isUpgrade(request);
        request.pause();
        Context context = Vertx.currentContext();
        live.workers().execute(() -> {
            ApiSurface surface;
            try {
                surface = surfaceAt(path.byTime() ? moments.time(path.moment()) : moments.revision(path.moment()));
            } catch (ApiException e) {
                context.runOnContext(v -> refuse(rc, e));
                return;
            } catch (RuntimeException e) {
                LOG.error("Resolving {} failed", request.path(), e);
                context.runOnContext(v -> refuse(rc, ApiErrors.internal(e.getMessage())));
                return;
            }
            context.runOnContext(v -> {
                rc.put(SURFACE, surface);
                rc.next();
                if (!upgrade) {
                    // Resumed after the next handler has set its body handlers; an upgrade's handler resumes it itself.
                    request.resume();
                }
            });
        });
    }

    /** Answers with {@code error} once the request's body (if any) is read, so the connection stays usable. */
    private static void refuse(RoutingContext rc, ApiException error) {
        var body = rc.request().body();
        rc.request().resume();
        body.onComplete(ignored -> ApiRoutes.send(rc, Reply.error(error)));
    }

    /** The surface of one revision: the gateway's handlers over the view as of it; nothing there can write. */
    ApiSurface surfaceAt(long revision) {
        synchronized (surfaces) {
            ApiSurface cached = surfaces.get(revision);
            if (cached != null) {
                return cached;
            }
        }
        ViewAtRevision view = new ViewAtRevision(live.view(), revision);
        ResourceCatalog catalog = new ResourceCatalog(view);
        GatewayContext past = new GatewayContext(live.settings(), null, view, live.feed(), catalog,
                new ReadYourWrites(() -> revision, view, live.settings().readYourWrites()), null, live.workers(), live.vertx(),
                live.metrics(), new TableRenderer(catalog::crdVersion), null, live.kubelets());
        ApiSurface surface = new ApiSurface(past);
        synchronized (surfaces) {
            ApiSurface raced = surfaces.putIfAbsent(revision, surface);
            if (raced != null) {
                return raced;
            }
            if (surfaces.size() > CACHED_REVISIONS) {
                var eldest = surfaces.entrySet().iterator();
                evicted.add(eldest.next().getValue());
                eldest.remove();
            }
            evicted.removeIf(s -> s.dispatcher().watches().openCount() == 0);
        }
        return surface;
    }

    /** Watches open on past revisions. */
    public int openWatches() {
        synchronized (surfaces) {
            int open = 0;
            for (ApiSurface surface : surfaces.values()) {
                open += surface.dispatcher().watches().openCount();
            }
            for (ApiSurface surface : evicted) {
                open += surface.dispatcher().watches().openCount();
            }
            return open;
        }
    }

    /** Ends every watch on the past. */
    @Override
    public void close() {
        synchronized (surfaces) {
            surfaces.values().forEach(s -> s.dispatcher().watches().closeAll());
            evicted.forEach(s -> s.dispatcher().watches().closeAll());
            surfaces.clear();
            evicted.clear();
        }
    }
}
