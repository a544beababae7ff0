package io.kronika.gateway.auth;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.ApiPath;
import io.kronika.gateway.http.Reply;
import io.kronika.schemas.auth.RequestAttributes;
import io.kronika.schemas.auth.UserInfo;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The first handler of every request: authenticates it (401 Status for anonymous requests, except the health and
 * version paths and the dashboard's static files under /ui/), applies impersonation when the user may {@code impersonate}, and authorizes non-resource paths
 * (discovery, OpenAPI, metrics). The user travels on in the routing context under {@link #USER}; resource requests
 * are authorized by the dispatcher once their resource is resolved.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {
    public static final String USER = "kronika.user";
    public static final String AUTH = "kronika.auth";
    private static final Set<String> PUBLIC = Set.of("/healthz", "/readyz", "/livez", "/version", "/version/");

    private final Authenticator authenticator;
    private final GatewayAuth auth;
    private final AccessControl access;

    public AuthenticationHandler(Authenticator authenticator, GatewayAuth auth) {
        this.authenticator = authenticator;
        this.auth = auth;
        this.access = auth.access();
    }

    /** The authenticated user of a request, or null when the gateway does not authenticate. */
    public static UserInfo user(RoutingContext routing) {
        return routing.get(USER);
    }

    /** The authorizer and TokenRequest API of the request's gateway; disabled when it does not authenticate. */
    public static GatewayAuth auth(RoutingContext routing) {
        GatewayAuth auth = routing.get(AUTH);
        return auth == null ? GatewayAuth.disabled() : auth;
    }

    @Override
    public void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        String path = request.path();
        String agent = request.getHeader("User-Agent");
        boolean open = isPublic(path) || (request.method() == io.vertx.core.http.HttpMethod.GET && isDashboardAsset(path));
        UserInfo user = authenticator.authenticate(request.getHeader("Authorization"), peerCertificates(request)).orElse(null);
        if (user == null || (user.isAnonymous() && !open)) {
            UserInfo who = user == null ? UserInfo.ANONYMOUS : user;
            access.refusals().record(who, verb(request, path), RefusalRecorder.unresolved(group(path), namespace(path), null),
                    401, "Unauthorized", "Unauthorized", path, agent);
            refuse(routing, new ApiException(401, "Unauthorized", "Unauthorized"));
            return;
        }
        try {
            user = impersonated(request, user, path, agent);
            if (!open && ApiPath.parse(path).isEmpty()) {
                access.check(RequestAttributes.nonResource(user, request.method().name().toLowerCase(Locale.ROOT), path),
                        RefusalRecorder.unresolved("", null, null), null, path, agent);
            }
        } catch (ApiException e) {
            refuse(routing, e);
            return;
        }
        routing.put(USER, user);
        routing.put(AUTH, auth);
        routing.next();
    }

    /** Impersonate-User / Impersonate-Group, each allowed by the {@code impersonate} verb on users, groups or service accounts. */
    private UserInfo impersonated(HttpServerRequest request, UserInfo user, String path, String agent) {
        String target = request.getHeader("Impersonate-User");
        List<String> groups = request.headers().getAll("Impersonate-Group");
        if ((target == null || target.isBlank()) && groups.isEmpty()) {
            return user;
        }
        if (target == null || target.isBlank()) {
            throw new ApiException(500, "InternalError", "Internal error occurred: requested " + groups
                    + " without impersonating a user");
        }
        if (target.startsWith(UserInfo.SERVICE_ACCOUNT_PREFIX) && target.split(":").length == 4) {
            String[] parts = target.split(":");
            checkImpersonate(user, "serviceaccounts", parts[2], parts[3], path, agent);
        } else {
            checkImpersonate(user, "users", "", target, path, agent);
        }
        for (String group : groups) {
            checkImpersonate(user, "groups", "", group, path, agent);
        }
        List<String> all = new ArrayList<>(groups);
        if (target.startsWith(UserInfo.SERVICE_ACCOUNT_PREFIX) && groups.isEmpty()) {
            String[] parts = target.split(":");
            return parts.length == 4 ? UserInfo.serviceAccount(parts[2], parts[3], "") : UserInfo.authenticated(target, "", all);
        }
        return UserInfo.authenticated(target, "", all);
    }

    private void checkImpersonate(UserInfo user, String resource, String namespace, String name, String path, String agent) {
        access.check(RequestAttributes.resource(user, "impersonate", "", resource, "", namespace, name),
                RefusalRecorder.unresolved("", namespace, name), resource, path, agent);
    }

    private static boolean isPublic(String path) {
        return PUBLIC.contains(path) || path.startsWith("/healthz/") || path.startsWith("/readyz/") || path.startsWith("/livez/");
    }

    /** The dashboard's static files hold no cluster data; what they call is authenticated like any client. */
    private static boolean isDashboardAsset(String path) {
        return path.equals("/ui") || path.startsWith("/ui/");
    }

    private static List<Certificate> peerCertificates(HttpServerRequest request) {
        if (!request.isSSL()) {
            return List.of();
        }
        try {
            return request.connection().peerCertificates();
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return List.of();
        }
    }

    private static String verb(HttpServerRequest request, String path) {
        return switch (request.method().name()) {
            case "GET" -> ApiPath.parse(path).map(p -> p.name() == null ? "list" : "get").orElse("get");
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> request.method().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String group(String path) {
        return ApiPath.parse(path).map(ApiPath::group).orElse("");
    }

    private static String namespace(String path) {
        return ApiPath.parse(path).map(ApiPath::namespace).orElse(null);
    }

    private static void refuse(RoutingContext routing, ApiException e) {
        Reply reply = Reply.error(e);
        HttpServerRequest request = routing.request();
        // Drain what the client sends so the connection stays usable, then answer.
        request.handler(b -> {
        });
        if (routing.response().ended() || routing.response().closed()) {
            return;
        }
        routing.response().setStatusCode(reply.code()).putHeader("Content-Type", reply.contentType())
                .putHeader("Cache-Control", "no-cache, private");
        if (e.code() == 401) {
            routing.response().putHeader("WWW-Authenticate", "Bearer realm=\"kronika\"");
        }
        routing.response().end(Buffer.buffer(reply.body()));
    }
}
