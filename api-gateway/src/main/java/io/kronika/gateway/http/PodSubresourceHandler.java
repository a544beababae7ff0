package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.api.Status;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The pod subresources that act rather than store: binding (assign a pod to a node, the BIND command) and
 * eviction (delete the pod with the Eviction's DeleteOptions; disruption budgets are not checked yet).
 */
public final class PodSubresourceHandler {
    private final GatewayContext gateway;
    private final DeleteHandler deletes;

    public PodSubresourceHandler(GatewayContext gateway, DeleteHandler deletes) {
        this.gateway = gateway;
        this.deletes = deletes;
    }

    /** POST pods/{name}/binding, or the legacy POST namespaces/{ns}/bindings with the pod's name in the body. */
    public CompletionStage<Reply> bind(ApiRequest request) {
        ObjectNode binding = Bodies.object(request);
        expectKind(binding, "Binding", List.of("v1"));
        ObjectNode metadata = Json.metadata(binding);
        String name = Json.text(metadata, "name");
        String pod = request.name() != null ? request.name() : name;
        if (pod == null || pod.isEmpty()) {
            throw ApiException.invalid("", "Binding", "", List.of(FieldError.required("metadata.name", "")));
        }
        if (request.name() != null && name != null && !name.isEmpty() && !name.equals(request.name())) {
            throw ApiException.badRequest("name in URL does not match name in Binding object");
        }
        String namespace = Json.text(metadata, "namespace");
        if (namespace != null && !namespace.isEmpty() && !namespace.equals(request.namespace())) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        JsonNode target = binding.path("target");
        String node = Json.text(target, "name");
        String targetKind = Json.text(target, "kind");
        if (targetKind != null && !targetKind.isEmpty() && !targetKind.equals("Node")) {
            throw ApiException.invalid("", "Binding", pod, List.of(FieldError.notSupported("target.kind", targetKind, List.of("Node"))));
        }
        if (node == null || node.isEmpty()) {
            throw ApiException.invalid("", "Binding", pod, List.of(FieldError.required("target.name", "")));
        }
        ResourceType pods = podType(request);
        String uid = Json.text(metadata, "uid");
        Command command = gateway.sender().builder(Operation.BIND, ObjectKeys.ref("", "Pod", request.namespace(), pod), request)
                .setBindNode(node)
                .setExpectedUid(uid == null || uid.isEmpty() ? null : uid)
                .build();
        return gateway.sender().accepted(command, pods).thenApply(result -> Reply.json(201, Status.success(201, null, null, null, null)));
    }

    /** POST pods/{name}/eviction: deletes the pod as the Eviction's deleteOptions say. */
    public CompletionStage<Reply> evict(ApiRequest request) {
        ObjectNode eviction = Bodies.object(request);
        expectKind(eviction, "Eviction", List.of("policy/v1", "policy/v1beta1"));
        String name = Json.text(Json.metadata(eviction), "name");
        if (name != null && !name.isEmpty() && !name.equals(request.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        JsonNode options = eviction.get("deleteOptions");
        DeleteOptions deleteOptions = options == null || options.isNull()
                ? new DeleteOptions(null, null, null, null, null, request.dryRun())
                : DeleteOptions.fromJson(options, request.dryRun());
        return deletes.deleteObject(request, request.type(), request.namespace(), request.name(), deleteOptions)
                .thenApply(result -> Reply.json(201, Status.success(201, null, null, null, null)));
    }

    private ResourceType podType(ApiRequest request) {
        if (request.type().kind().equals("Pod")) {
            return request.type();
        }
        return gateway.catalog().find("", "v1", "pods").orElseThrow();
    }

    private static void expectKind(ObjectNode body, String kind, List<String> apiVersions) {
        String bodyKind = Json.text(body, "kind");
        if (bodyKind != null && !bodyKind.isEmpty() && !bodyKind.equals(kind)) {
            throw ApiException.badRequest("the kind in the data (" + bodyKind + ") does not match the expected kind (" + kind + ")");
        }
        String apiVersion = Json.text(body, "apiVersion");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersions.contains(apiVersion)) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version ("
                    + apiVersions.get(0) + ")");
        }
    }
}
