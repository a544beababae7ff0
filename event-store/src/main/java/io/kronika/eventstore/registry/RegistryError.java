package io.kronika.eventstore.registry;

/**
 * A refusal of the schema registry, answered as Confluent's {@code {"error_code": N, "message": "…"}} with
 * {@link #httpStatus()}.
 */
final class RegistryError extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    private RegistryError(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.", null);
    }

    static RegistryError versionNotFound(String subject, String version) {
        return new RegistryError(404, 40402, "Version " + version + " not found for subject '" + subject + "'.", null);
    }

    static RegistryError schemaNotFound(String message) {
        return new RegistryError(404, 40403, message, null);
    }

    static RegistryError subjectSoftDeleted(String subject) {
        return new RegistryError(404, 40404, "Subject '" + subject
                + "' was soft deleted. Set permanent=true to delete permanently", null);
    }

    static RegistryError subjectNotSoftDeleted(String subject) {
        return new RegistryError(404, 40405, "Subject '" + subject
                + "' was not deleted first before being permanently deleted", null);
    }

    static RegistryError versionSoftDeleted(String subject, int version) {
        return new RegistryError(404, 40406, "Subject '" + subject + "' Version " + version
                + " was soft deleted. Set permanent=true to delete permanently", null);
    }

    static RegistryError versionNotSoftDeleted(String subject, int version) {
        return new RegistryError(404, 40407, "Subject '" + subject + "' Version " + version
                + " was not deleted first before being permanently deleted", null);
    }

    static RegistryError subjectConfigNotFound(String subject) {
        return new RegistryError(404, 40408, "Subject '" + subject
                + "' does not have subject-level compatibility configured", null);
    }

    static RegistryError incompatible(String subject, Object details) {
        return new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + details, null);
    }

    static RegistryError invalidSchema(String message) {
        return new RegistryError(422, 42201, message, null);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", null);
    }

    static RegistryError invalidCompatibilityLevel(String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward,"
                + " full, backward_transitive, forward_transitive, and full_transitive (got " + level + ")", null);
    }

    static RegistryError badRequest(String message) {
        return new RegistryError(400, 400, message, null);
    }

    static RegistryError notFound(String path) {
        return new RegistryError(404, 404, "HTTP 404 Not Found: " + path, null);
    }

    static RegistryError storeError(String message, Throwable cause) {
        return new RegistryError(500, 50001, message, cause);
    }

    static RegistryError internal(Throwable cause) {
        return new RegistryError(500, 50001, "Internal error: " + cause, cause);
    }
}
