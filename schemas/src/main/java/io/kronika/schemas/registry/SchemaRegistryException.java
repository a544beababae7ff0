package io.kronika.schemas.registry;

/** An error answered by a schema registry, with Confluent's error code (40401 subject not found, 409 incompatible, …). */
public class SchemaRegistryException extends RuntimeException {
    private final int errorCode;

    public SchemaRegistryException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
