package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.api.Status;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * delete and deletecollection. The propagation policy is stored the way Kubernetes stores it, as finalizers:
 * Foreground adds {@code foregroundDeletion}, Orphan adds {@code orphan} (the garbage collector, a later
 * controller, acts on them and removes them); the object then waits, terminating, until its finalizers are gone.
 */
public final class DeleteHandler {
    private final GatewayContext gateway;

    public DeleteHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    public CompletionStage<Reply> delete(ApiRequest request) {
        DeleteOptions options = DeleteOptions.from(request);
        ResourceType type = request.type();
        return deleteObject(request, type, request.namespace(), request.name(), options)
                .thenApply(result -> reply(type, request.name(), options, result));
    }

    /** Deletes one object with {@code options}: re-reads and retries when adding a finalizer meets a conflict. */
    public CompletableFuture<CommandResult> deleteObject(ApiRequest request, ResourceType type, String namespace, String name,
                                                         DeleteOptions options) {
        gateway.readYourWrites().awaitLatestWrite();
        StoredObject current = gateway.view().get(type.key(namespace, name))
                .orElseThrow(() -> ApiErrors.notFound(type, name));
        return deleteStored(request, type, current, options, 1);
    }

    private CompletableFuture<CommandResult> deleteStored(ApiRequest request, ResourceType type, StoredObject current,
                                                          DeleteOptions options, int attempt) {
        ObjectRef ref = current.ref();
        ObjectNode object = Json.object(current.json());
        List<String> finalizers = finalizers(object);
        List<String> wanted = wantedFinalizers(finalizers, options);
        if (wanted.equals(finalizers) || options.dryRun()) {
            return send(request, type, deleteCommand(request, ref, options.preconditionResourceVersion(), options.preconditionUid(), options));
        }
        ArrayNode array = Json.metadata(object).putArray("finalizers");
        wanted.forEach(array::add);
        Long expected = options.preconditionResourceVersion() != null ? options.preconditionResourceVersion() : current.revision();
        Command update = gateway.sender().builder(Operation.UPDATE, ref, request)
                .setObject(Json.write(object))
                .setExpectedResourceVersion(expected)
                .setExpectedUid(options.preconditionUid() != null ? options.preconditionUid() : current.uid())
                .setStatusSubresource(type.statusSubresource())
                .setDryRun(false)
                .build();
        return gateway.sender().accepted(update, type).handleAsync((updated, error) -> {
            if (error != null) {
                if (options.preconditionResourceVersion() == null && attempt < PatchHandler.MAX_ATTEMPTS && PatchHandler.isConflict(error)) {
                    gateway.readYourWrites().awaitLatestWrite();
                    StoredObject again = gateway.view().get(ObjectKeys.of(ref)).orElseThrow(() -> ApiErrors.notFound(type, ref.getName()));
                    return deleteStored(request, type, again, options, attempt + 1);
                }
                return CompletableFuture.<CommandResult>failedFuture(error);
            }
            if (updated.getEventType() == EventType.DELETED) {
                return CompletableFuture.completedFuture(updated);
            }
            return send(request, type, deleteCommand(request, ref, null, current.uid(), options));
        }, gateway.workers()).thenCompose(f -> f);
    }

    private Command deleteCommand(ApiRequest request, ObjectRef ref, Long expectedRevision, String expectedUid, DeleteOptions options) {
        return gateway.sender().builder(Operation.DELETE, ref, request)
                .setExpectedResourceVersion(expectedRevision)
                .setExpectedUid(expectedUid)
                .setGracePeriodSeconds(options.gracePeriodSeconds())
                .setDryRun(options.dryRun())
                .build();
    }

    private CompletableFuture<CommandResult> send(ApiRequest request, ResourceType type, Command command) {
        return gateway.sender().accepted(command, type);
    }

    /** The finalizers after applying the propagation policy to {@code current}. */
    static List<String> wantedFinalizers(List<String> current, DeleteOptions options) {
        Set<String> wanted = new LinkedHashSet<>(current);
        if (options.orphan(current)) {
            wanted.add(DeleteOptions.ORPHAN_FINALIZER);
            wanted.remove(DeleteOptions.FOREGROUND_FINALIZER);
        } else if (options.foreground(current)) {
            wanted.add(DeleteOptions.FOREGROUND_FINALIZER);
            wanted.remove(DeleteOptions.ORPHAN_FINALIZER);
        } else if (options.propagationPolicy() != null || options.orphanDependents() != null) {
            wanted.remove(DeleteOptions.ORPHAN_FINALIZER);
            wanted.remove(DeleteOptions.FOREGROUND_FINALIZER);
        }
        return new ArrayList<>(wanted);
    }

    private static List<String> finalizers(ObjectNode object) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : Json.metadata(object).path("finalizers")) {
            out.add(f.asText());
        }
        return out;
    }

    /** The answer to a delete: the deleted (or now terminating) object, or a Success Status for kinds that answer so. */
    Reply reply(ResourceType type, String name, DeleteOptions options, CommandResult result) {
        boolean deleted = result.getEventType() == EventType.DELETED;
        if (deleted && !type.returnDeletedObject() && result.getObject() != null) {
            String uid = Json.text(Json.metadata(Json.object(result.getObject())), "uid");
            return Reply.json(200, Status.success(200, name, type.group(), type.plural(), uid));
        }
        int code = !deleted && Boolean.FALSE.equals(options.orphanDependents()) ? 202 : 200;
        if (result.getObject() == null) {
            return Reply.json(code, Status.success(code, name, type.group(), type.plural(), null));
        }
        return Reply.rawJson(code, ObjectRenderer.render(type, result.getObject()));
    }

    /** DELETE on a collection: every object the selectors match, as of one snapshot; answers with the deleted objects. */
    public CompletionStage<Reply> deleteCollection(ApiRequest request) {
        DeleteOptions options = DeleteOptions.from(request);
        ListOptions list = ListOptions.from(request, false);
        ResourceType type = request.type();
        long snapshot = gateway.readYourWrites().awaitLatestWrite();
        ListPage page = gateway.view().list(list.selection().keyPrefix(), snapshot, list.selection().storedFilter(), 0, null);
        List<CompletableFuture<CommandResult>> deletions = new ArrayList<>();
        for (StoredObject item : page.items()) {
            deletions.add(deleteStored(request, type, item, options, 1).exceptionally(error -> {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (cause instanceof ApiException api && api.code() == 404) {
                    return null;
                }
                throw error instanceof RuntimeException r ? r : new RuntimeException(error);
            }));
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ObjectNode out = Json.newObject();
            out.put("kind", type.listKind());
            out.put("apiVersion", type.apiVersion());
            out.putObject("metadata").put("resourceVersion", String.valueOf(gateway.commands().latestRevision()));
            ArrayNode items = out.putArray("items");
            for (CompletableFuture<CommandResult> deletion : deletions) {
                CommandResult result = deletion.join();
                if (result != null && result.getObject() != null) {
                    items.add(ObjectRenderer.renderNode(type, result.getObject()));
                }
            }
            return Reply.json(200, out);
        });
    }

}
