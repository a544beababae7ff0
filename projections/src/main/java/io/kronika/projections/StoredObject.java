package io.kronika.projections;

import io.kronika.schemas.ObjectRef;

/** One version of an object as the projections hold it: the full object (spec and status joined) as JSON. */
public record StoredObject(String key, ObjectRef ref, long revision, String uid, String json) {
}
