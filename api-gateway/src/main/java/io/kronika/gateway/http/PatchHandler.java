package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.fieldmanager.FieldManager;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.patch.PatchApplier;
import io.kronika.gateway.patch.PatchType;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.Operation;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * PATCH of an object, its status or its scale, like kube-apiserver's GuaranteedUpdate: read the current object,
 * apply the patch, write it with the read revision as precondition, and on a conflict read and apply again (as
 * etcd's GuaranteedUpdate loops; bounded here by an attempt count, the command timeout bounds each attempt). A patch
 * that itself sets metadata.resourceVersion makes that the precondition, and is not retried.
 */
public final class PatchHandler {
    /** Under contention every round lets one writer through, so this many concurrent writers always get through. */
    static final int MAX_ATTEMPTS = 100;

    private final GatewayContext gateway;
    private final WriteHandler writes;
    private final ScaleHandler scales;

    public PatchHandler(GatewayContext gateway, ScaleHandler scales) {
        this.gateway = gateway;
        this.writes = new WriteHandler(gateway);
        this.scales = scales;
    }

    public CompletionStage<Reply> patch(ApiRequest request) {
        PatchType type = PatchType.fromContentType(request.header("Content-Type"));
        JsonNode patch = Bodies.parse(request.body(), type == PatchType.APPLY);
        if ("scale".equals(request.subresource())) {
            return scales.patch(request, type, patch);
        }
        request.dryRun();
        return attempt(request, type, patch, 1);
    }

    private CompletableFuture<Reply> attempt(ApiRequest request, PatchType patchType, JsonNode patch, int attempt) {
        ResourceType type = request.type();
        boolean status = "status".equals(request.subresource());
        gateway.readYourWrites().awaitLatestWrite();
        StoredObject current = gateway.view().get(type.key(request.namespace(), request.name())).orElse(null);
        if (current == null) {
            if (patchType == PatchType.APPLY && !status) {
                return applyCreate(request, patch);
            }
            throw ApiErrors.notFound(type, request.name());
        }
        ObjectNode original = ObjectRenderer.renderNode(type, current.json());
        ObjectNode patched;
        if (patchType == PatchType.APPLY && !status) {
            patched = FieldManager.apply(type, original, applyConfiguration(request, patch), applyManager(request), request.flag("force"),
                    request.name(), Instant.now());
        } else {
            patched = PatchApplier.apply(patchType, original.deepCopy(), patch, type.group(), type.kind());
            FieldManager.recordUpdate(type, status ? "status" : null, original, patched, WriteHandler.manager(request), Instant.now());
        }
        patched = ObjectStrategy.normalize(type, patched, request.namespace());
        List<String> warnings = FieldValidation.check(request, type, patched);
        ObjectStrategy.checkName(patched, request.name());
        String patchedVersion = Json.text(Json.metadata(patched), "resourceVersion");
        boolean userPrecondition = patchedVersion != null && !patchedVersion.equals(String.valueOf(current.revision()));
        Long expected = userPrecondition ? WriteHandler.revisionOf(type, request.name(), patchedVersion) : current.revision();
        Json.metadata(patched).put("resourceVersion", String.valueOf(expected));
        if (status) {
            WriteHandler.validateStatus(type, current, patched.get("status"));
        } else {
            ObjectStrategy.defaultAndValidate(type, patched, false);
        }
        return writes.submitUpdate(request, status ? Operation.UPDATE_STATUS : Operation.UPDATE, patched, expected)
                .handleAsync((reply, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(reply.withWarnings(warnings));
                    }
                    if (!userPrecondition && attempt < MAX_ATTEMPTS && isConflict(error)) {
                        return attempt(request, patchType, patch, attempt + 1);
                    }
                    return CompletableFuture.<Reply>failedFuture(error);
                }, gateway.workers())
                .thenCompose(f -> f);
    }

    /** Server-side apply to an object that does not exist yet: the configuration applied to nothing is created. */
    private CompletableFuture<Reply> applyCreate(ApiRequest request, JsonNode patch) {
        ResourceType type = request.type();
        ObjectNode config = applyConfiguration(request, patch);
        ObjectNode metadata = Json.metadata(config);
        if (!metadata.hasNonNull("name")) {
            metadata.put("name", request.name());
        }
        if (type.namespaced() && !metadata.hasNonNull("namespace")) {
            metadata.put("namespace", request.namespace());
        }
        ObjectNode object = FieldManager.apply(type, null, config, applyManager(request), request.flag("force"), request.name(), Instant.now());
        ObjectStrategy.checkName(object, request.name());
        return writes.createObject(request, object, false);
    }

    private static ObjectNode applyConfiguration(ApiRequest request, JsonNode patch) {
        ObjectNode config = PatchApplier.checkApplyConfiguration(patch, request.type().kind()).deepCopy();
        return ObjectStrategy.normalize(request.type(), config, request.namespace());
    }

    private static String applyManager(ApiRequest request) {
        String manager = request.param("fieldManager");
        if (manager == null) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", List.of(
                    FieldError.required("fieldManager", "is required for apply requests")));
        }
        return FieldManager.managerOf(manager, null);
    }

    static boolean isConflict(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ApiException api && api.code() == 409 && "Conflict".equals(api.reason())
                && !String.valueOf(api.getMessage()).contains("UID in precondition");
    }
}
