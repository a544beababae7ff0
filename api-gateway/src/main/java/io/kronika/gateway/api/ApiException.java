package io.kronika.gateway.api;

import java.util.List;

/**
 * A request refused with a Kubernetes Status: HTTP code, StatusReason (BadRequest, NotFound, AlreadyExists,
 * Conflict, Invalid, RequestEntityTooLarge, UnsupportedMediaType, Gone, MethodNotAllowed, …), message, and for
 * Invalid the bad fields. {@code group}/{@code kind}/{@code name} fill Status.details when known.
 */
public class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final List<FieldError> causes;
    private final String group;
    private final String kind;
    private final String name;

    public ApiException(int code, String reason, String message) {
        this(code, reason, message, List.of(), null, null, null);
    }

    public ApiException(int code, String reason, String message, List<FieldError> causes, String group, String kind, String name) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.causes = List.copyOf(causes);
        this.group = group;
        this.kind = kind;
        this.name = name;
    }

    /** 422 Invalid in Kubernetes' words: {@code Kind "name" is invalid: [field: message, …]}. */
    public static ApiException invalid(String group, String kind, String name, List<FieldError> causes) {
        String fields = causes.size() == 1 ? causes.get(0).describe()
                : "[" + String.join(", ", causes.stream().map(FieldError::describe).toList()) + "]";
        return new ApiException(422, "Invalid", kind + " \"" + (name == null ? "" : name) + "\" is invalid: " + fields,
                causes, group, kind, name);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public int code() { return code; }
    public String reason() { return reason; }
    public List<FieldError> causes() { return causes; }
    public String group() { return group; }
    public String kind() { return kind; }
    public String name() { return name; }
}
