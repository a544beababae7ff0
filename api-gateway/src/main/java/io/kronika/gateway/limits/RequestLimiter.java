package io.kronika.gateway.limits;

import io.kronika.gateway.GatewayLimits;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.Reply;
import io.kronika.schemas.auth.UserInfo;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Pushes back before a request is served: a per-user token bucket, then a cap on requests in flight. Both answer 429
 * TooManyRequests with Retry-After, as kube-apiserver does. Long-running requests (watches, log, exec, attach,
 * port-forward, proxy) are not counted in flight, as in kube-apiserver; health checks pass always.
 * Mounted after authentication, so the bucket is the authenticated user's; without one it is the client's address.
 */
public final class RequestLimiter implements Handler<RoutingContext> {
    private static final int FORGET_IDLE_BUCKETS_ABOVE = 10_000;
    /** Where the authentication filter keeps the request's {@link UserInfo}. */
    static final String AUTHENTICATED_USER = "kronika.user";

    private final GatewayLimits limits;
    private final Function<RoutingContext, String> user;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** {@code user}: the authenticated user's name of a request, or null when it has none. */
    public RequestLimiter(GatewayLimits limits, Function<RoutingContext, String> user) {
        this.limits = limits;
        this.user = user;
    }

    @Override
    public void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        String path = request.path();
        if (path.startsWith("/healthz") || path.startsWith("/livez") || path.startsWith("/readyz")) {
            routing.next();
            return;
        }
        if (limits.userRequestsPerSecond() > 0) {
            long wait = bucket(routing).take(System.nanoTime());
            if (wait > 0) {
                refuse(routing, wait, "Too many requests from " + who(routing) + ", please try again later.");
                return;
            }
        }
        if (limits.maxRequestsInFlight() > 0 && !longRunning(request)) {
            if (inFlight.incrementAndGet() > limits.maxRequestsInFlight()) {
                inFlight.decrementAndGet();
                refuse(routing, 1, "Too many requests, please try again later.");
                return;
            }
            boolean[] released = {false};
            routing.addEndHandler(v -> {
                if (!released[0]) {
                    released[0] = true;
                    inFlight.decrementAndGet();
                }
            });
        }
        routing.next();
    }

    /** The name of the user the authentication filter attached to the request, or null (anonymous or no authentication). */
    public static String authenticatedUser(RoutingContext routing) {
        Object user = routing.get(AUTHENTICATED_USER);
        return user instanceof UserInfo info && !UserInfo.ANONYMOUS.name().equals(info.name()) ? info.name() : null;
    }

    /** Requests being served now (long-running ones not counted). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests answered 429 so far. */
    public long refused() {
        return refused.get();
    }

    private TokenBucket bucket(RoutingContext routing) {
        long now = System.nanoTime();
        if (buckets.size() > FORGET_IDLE_BUCKETS_ABOVE) {
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        return buckets.computeIfAbsent(who(routing), k -> new TokenBucket(limits.userRequestsPerSecond(), limits.userBurst(), now));
    }

    private String who(RoutingContext routing) {
        String name = user.apply(routing);
        if (name != null && !name.isEmpty()) {
            return "user " + name;
        }
        return routing.request().remoteAddress() == null ? "an unknown client" : "client " + routing.request().remoteAddress().hostAddress();
    }

    /**
     * Watches and streams: they last as long as the client wants, so they do not hold an in-flight slot. Decided by
     * verb and subresource as kube-apiserver does, not by headers a client could add to any request.
     */
    static boolean longRunning(HttpServerRequest request) {
        String path = request.path();
        String watch = request.getParam("watch");
        if ("true".equals(watch) || "1".equals(watch) || path.contains("/watch/")) {
            return true;
        }
        int slash = path.lastIndexOf('/');
        String last = slash < 0 ? path : path.substring(slash + 1).toLowerCase(Locale.ROOT);
        return switch (last) {
            case "log", "exec", "attach", "portforward", "proxy" -> true;
            default -> path.contains("/proxy/");
        };
    }

    private void refuse(RoutingContext routing, long retryAfterSeconds, String message) {
        refused.incrementAndGet();
        Reply reply = Reply.error(new ApiException(429, "TooManyRequests", message));
        HttpServerResponse response = routing.response();
        response.setStatusCode(429)
                .putHeader("Content-Type", reply.contentType())
                .putHeader("Retry-After", Long.toString(retryAfterSeconds))
                .putHeader("Cache-Control", "no-cache, private")
                .end(Buffer.buffer(reply.body()));
    }
}
