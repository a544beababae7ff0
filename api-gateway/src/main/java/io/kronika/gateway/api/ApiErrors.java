package io.kronika.gateway.api;

import io.kronika.gateway.catalog.ResourceType;

import java.util.List;

/** The errors the gateway itself raises, worded as kube-apiserver words them. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found", List.of(),
                type.group(), type.plural(), name);
    }

    /** A path that names no resource (unknown group, version or resource). */
    public static ApiException pathNotFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource");
    }

    public static ApiException methodNotAllowed() {
        return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    public static ApiException unsupportedMediaType(String contentType, String accepted) {
        return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
                + accepted);
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limit);
    }

    public static ApiException conflict(ResourceType type, String name, String detail) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name
                + "\": " + detail, List.of(), type.group(), type.plural(), name);
    }

    public static ApiException timeout(String message) {
        return new ApiException(504, "Timeout", message);
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message);
    }

    /** 422 about request options (ListOptions, DeleteOptions, CreateOptions …), as kube-apiserver reports them. */
    public static ApiException invalidOptions(String optionsKind, FieldError... causes) {
        return ApiException.invalid("meta.k8s.io", optionsKind, "", List.of(causes));
    }
}
