package io.kronika.gateway.protobuf;

/** A protobuf body that cannot be decoded; the caller answers 400 with the message. */
public final class ProtobufException extends RuntimeException {
    public ProtobufException(String message) {
        super(message);
    }
}
