package io.kronika.gateway.limits;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures Vert.x Web raises itself before any route handles the request (a path it can not normalise, such as
 * {@code %u002e}) answered as Kubernetes Statuses instead of Vert.x's plain-text pages.
 */
public final class RouterFailures {
    private static final Logger LOG = LoggerFactory.getLogger(RouterFailures.class);

    private RouterFailures() {
    }

    public static void mount(Router router) {
        router.errorHandler(400, rc -> answer(rc, new ApiException(400, "BadRequest",
                "the request could not be parsed: " + describe(rc))));
        router.errorHandler(500, rc -> {
            LOG.error("Request {} failed", rc.request().path(), rc.failure());
            answer(rc, new ApiException(500, "InternalError", "Internal error occurred: " + describe(rc)));
        });
    }

    private static String describe(RoutingContext rc) {
        return rc.failure() == null || rc.failure().getMessage() == null ? "malformed request" : rc.failure().getMessage();
    }

    private static void answer(RoutingContext rc, ApiException error) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        Reply reply = Reply.error(error);
        rc.response().setStatusCode(error.code()).putHeader("Content-Type", reply.contentType()).end(Buffer.buffer(reply.body()));
    }
}
