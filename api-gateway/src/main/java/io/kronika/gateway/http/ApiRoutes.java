package io.kronika.gateway.http;

import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The routes of the Kubernetes API (/version, discovery, OpenAPI, resources) mounted under a prefix: "" for the live
 * cluster, {@code /history/revision/:revision} for the past. Each request is served by the {@link ApiSurface} that
 * {@code surfaceOf} picks for it (on the event loop).
 */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

    private ApiRoutes() {
    }

    public static void mount(Router router, String prefix, Function<RoutingContext, ApiSurface> surfaceOf, ExecutorService workers) {
        int depth = segments(prefix);
        router.get(prefix + "/version").handler(rc -> blocking(rc, workers, () -> surfaceOf.apply(rc).discovery().version()));
        router.get(prefix + "/api").handler(rc -> {
            ApiSurface surface = surfaceOf.apply(rc);
            String version = AggregatedDiscovery.requestedVersion(rc.request().getHeader("Accept"));
            String authority = rc.request().authority() == null
                    ? surface.context().settings().host() + ":" + surface.context().settings().port()
                    : rc.request().authority().toString();
            blocking(rc, workers, () -> version != null ? surface.aggregated().list(true, version) : surface.discovery().coreVersions(authority));
        });
        router.get(prefix + "/api/v1").handler(rc -> blocking(rc, workers, () -> surfaceOf.apply(rc).discovery().resources("", "v1")));
        router.get(prefix + "/apis").handler(rc -> {
            ApiSurface surface = surfaceOf.apply(rc);
            String version = AggregatedDiscovery.requestedVersion(rc.request().getHeader("Accept"));
            blocking(rc, workers, () -> version != null ? surface.aggregated().list(false, version) : surface.discovery().groups());
        });
        router.get(prefix + "/apis/:group").handler(rc -> blocking(rc, workers,
                () -> surfaceOf.apply(rc).discovery().group(rc.pathParam("group"))));
        router.get(prefix + "/apis/:group/:version").handler(rc -> blocking(rc, workers,
                () -> surfaceOf.apply(rc).discovery().resources(rc.pathParam("group"), rc.pathParam("version"))));
        router.get(prefix + "/openapi/v2").handler(rc -> {
            ApiSurface surface = surfaceOf.apply(rc);
            String accept = rc.request().getHeader("Accept");
            blocking(rc, workers, () -> {
                if (!acceptsJson(accept)) {
                    // The protobuf form (gnostic's OpenAPIv2 message) is not served; kubectl reads v3.
                    throw new ApiException(406, "NotAcceptable",
                            "only application/json is served at /openapi/v2; OpenAPI v3 is at /openapi/v3");
                }
                surface.context().readYourWrites().awaitLatestWrite();
                return new Reply(200, Reply.JSON, surface.openapi().v2());
            });
        });
        router.get(prefix + "/openapi/v3").handler(rc -> {
            ApiSurface surface = surfaceOf.apply(rc);
            blocking(rc, workers, () -> {
                surface.context().readYourWrites().awaitLatestWrite();
                return new Reply(200, Reply.JSON, surface.openapi().v3Index());
            });
        });
        router.get(prefix + "/openapi/v3/*").handler(rc -> {
            ApiSurface surface = surfaceOf.apply(rc);
            String groupVersion = below(rc.request().path(), depth).substring("/openapi/v3/".length());
            blocking(rc, workers, () -> {
                surface.context().readYourWrites().awaitLatestWrite();
                return surface.openapi().v3(groupVersion).map(doc -> new Reply(200, Reply.JSON, doc)).orElseThrow(ApiErrors::pathNotFound);
            });
        });
        router.route(prefix + "/api/*").handler(rc -> surfaceOf.apply(rc).dispatcher().handle(rc, below(rc.request().path(), depth)));
        router.route(prefix + "/apis/*").handler(rc -> surfaceOf.apply(rc).dispatcher().handle(rc, below(rc.request().path(), depth)));
    }

    private static boolean acceptsJson(String accept) {
        return accept == null || accept.isBlank() || accept.contains("json") || accept.contains("*/*");
    }

    /** Runs {@code work} on a worker and answers on the request's event loop; exceptions become Status answers. */
    public static void blocking(RoutingContext rc, ExecutorService workers, Supplier<Reply> work) {
        blocking(rc, workers, work, reply -> send(rc, reply));
    }

    /**
     * Runs {@code work} on a worker and hands its reply to {@code answer} on the request's event loop; exceptions
     * become Status replies.
     */
    public static void blocking(RoutingContext rc, ExecutorService workers, Supplier<Reply> work, Consumer<Reply> answer) {
        Context context = Vertx.currentContext();
        workers.execute(() -> {
            Reply reply;
            try {
                reply = work.get();
            } catch (ApiException e) {
                reply = Reply.error(e);
            } catch (RuntimeException e) {
                LOG.error("Request {} failed", rc.request().path(), e);
                reply = Reply.error(ApiErrors.internal(e.getMessage()));
            }
            Reply done = reply;
            context.runOnContext(v -> answer.accept(done));
        });
    }

    public static void send(RoutingContext rc, Reply reply) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(reply.code()).putHeader("Content-Type", reply.contentType()).end(Buffer.buffer(reply.body()));
    }

    private static int segments(String prefix) {
        int count = 0;
        for (String part : prefix.split("/")) {
            if (!part.isEmpty()) {
                count++;
            }
        }
        return count;
    }

    /** {@code path} without its first {@code depth} segments, still starting with '/' (and still URL-encoded). */
    static String below(String path, int depth) {
        int at = 0;
        for (int i = 0; i < depth; i++) {
            int slash = path.indexOf('/', at + 1);
            if (slash < 0) {
                return "/";
            }
            at = slash;
        }
        return path.substring(at);
    }
}
