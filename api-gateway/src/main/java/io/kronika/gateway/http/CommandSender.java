package io.kronika.gateway.http;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns requests into commands and answers into results: who asked (the actor and the client's User-Agent as the
 * cause), a bounded wait, and a rejected answer as the Status the client gets.
 */
public final class CommandSender {
    public static final String COMPONENT = "api-gateway";

    private final CommandClient commands;
    private final Duration timeout;
    private final String user;
    private final Executor executor;

    public CommandSender(CommandClient commands, Duration timeout, String user, Executor executor) {
        this.commands = commands;
        this.timeout = timeout;
        this.user = user;
        this.executor = executor;
    }

    public Command.Builder builder(Operation operation, ObjectRef target, ApiRequest request) {
        return Commands.builder(operation, target, actor(request)).setCause(cause(request)).setDryRun(request.dryRun());
    }

    private Actor actor(ApiRequest request) {
        if (request.user() != null) {
            return new Actor(request.user().name(), request.user().groups(), COMPONENT);
        }
        String impersonated = request.header("Impersonate-User");
        String name = impersonated == null || impersonated.isBlank() ? user : impersonated;
        List<String> groups = request.headers().getAll("Impersonate-Group");
        return new Actor(name, groups.isEmpty() ? List.of("system:masters", "system:authenticated") : groups, COMPONENT);
    }

    private static String cause(ApiRequest request) {
        String agent = request.header("User-Agent");
        String what = request.verb() + " " + request.type().qualifiedResource()
                + (request.subresource() == null ? "" : "/" + request.subresource());
        return agent == null ? what : what + " by " + agent;
    }

    /**
     * Submits and completes with the answer, accepted or rejected, on the gateway's worker threads (never on the
     * client's result thread, which must not block).
     */
    public CompletableFuture<CommandResult> submit(Command command) {
        return commands.submit(command)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((result, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof TimeoutException) {
                            throw ApiErrors.timeout("Timeout: request did not complete within the allowed duration ("
                                    + timeout.toSeconds() + "s); the command " + command.getCommandId() + " may still be applied");
                        }
                        throw ApiErrors.internal("the command could not be sent: " + cause.getMessage());
                    }
                    return result;
                }, executor);
    }

    /** Submits and completes with the accepted answer; a rejection completes exceptionally with its Status. */
    public CompletableFuture<CommandResult> accepted(Command command, ResourceType type) {
        return submit(command).thenApply(result -> {
            if (result.getOutcome() == Outcome.REJECTED) {
                throw rejection(result, type);
            }
            return result;
        });
    }

    /** The Status a rejected command answers with: reason and message from admission, details as Kubernetes fills them. */
    public static ApiException rejection(CommandResult result, ResourceType type) {
        String name = result.getRef() == null ? "" : result.getRef().getName();
        String reason = result.getReason() == null || result.getReason().isEmpty() ? "BadRequest" : result.getReason();
        String message = result.getMessage();
        if ("Invalid".equals(reason)) {
            return new ApiException(result.getCode(), reason, message, causes(message), type.group(), type.kind(), name);
        }
        boolean aboutObject = switch (reason) {
            case "NotFound", "AlreadyExists", "Conflict", "Forbidden" -> true;
            default -> false;
        };
        if (aboutObject && message != null && message.startsWith("namespaces \"")) {
            String namespace = message.substring("namespaces \"".length(), Math.max("namespaces \"".length(), message.indexOf('"', "namespaces \"".length())));
            return new ApiException(result.getCode(), reason, message, List.of(), "", "namespaces", namespace);
        }
        return aboutObject
                ? new ApiException(result.getCode(), reason, message, List.of(), type.group(), type.plural(), name)
                : new ApiException(result.getCode(), reason, message);
    }

    /** Admission words Invalid as {@code Kind "name" is invalid: field: Invalid value: …}; the field becomes a cause. */
    private static List<FieldError> causes(String message) {
        if (message == null) {
            return List.of();
        }
        int at = message.indexOf(" is invalid: ");
        if (at < 0) {
            return List.of();
        }
        String rest = message.substring(at + " is invalid: ".length());
        int colon = rest.indexOf(": ");
        if (colon < 0) {
            return List.of();
        }
        String field = rest.substring(0, colon);
        String detail = rest.substring(colon + 2);
        String type = detail.startsWith("Required value") ? "FieldValueRequired" : "FieldValueInvalid";
        return List.of(new FieldError(type, field, detail));
    }
}
