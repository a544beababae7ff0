package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.gateway.services.ServiceAllocator;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.auth.ServiceAccountAdmission;
import io.kronika.schemas.Operation;

import io.kronika.gateway.fieldmanager.FieldManager;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** create (POST), update (PUT) and status update (PUT …/status). */
public final class WriteHandler {
    private static final String GENERATED_SUFFIX_STAND_IN = "bbbbb";

    private final GatewayContext gateway;

    public WriteHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    public CompletionStage<Reply> create(ApiRequest request) {
        return createObject(request, Bodies.object(request), true);
    }

    /** {@code recordFields}: whether this write adds an Update entry to managedFields (apply has written its own). */
    CompletableFuture<Reply> createObject(ApiRequest request, ObjectNode body, boolean recordFields) {
        ResourceType type = request.type();
        ObjectNode object = ObjectStrategy.normalize(type, body, request.namespace());
        List<String> warnings = FieldValidation.check(request, type, object);
        ObjectNode metadata = Json.metadata(object);
        String name = Json.text(metadata, "name");
        String generateName = Json.text(metadata, "generateName");
        if ((name == null || name.isEmpty()) && (generateName == null || generateName.isEmpty())) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(
                    FieldError.required("metadata.name", "name or generateName is required")));
        }
        boolean generated = name == null || name.isEmpty();
        if (generated) {
            // kube-apiserver validates the generated name; here admission generates it (from the command id), so
            // validation sees a stand-in of the same shape: the prefix and five characters of the suffix alphabet.
            metadata.put("name", generateName + GENERATED_SUFFIX_STAND_IN);
        }
        ObjectStrategy.prepareForCreate(type, object, System.currentTimeMillis());
        if (request.user() != null && !type.custom() && type.group().isEmpty() && type.kind().equals("Pod")) {
            // Service-account tokens authenticate only where the gateway authenticates; without it, no volume.
            String account = ServiceAccountAdmission.accountName(object);
            ServiceAccountAdmission.admit(object, gateway.view().get(ObjectKeys.of("", "ServiceAccount", request.namespace(), account))
                    .map(stored -> (JsonNode) Json.object(stored.json())), ServiceAccountAdmission.randomSuffix());
        }
        ObjectStrategy.defaultAndValidate(type, object, true);
        if (recordFields) {
            FieldManager.recordUpdate(type, null, null, object, manager(request), Instant.now());
        }
        if (generated) {
            Json.metadata(object).remove("name");
        }
        ServiceAllocator.Reservation reservation = null;
        if (isService(type)) {
            gateway.readYourWrites().awaitLatestWrite();  // a delete acknowledged before this create has freed its IP
            reservation = gateway.services().allocate(object, null);
        }
        checkGrant(request, type.ref(request.namespace(), name), object);
        Command command = gateway.sender().builder(Operation.CREATE, type.ref(request.namespace(), name), request)
                .setObject(Json.write(object))
                .build();
        return track(reservation, () -> gateway.sender().accepted(command, type))
                .thenApply(result -> Reply.rawJson(201, ObjectRenderer.render(type, result.getObject())).withWarnings(warnings));
    }

    public CompletionStage<Reply> update(ApiRequest request) {
        ResourceType type = request.type();
        ObjectNode object = ObjectStrategy.normalize(type, Bodies.object(request), request.namespace());
        List<String> warnings = FieldValidation.check(request, type, object);
        ObjectStrategy.checkName(object, request.name());
        String resourceVersion = Json.text(Json.metadata(object), "resourceVersion");
        if ((resourceVersion == null || resourceVersion.isEmpty()) && !type.allowUnconditionalUpdate()) {
            throw ApiException.invalid(type.group(), type.kind(), request.name(), List.of(
                    new FieldError("FieldValueInvalid", "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")));
        }
        Long expected = revisionOf(type, request.name(), resourceVersion);
        ObjectStrategy.defaultAndValidate(type, object, false);
        gateway.readYourWrites().awaitLatestWrite();
        JsonNode live = gateway.view().get(type.key(request.namespace(), request.name()))
                .map(stored -> (JsonNode) ObjectRenderer.renderNode(type, stored.json())).orElse(null);
        if (live != null) {
            FieldManager.recordUpdate(type, null, live, object, manager(request), Instant.now());
        }
        return submitUpdate(request, Operation.UPDATE, object, expected).thenApply(reply -> reply.withWarnings(warnings));
    }

    /** PUT …/status: only the status of the body is taken; the rest of the stored object stays. */
    public CompletionStage<Reply> updateStatus(ApiRequest request) {
        ResourceType type = request.type();
        ObjectNode object = ObjectStrategy.normalize(type, Bodies.object(request), request.namespace());
        ObjectStrategy.checkName(object, request.name());
        Long expected = revisionOf(type, request.name(), Json.text(Json.metadata(object), "resourceVersion"));
        gateway.readYourWrites().awaitLatestWrite();
        StoredObject current = gateway.view().get(type.key(request.namespace(), request.name()))
                .orElseThrow(() -> ApiErrors.notFound(type, request.name()));
        validateStatus(type, current, object.get("status"));
        return submitUpdate(request, Operation.UPDATE_STATUS, object, expected);
    }

    /** Validates the stored object with {@code status} in place of its own (what a status write would store). */
    static void validateStatus(ResourceType type, StoredObject current, JsonNode status) {
        ObjectNode merged = ObjectRenderer.renderNode(type, current.json());
        if (status == null || status.isNull()) {
            merged.remove("status");
        } else {
            merged.set("status", status.deepCopy());
        }
        ObjectStrategy.defaultAndValidate(type, merged, false);
    }

    CompletableFuture<Reply> submitUpdate(ApiRequest request, Operation operation, ObjectNode object, Long expected) {
        ResourceType type = request.type();
        ServiceAllocator.Reservation reservation = null;
        if (operation == Operation.UPDATE && isService(type)) {
            gateway.readYourWrites().awaitLatestWrite();
            JsonNode previous = gateway.view().get(type.key(request.namespace(), request.name()))
                    .map(stored -> (JsonNode) Json.object(stored.json())).orElse(null);
            reservation = gateway.services().allocate(object, previous);
        }
        if (operation == Operation.UPDATE) {
            checkGrant(request, type.ref(request.namespace(), request.name()), object);
        }
        Command command = gateway.sender().builder(operation, type.ref(request.namespace(), request.name()), request)
                .setObject(Json.write(object))
                .setExpectedResourceVersion(expected)
                .setStatusSubresource(type.statusSubresource())
                .build();
        return track(reservation, () -> gateway.sender().accepted(command, type)).thenApply(result ->
                Reply.rawJson(result.getEventType() == EventType.ADDED ? 201 : 200, ObjectRenderer.render(type, result.getObject())));
    }

    /** RBAC escalation prevention: a role or binding is written only by whom could grant what it grants (other kinds pass). */
    private static void checkGrant(ApiRequest request, ObjectRef target, ObjectNode object) {
        if (request.type().custom()) {
            return;
        }
        ApiPath path = request.path();
        String url = "/apis/" + path.group() + "/" + path.version() + (path.namespace() == null ? "" : "/namespaces/" + path.namespace())
                + "/" + path.resource() + (path.name() == null ? "" : "/" + path.name());
        request.access().checkGrant(request.user(), request.verb(), target, object, url, request.header("User-Agent"));
    }

    static boolean isService(ResourceType type) {
        return !type.custom() && type.group().isEmpty() && type.kind().equals("Service");
    }

    /** Holds the allocation until the view applies the write (see ServiceAllocator), frees it when the write fails. */
    private static CompletableFuture<CommandResult> track(ServiceAllocator.Reservation reservation,
                                                          java.util.function.Supplier<CompletableFuture<CommandResult>> submit) {
        if (reservation == null) {
            return submit.get();
        }
        CompletableFuture<CommandResult> answer;
        try {
            answer = submit.get();
        } catch (RuntimeException e) {
            reservation.release();
            throw e;
        }
        return answer.whenComplete((result, failure) -> {
            if (failure != null || result == null || result.getRevision() == null) {
                reservation.release();
            } else {
                reservation.committed(result.getRevision());
            }
        });
    }

    static String manager(ApiRequest request) {
        return FieldManager.managerOf(request.param("fieldManager"), request.header("User-Agent"));
    }

    /** A metadata.resourceVersion precondition as a revision; 422 when it is not one this server issued. */
    static Long revisionOf(ResourceType type, String name, String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(type.group(), type.kind(), name, List.of(
                    FieldError.invalid("metadata.resourceVersion", resourceVersion, "must be a resourceVersion this server issued")));
        }
    }
}
