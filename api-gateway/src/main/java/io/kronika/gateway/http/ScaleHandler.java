package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.catalog.ScaleSpec;
import io.kronika.gateway.fieldmanager.FieldManager;
import io.kronika.gateway.patch.PatchApplier;
import io.kronika.gateway.patch.PatchType;
import io.kronika.gateway.selection.SelectorStrings;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.Operation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The scale subresource: an autoscaling/v1 Scale view of a scalable object (spec.replicas, status.replicas and the
 * selector as a string); writing it changes only the object's replica count.
 */
public final class ScaleHandler {
    private static final String SCALE_API_VERSION = "autoscaling/v1";

    private final GatewayContext gateway;
    private final WriteHandler writes;

    public ScaleHandler(GatewayContext gateway) {
        this.gateway = gateway;
        this.writes = new WriteHandler(gateway);
    }

    public Reply get(ApiRequest request) {
        return Reply.json(200, scaleOf(request.type(), current(request)));
    }

    public CompletionStage<Reply> update(ApiRequest request) {
        ObjectNode scale = Bodies.object(request);
        checkTypeMeta(scale);
        String name = Json.text(Json.metadata(scale), "name");
        if (name != null && !name.isEmpty() && !name.equals(request.name())) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + request.name() + ")");
        }
        long replicas = replicas(request, scale);
        Long precondition = WriteHandler.revisionOf(request.type(), request.name(), Json.text(Json.metadata(scale), "resourceVersion"));
        return write(request, replicas, precondition, 1);
    }

    public CompletionStage<Reply> patch(ApiRequest request, PatchType patchType, JsonNode patch) {
        return patchAttempt(request, patchType, patch, 1);
    }

    private CompletableFuture<Reply> patchAttempt(ApiRequest request, PatchType patchType, JsonNode patch, int attempt) {
        StoredObject current = current(request);
        ObjectNode scale = scaleOf(request.type(), current);
        ObjectNode patched = PatchApplier.apply(patchType, scale.deepCopy(), patch, "autoscaling", "Scale");
        checkTypeMeta(patched);
        long replicas = replicas(request, patched);
        String version = Json.text(Json.metadata(patched), "resourceVersion");
        boolean userPrecondition = version != null && !version.equals(String.valueOf(current.revision()));
        Long expected = userPrecondition ? WriteHandler.revisionOf(request.type(), request.name(), version) : current.revision();
        return writeAt(request, current, replicas, expected).handleAsync((reply, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (!userPrecondition && attempt < PatchHandler.MAX_ATTEMPTS && PatchHandler.isConflict(error)) {
                return patchAttempt(request, patchType, patch, attempt + 1);
            }
            return CompletableFuture.<Reply>failedFuture(error);
        }, gateway.workers()).thenCompose(f -> f);
    }

    private CompletableFuture<Reply> write(ApiRequest request, long replicas, Long precondition, int attempt) {
        StoredObject current = current(request);
        Long expected = precondition != null ? precondition : current.revision();
        return writeAt(request, current, replicas, expected).handleAsync((reply, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (precondition == null && attempt < PatchHandler.MAX_ATTEMPTS && PatchHandler.isConflict(error)) {
                return write(request, replicas, null, attempt + 1);
            }
            return CompletableFuture.<Reply>failedFuture(error);
        }, gateway.workers()).thenCompose(f -> f);
    }

    private CompletableFuture<Reply> writeAt(ApiRequest request, StoredObject current, long replicas, Long expected) {
        ResourceType type = request.type();
        ObjectNode live = ObjectRenderer.renderNode(type, current.json());
        ObjectNode object = live.deepCopy();
        JsonPaths.set(object, type.scale().specReplicasPath(), Json.MAPPER.getNodeFactory().numberNode(replicas));
        FieldManager.recordUpdate(type, "scale", live, object, WriteHandler.manager(request), java.time.Instant.now());
        Json.metadata(object).put("resourceVersion", String.valueOf(expected));
        ObjectStrategy.defaultAndValidate(type, object, false);
        return writes.submitUpdate(request, Operation.UPDATE, object, expected).thenApply(reply -> {
            StoredObject written = new StoredObject(current.key(), current.ref(), current.revision(), current.uid(),
                    new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
            return Reply.json(200, scaleOf(type, written));
        });
    }

    private StoredObject current(ApiRequest request) {
        gateway.readYourWrites().awaitLatestWrite();
        return gateway.view().get(request.type().key(request.namespace(), request.name()))
                .orElseThrow(() -> ApiErrors.notFound(request.type(), request.name()));
    }

    private static void checkTypeMeta(ObjectNode scale) {
        String kind = Json.text(scale, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals("Scale")) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind (Scale)");
        }
        String apiVersion = Json.text(scale, "apiVersion");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(SCALE_API_VERSION)) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version ("
                    + SCALE_API_VERSION + ")");
        }
    }

    private static long replicas(ApiRequest request, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").get("replicas");
        if (replicas == null || replicas.isNull()) {
            replicas = Json.MAPPER.getNodeFactory().numberNode(0);
        }
        if (!replicas.canConvertToInt() || !replicas.isIntegralNumber() || replicas.asInt() < 0) {
            throw ApiException.invalid("autoscaling", "Scale", request.name(), List.of(
                    FieldError.invalid("spec.replicas", replicas.isNumber() ? replicas.numberValue() : replicas.asText(),
                            "must be greater than or equal to 0")));
        }
        return replicas.asLong();
    }

    /** The Scale of a stored object. */
    static ObjectNode scaleOf(ResourceType type, StoredObject stored) {
        ObjectNode object = Json.object(stored.json());
        ObjectNode metadata = Json.metadata(object);
        ScaleSpec spec = type.scale();
        ObjectNode scale = Json.newObject();
        scale.put("kind", "Scale");
        scale.put("apiVersion", SCALE_API_VERSION);
        ObjectNode meta = scale.putObject("metadata");
        for (String field : new String[]{"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (metadata.has(field)) {
                meta.set(field, metadata.get(field));
            }
        }
        JsonNode specReplicas = JsonPaths.get(object, spec.specReplicasPath());
        scale.putObject("spec").put("replicas", specReplicas == null ? (type.custom() ? 0 : 1) : specReplicas.asInt());
        ObjectNode status = scale.putObject("status");
        JsonNode statusReplicas = JsonPaths.get(object, spec.statusReplicasPath());
        status.put("replicas", statusReplicas == null ? 0 : statusReplicas.asInt());
        String selector = switch (spec.selectorStyle()) {
            case LABEL_SELECTOR -> SelectorStrings.fromLabelSelector(JsonPaths.get(object, spec.selectorPath()));
            case MAP -> SelectorStrings.fromMap(JsonPaths.get(object, spec.selectorPath()));
            case STRING -> {
                JsonNode value = spec.selectorPath().isEmpty() ? null : JsonPaths.get(object, spec.selectorPath());
                yield value == null ? "" : value.asText();
            }
        };
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }
}
