package io.kronika.eventstore.admission;

import io.kronika.schemas.CommandResult;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;

/**
 * What the admission processor does with one command: always answer {@code result}; when {@code event} is
 * present, append it (it takes the next revision) and make it the current state of {@code key}.
 */
public record Decision(CommandResult result, ObjectEvent event, String key) {
    public boolean appends() {
        return event != null;
    }

    public boolean removesObject() {
        return event != null && event.getType() == EventType.DELETED;
    }
}
