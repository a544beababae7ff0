package io.kronika.projections.fold;

import io.kronika.projections.StoredObject;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;

/**
 * One version of an object (or of one part of it) as the stores hold it. {@code deleted} marks the version a
 * DELETED event produced: in the current-objects store it is a tombstone that remembers when the object went away.
 */
public record ObjectVersion(long revision, boolean deleted, String uid, String json) {

    public static ObjectVersion of(ObjectEvent event) {
        return new ObjectVersion(event.getRevision(), event.getType() == EventType.DELETED, event.getUid(), event.getObject());
    }

    /** The tombstone left in the current-objects store: revision and uid only, the last state stays in history. */
    public static ObjectVersion tombstone(ObjectEvent event) {
        return new ObjectVersion(event.getRevision(), true, event.getUid(), "");
    }

    public ObjectVersion withJson(String otherJson) {
        return new ObjectVersion(revision, deleted, uid, otherJson);
    }

    public StoredObject toStoredObject(String key) {
        return new StoredObject(key, ObjectKeys.parse(key), revision, uid, json);
    }
}
