package io.kronika.gateway.ui;

import io.kronika.gateway.auth.AuthenticationHandler;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.http.ApiRoutes;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.Reply;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.auth.RequestAttributes;
import io.kronika.schemas.auth.UserInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * The web UI's routes on the gateway's router: the dashboard's files at {@code /ui/} ({@link UiAssets}, from the
 * kronika-dashboard jar when it is on the classpath; served without authentication) and the object version history
 * it reads at {@code /history/versions/<API object path>} ({@link ObjectVersions}) and {@code /history/audit}
 * ({@link AuditTrail}), both authenticated like the API.
 */
public final class Dashboard {
    private Dashboard() {
    }

    public static void mount(Router router, GatewayContext context) {
        UiAssets assets = UiAssets.fromClasspath(Dashboard.class.getClassLoader());
        ObjectVersions versions = new ObjectVersions(context.view(), context.catalog());
        AuditTrail audit = new AuditTrail(context.view(), context.feed(),
                context.commands() == null ? null : context.commands().recentRefusals());
        // Authentication lets /ui through anonymously (AuthenticationHandler): these files hold no cluster data, and the
        // page they make asks for a token and sends it with every API call.
        router.getWithRegex("/ui(/.*)?").handler(rc -> {
            if (rc.request().path().equals("/ui")) {
                rc.response().setStatusCode(301).putHeader("Location", "/ui/").end();
                return;
            }
            String path = rc.request().path().substring("/ui/".length());
            // Vite names built assets by content hash, so they never change; index.html must be re-read.
            blocking(rc, context, path.startsWith("assets/"), () -> assets.serve(path));
        });
        router.get("/history/versions/*").handler(rc -> blocking(rc, context, false, () -> versions.list(
                rc.request().path().substring("/history/versions".length()), rc.request().getParam("revision"),
                rc.request().getParam("limit"), (type, namespace, name) -> authorizeGet(rc, type, namespace, name))));
        router.get("/history/audit").handler(rc -> blocking(rc, context, false, () -> audit.list(new AuditTrail.Filter(
                param(rc, "user"), param(rc, "namespace"), param(rc, "kind"), param(rc, "name")),
                param(rc, "limit"), param(rc, "window"), "true".equals(param(rc, "includeRefused")))));
    }

    /** RBAC as for a get of the object itself; nothing when the gateway does not authenticate. */
    private static void authorizeGet(RoutingContext rc, ResourceType type, String namespace, String name) {
        UserInfo user = AuthenticationHandler.user(rc);
        if (user == null) {
            return;
        }
        AuthenticationHandler.auth(rc).access().check(
                RequestAttributes.resource(user, "get", type.group(), type.plural(), null, namespace, name),
                ObjectKeys.ref(type.group(), type.kind(), namespace == null ? "" : namespace, name),
                type.plural(), rc.request().path(), rc.request().getHeader("User-Agent"));
    }

    private static String param(RoutingContext rc, String name) {
        String value = rc.request().getParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static void blocking(RoutingContext rc, GatewayContext gateway, boolean immutable, Supplier<Reply> work) {
        ApiRoutes.blocking(rc, gateway.workers(), work, reply -> {
            if (!rc.response().ended() && !rc.response().closed()) {
                rc.response().setStatusCode(reply.code()).putHeader("Content-Type", reply.contentType());
                rc.response().putHeader("Cache-Control", immutable && reply.code() == 200
                        ? "public, max-age=31536000, immutable" : "no-cache");
                rc.response().end(Buffer.buffer(reply.body()));
            }
        });
    }
}
