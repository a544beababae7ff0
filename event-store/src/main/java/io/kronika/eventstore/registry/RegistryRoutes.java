package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * The Confluent Schema Registry REST API over {@link SchemaRegistryService}: JSON in the
 * {@code application/vnd.schemaregistry.v1+json} content type, errors as {@code {"error_code": N, "message": "…"}}.
 * Handlers run on worker threads: a change waits for Kafka's acknowledgement.
 */
final class RegistryRoutes {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final SchemaRegistryService service;
    private final Router router;

    private RegistryRoutes(Vertx vertx, SchemaRegistryService service) {
        this.service = service;
        this.router = Router.router(vertx);
    }

    static Router router(Vertx vertx, SchemaRegistryService service) {
        RegistryRoutes routes = new RegistryRoutes(vertx, service);
        routes.define();
        return routes.router;
    }

    private void define() {
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));

        on(HttpMethod.GET, "/", ctx -> new JsonObject());

        on(HttpMethod.GET, "/schemas/types", ctx -> new JsonArray().add("AVRO"));
        on(HttpMethod.GET, "/schemas/ids/:id", ctx -> new JsonObject().put("schema", service.schemaById(id(ctx))));

        on(HttpMethod.GET, "/subjects", ctx -> new JsonArray(service.subjects(deleted(ctx))));
        on(HttpMethod.POST, "/subjects/:subject", ctx ->
                versionJson(service.lookup(subject(ctx), schemaRequest(ctx), deleted(ctx))));
        on(HttpMethod.DELETE, "/subjects/:subject", ctx ->
                new JsonArray(service.deleteSubject(subject(ctx), permanent(ctx))));
        on(HttpMethod.GET, "/subjects/:subject/versions", ctx ->
                new JsonArray(service.versions(subject(ctx), deleted(ctx))));
        on(HttpMethod.POST, "/subjects/:subject/versions", ctx ->
                new JsonObject().put("id", service.register(subject(ctx), schemaRequest(ctx))));
        on(HttpMethod.GET, "/subjects/:subject/versions/:version", ctx ->
                versionJson(service.version(subject(ctx), ctx.pathParam("version"), deleted(ctx))));
        on(HttpMethod.GET, "/subjects/:subject/versions/:version/schema", ctx ->
                service.version(subject(ctx), ctx.pathParam("version"), deleted(ctx)).schema());
        on(HttpMethod.DELETE, "/subjects/:subject/versions/:version", ctx ->
                service.deleteVersion(subject(ctx), ctx.pathParam("version"), permanent(ctx)));

        on(HttpMethod.POST, "/compatibility/subjects/:subject/versions/:version", ctx ->
                compatibilityJson(ctx, service.compatibilityProblems(subject(ctx), ctx.pathParam("version"), schemaRequest(ctx))));
        on(HttpMethod.POST, "/compatibility/subjects/:subject/versions", ctx ->
                compatibilityJson(ctx, service.compatibilityProblems(subject(ctx), null, schemaRequest(ctx))));

        on(HttpMethod.GET, "/config", ctx -> levelJson("compatibilityLevel", service.globalCompatibility()));
        on(HttpMethod.PUT, "/config", ctx -> levelJson("compatibility", service.setCompatibility(null, requestedLevel(ctx))));
        on(HttpMethod.DELETE, "/config", ctx -> levelJson("compatibilityLevel", service.deleteCompatibility(null)));
        on(HttpMethod.GET, "/config/:subject", ctx -> levelJson("compatibilityLevel",
                service.subjectCompatibility(subject(ctx), "true".equalsIgnoreCase(ctx.queryParams().get("defaultToGlobal")))));
        on(HttpMethod.PUT, "/config/:subject", ctx ->
                levelJson("compatibility", service.setCompatibility(subject(ctx), requestedLevel(ctx))));
        on(HttpMethod.DELETE, "/config/:subject", ctx ->
                levelJson("compatibilityLevel", service.deleteCompatibility(subject(ctx))));

        router.route().handler(ctx -> send(ctx, RegistryError.notFound(ctx.request().method() + " " + ctx.normalizedPath())));
    }

    private void on(HttpMethod method, String path, Function<RoutingContext, Object> action) {
        router.route(method, path).blockingHandler(ctx -> respond(ctx, action), false);
    }

    private static void respond(RoutingContext ctx, Function<RoutingContext, Object> action) {
        Object answer;
        try {
            answer = action.apply(ctx);
        } catch (RegistryError e) {
            send(ctx, e);
            return;
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
            send(ctx, RegistryError.internal(e));
            return;
        }
        String body = answer instanceof String text ? text : answer instanceof Number n ? n.toString()
                : answer instanceof JsonObject o ? o.encode() : ((JsonArray) answer).encode();
        ctx.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(body);
    }

    private static void send(RoutingContext ctx, RegistryError error) {
        if (error.httpStatus() >= 500) {
            LOG.warn("{} {}: {}", ctx.request().method(), ctx.request().uri(), error.getMessage());
        } else {
            LOG.debug("{} {}: {} {}", ctx.request().method(), ctx.request().uri(), error.errorCode(), error.getMessage());
        }
        ctx.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", CONTENT_TYPE)
                .end(new JsonObject().put("error_code", error.errorCode()).put("message", error.getMessage()).encode());
    }

    private static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    private static int id(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("Schema " + id + " not found");
        }
    }

    private static boolean deleted(RoutingContext ctx) {
        return "true".equalsIgnoreCase(ctx.queryParams().get("deleted"));
    }

    private static boolean permanent(RoutingContext ctx) {
        return "true".equalsIgnoreCase(ctx.queryParams().get("permanent"));
    }

    private static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw RegistryError.badRequest("A JSON object body is required");
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw RegistryError.badRequest("The body is not a JSON object: " + e.getMessage());
        }
    }

    private static SchemaRegistryService.SchemaRequest schemaRequest(RoutingContext ctx) {
        JsonObject body = body(ctx);
        Object schema = body.getValue("schema");
        Object type = body.getValue("schemaType");
        Object references = body.getValue("references");
        return new SchemaRegistryService.SchemaRequest(
                schema instanceof String s ? s : null,
                type instanceof String t ? t : null,
                references instanceof JsonArray array ? array.size() : 0);
    }

    private static String requestedLevel(RoutingContext ctx) {
        JsonObject body = body(ctx);
        Object level = body.getValue("compatibility", body.getValue("compatibilityLevel"));
        return level instanceof String s ? s : null;
    }

    private static JsonObject versionJson(SchemaVersion v) {
        return new JsonObject()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema());
    }

    private static JsonObject levelJson(String field, CompatibilityLevel level) {
        return new JsonObject().put(field, level.name());
    }

    private static JsonObject compatibilityJson(RoutingContext ctx, List<String> problems) {
        JsonObject answer = new JsonObject().put("is_compatible", problems.isEmpty());
        if ("true".equalsIgnoreCase(ctx.queryParams().get("verbose"))) {
            answer.put("messages", new JsonArray(problems));
        }
        return answer;
    }
}
