package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.BuiltinResources;
import io.kronika.gateway.catalog.CustomResourceDefinitions;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.validation.CustomResourceValidation;
import io.kronika.gateway.validation.ObjectValidation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What kube-apiserver's registry strategies do around a write, before it becomes a command: the body's type meta
 * and namespace against the URL, the fields a create resets, defaulting and validation.
 */
public final class ObjectStrategy {
    private ObjectStrategy() {
    }

    /**
     * Checks the body's kind, apiVersion and namespace against the request (400 on a mismatch), fills them in when
     * missing, and returns the object with kind and apiVersion in front.
     */
    public static ObjectNode normalize(ResourceType type, ObjectNode body, String namespace) {
        String apiVersion = Json.text(body, "apiVersion");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        String kind = Json.text(body, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ") of " + type.qualifiedResource());
        }
        ObjectNode object = ObjectRenderer.typed(type, body);
        ObjectNode metadata = Json.metadata(object);
        String bodyNamespace = Json.text(metadata, "namespace");
        if (type.namespaced()) {
            if (bodyNamespace == null || bodyNamespace.isEmpty()) {
                metadata.put("namespace", namespace);
            } else if (!bodyNamespace.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        } else {
            metadata.remove("namespace");
        }
        return object;
    }

    /** The name in the body of a PUT must be the one in the URL (400 otherwise); a missing one is filled in. */
    public static void checkName(ObjectNode object, String urlName) {
        ObjectNode metadata = Json.metadata(object);
        String name = Json.text(metadata, "name");
        if (name == null || name.isEmpty()) {
            metadata.put("name", urlName);
        } else if (!name.equals(urlName)) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + urlName + ")");
        }
    }

    /** PrepareForCreate: server-owned fields are reset; kinds with a status subresource start from a fresh status. */
    public static void prepareForCreate(ResourceType type, ObjectNode object, long nowMillis) {
        ObjectNode metadata = Json.metadata(object);
        String resourceVersion = Json.text(metadata, "resourceVersion");
        if (resourceVersion != null && !resourceVersion.isEmpty()) {
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        metadata.remove("uid");
        metadata.remove("deletionTimestamp");
        metadata.remove("deletionGracePeriodSeconds");
        metadata.remove("generation");
        metadata.remove("creationTimestamp");
        metadata.remove("selfLink");
        if (type.statusSubresource()) {
            object.remove("status");
        }
        if (type.custom()) {
            return;
        }
        switch (type.kind()) {
            case "Pod" -> object.putObject("status").put("phase", "Pending");
            case "Namespace" -> object.putObject("status").put("phase", "Active");
            case "PersistentVolume" -> object.putObject("status").put("phase", "Pending");
            case "PersistentVolumeClaim" -> object.putObject("status").put("phase", "Pending");
            case BuiltinResources.CRD_KIND -> acceptNames(object, nowMillis);
            default -> {
            }
        }
    }

    /**
     * Validates and defaults {@code object} in place: built-in kinds with ObjectValidation, custom resources with
     * their version's openAPIV3Schema, CRDs additionally for the name their resources need.
     */
    public static void defaultAndValidate(ResourceType type, ObjectNode object, boolean create) {
        if (type.custom()) {
            if (type.openApiV3Schema() != null) {
                CustomResourceValidation.defaultAndValidate(type.openApiV3Schema(), object, type.group(), type.kind());
            }
            return;
        }
        if (type.kind().equals(BuiltinResources.CRD_KIND) && type.group().equals(BuiltinResources.CRD_GROUP)) {
            checkCrdName(object);
        }
        ObjectValidation.defaultAndValidate(type.group(), type.kind(), object, create);
    }

    private static void checkCrdName(ObjectNode crd) {
        String name = Json.text(Json.metadata(crd), "name");
        JsonNode spec = crd.path("spec");
        String expected = CustomResourceDefinitions.crdName(spec.path("group").asText(""), spec.path("names").path("plural").asText(""));
        if (name != null && !name.isEmpty() && !name.equals(expected)) {
            throw ApiException.invalid(BuiltinResources.CRD_GROUP, BuiltinResources.CRD_KIND, name, List.of(
                    FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group")));
        }
    }

    /**
     * No naming controller runs here, so a new CRD's names are accepted and it is established at once: the status
     * kube-apiserver's controllers would write, written on create.
     */
    private static void acceptNames(ObjectNode crd, long nowMillis) {
        ObjectNode status = crd.putObject("status");
        JsonNode names = crd.path("spec").path("names");
        ObjectNode accepted = names.isObject() ? ((ObjectNode) names).deepCopy() : Json.newObject();
        String kind = Json.text(accepted, "kind");
        if (kind != null) {
            if (!accepted.hasNonNull("singular")) {
                accepted.put("singular", kind.toLowerCase(java.util.Locale.ROOT));
            }
            if (!accepted.hasNonNull("listKind")) {
                accepted.put("listKind", kind + "List");
            }
        }
        status.set("acceptedNames", accepted);
        String now = Instant.ofEpochMilli(nowMillis).truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("lastTransitionTime", now)
                .put("reason", "NoConflicts").put("message", "no conflicts found");
        conditions.addObject().put("type", "Established").put("status", "True").put("lastTransitionTime", now)
                .put("reason", "InitialNamesAccepted").put("message", "the initial names have been accepted");
        ArrayNode stored = status.putArray("storedVersions");
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                stored.add(version.path("name").asText());
            }
        }
    }
}
