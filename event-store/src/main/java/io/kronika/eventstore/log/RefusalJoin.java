package io.kronika.eventstore.log;

import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the refused requests among records of the {@code commands} and {@code results} topics, fed in any
 * interleaving: a command the gateway refused (401/403, its {@code refusal} record; no result follows) at once, and a
 * command admission rejected once both it and its REJECTED result have been seen, joined by command id. Dry runs
 * are not requests to change anything and are skipped. Pure: no Kafka, the reader decides which records to feed.
 */
public final class RefusalJoin {
    /** A refused request: the command as sent, when and why it was refused. */
    public record Refusal(Command command, Instant time, String verb, int code, String reason, String message, boolean atGateway) {
    }

    private final Map<String, Command> unanswered = new HashMap<>();
    private final Map<String, CommandResult> rejectedBeforeCommand = new HashMap<>();

    /** The Kubernetes verb of an operation, as the audit trail names it. */
    public static String verb(Operation op) {
        return switch (op) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case UPDATE_STATUS -> "update-status";
            case DELETE -> "delete";
            case BIND -> "bind";
            case IMPORT -> "import";
            default -> "unknown";
        };
    }

    public Optional<Refusal> onCommand(Command command) {
        if (command.getDryRun()) {
            return Optional.empty();
        }
        var refusal = command.getRefusal();
        if (refusal != null) {
            return Optional.of(new Refusal(command, command.getRequestedAt(),
                    refusal.getVerb().isEmpty() ? verb(command.getOperation()) : refusal.getVerb(),
                    refusal.getCode(), refusal.getReason(), refusal.getMessage(), true));
        }
        CommandResult result = rejectedBeforeCommand.remove(command.getCommandId());
        if (result != null) {
            return Optional.of(rejected(command, result));
        }
        unanswered.put(command.getCommandId(), command);
        return Optional.empty();
    }

    public Optional<Refusal> onResult(CommandResult result) {
        Command command = unanswered.remove(result.getCommandId());
        if (result.getOutcome() != Outcome.REJECTED) {
            return Optional.empty();
        }
        if (command == null) {
            rejectedBeforeCommand.put(result.getCommandId(), result);
            return Optional.empty();
        }
        return Optional.of(rejected(command, result));
    }

    private static Refusal rejected(Command command, CommandResult result) {
        return new Refusal(command, result.getTimestamp(), verb(command.getOperation()), result.getCode(),
                result.getReason(), result.getMessage(), false);
    }
}
