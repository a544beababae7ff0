package io.kronika.eventstore.client;

import io.kronika.schemas.CommandResult;

/** A command the admission processor refused; carries its Kubernetes code, reason and message. */
public final class CommandRejectedException extends RuntimeException {
    private final CommandResult result;

    public CommandRejectedException(CommandResult result) {
        super(result.getCode() + " " + result.getReason() + ": " + result.getMessage());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    public int code() {
        return result.getCode();
    }

    public String reason() {
        return result.getReason();
    }
}
