package io.kronika.eventstore.admission;

/** A command refused for what it carries; code and reason are what the Kubernetes API answers. */
final class InvalidObjectException extends RuntimeException {
    private final int code;
    private final String reason;

    InvalidObjectException(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }
}
