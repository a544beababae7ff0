package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

/** What a reconcile function asks for; the controller loop turns each into a command. */
public sealed interface Action {
    ObjectRef target();

    /** Create {@code object}; {@code expectationOwner} (nullable) is the owner key whose expectations track it. */
    record Create(ObjectRef target, ObjectNode object, String expectationOwner) implements Action {
    }

    /** Replace the object (spec and metadata; status is kept) if it is still at {@code expectedRevision}. */
    record Update(ObjectRef target, ObjectNode object, long expectedRevision) implements Action {
    }

    /** Replace only the status, if the object is still at {@code expectedRevision}. */
    record UpdateStatus(ObjectRef target, ObjectNode object, long expectedRevision) implements Action {
    }

    /**
     * Delete the object with uid {@code uid}; {@code gracePeriodSeconds} null means the object's default;
     * {@code expectationOwner} (nullable) is the owner key whose expectations track it.
     */
    record Delete(ObjectRef target, String uid, Long gracePeriodSeconds, String expectationOwner) implements Action {
    }

    /** Record a Kubernetes Event (core/v1) about {@code target}. */
    record RecordEvent(ObjectRef target, String uid, String apiVersion, String type, String reason, String message) implements Action {
    }

    static String describe(Action a) {
        String what = a instanceof Create ? "create" : a instanceof Update ? "update"
                : a instanceof UpdateStatus ? "update status of" : a instanceof Delete ? "delete"
                : "record event " + ((RecordEvent) a).reason() + " on";
        return what + " " + ObjectKeys.of(a.target());
    }
}
