package io.kronika.gateway.api;

/**
 * One bad field, as a Kubernetes StatusCause: {@code type} is a CauseType such as FieldValueRequired,
 * FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueTooLong; {@code field} a JSON path
 * like {@code spec.containers[0].image}.
 */
public record FieldError(String type, String field, String message) {
    public static FieldError required(String field, String detail) {
        return new FieldError("FieldValueRequired", field, "Required value" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError("FieldValueInvalid", field, "Invalid value: " + render(value) + ": " + detail);
    }

    public static FieldError notSupported(String field, Object value, java.util.Collection<String> supported) {
        return new FieldError("FieldValueNotSupported", field, "Unsupported value: " + render(value)
                + ": supported values: " + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
    }

    private static String render(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** The way Kubernetes writes it in a Status message: {@code field: message}. */
    public String describe() {
        return field + ": " + message;
    }
}
