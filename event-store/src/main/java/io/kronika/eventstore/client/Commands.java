package io.kronika.eventstore.client;

import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builders of the commands components send; each gets a fresh command id unless one is given for a retry. */
public final class Commands {
    private Commands() {
    }

    public static Actor actor(String user, String component, String... groups) {
        return new Actor(user, List.of(groups), component);
    }

    public static Command.Builder builder(Operation operation, ObjectRef target, Actor actor) {
        return Command.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setOperation(operation)
                .setTarget(target)
                .setActor(actor)
                .setRequestedAt(Instant.now());
    }

    public static Command create(ObjectRef target, String objectJson, Actor actor) {
        return builder(Operation.CREATE, target, actor).setObject(objectJson).build();
    }

    /** An update; {@code expectedRevision} null means "whatever the body's metadata.resourceVersion says". */
    public static Command update(ObjectRef target, String objectJson, Long expectedRevision, Actor actor) {
        return builder(Operation.UPDATE, target, actor).setObject(objectJson).setExpectedResourceVersion(expectedRevision).build();
    }

    public static Command updateStatus(ObjectRef target, String objectJson, Long expectedRevision, Actor actor) {
        return builder(Operation.UPDATE_STATUS, target, actor).setObject(objectJson).setExpectedResourceVersion(expectedRevision).build();
    }

    public static Command delete(ObjectRef target, Long expectedRevision, String expectedUid, Actor actor) {
        return builder(Operation.DELETE, target, actor).setExpectedResourceVersion(expectedRevision).setExpectedUid(expectedUid).build();
    }

    public static Command bind(ObjectRef pod, String podUid, String node, Actor actor) {
        return builder(Operation.BIND, pod, actor).setExpectedUid(podUid).setBindNode(node).build();
    }
}
