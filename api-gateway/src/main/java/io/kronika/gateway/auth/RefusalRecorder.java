package io.kronika.gateway.auth;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Refusal;
import io.kronika.schemas.auth.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every request the gateway refuses (401, 403) to {@code commands} as a command with {@code refusal} set, so
 * {@code kronika history audit --include-refused} shows attempted intrusions. Admission skips these records; they
 * never become events. At most {@link #MAX_PER_SECOND} refusals a second are recorded, so a flood of bad requests
 * cannot fill the log; the ones beyond are counted and summarised in the gateway's log.
 */
public final class RefusalRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(RefusalRecorder.class);
    public static final String COMPONENT = "api-gateway";

    public static final int MAX_PER_SECOND = 100;

    private final CommandClient commands;
    private long windowSecond;
    private int inWindow;
    private long dropped;

    public RefusalRecorder(CommandClient commands) {
        this.commands = commands;
    }

    public void record(UserInfo user, String verb, ObjectRef target, int code, String reason, String message, String path, String userAgent) {
        if (!admit(System.currentTimeMillis() / 1000)) {
            return;
        }
        Actor actor = new Actor(user.name(), user.groups(), COMPONENT);
        Command command = Commands.builder(operation(verb), target, actor)
                .setCause(verb + " " + path + (userAgent == null ? "" : " by " + userAgent))
                .setRefusal(new Refusal(code, reason, message, verb, path))
                .build();
        commands.record(command).exceptionally(error -> {
            LOG.warn("Could not record the refused request {} {} of {}: {}", verb, path, user.name(), error.getMessage());
            return null;
        });
    }

    /** Whether this second still has room; at the start of a new second, reports what the last full one dropped. */
    private synchronized boolean admit(long second) {
        if (second != windowSecond) {
            if (dropped > 0) {
                LOG.warn("{} refused requests were not recorded in the log (over {} a second)", dropped, MAX_PER_SECOND);
            }
            windowSecond = second;
            inWindow = 0;
            dropped = 0;
        }
        if (inWindow >= MAX_PER_SECOND) {
            dropped++;
            return false;
        }
        inWindow++;
        return true;
    }

    private static Operation operation(String verb) {
        return switch (verb) {
            case "create" -> Operation.CREATE;
            case "update", "patch" -> Operation.UPDATE;
            case "delete", "deletecollection" -> Operation.DELETE;
            default -> Operation.UNKNOWN;
        };
    }

    /** The target of a request that names no known object: kind empty, the path's namespace and name when present. */
    public static ObjectRef unresolved(String group, String namespace, String name) {
        return new ObjectRef(group == null ? "" : group, "", namespace == null ? "" : namespace, name == null ? "" : name);
    }
}
