package io.kronika.controllers.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectRef;

/**
 * One object as the cache holds it. {@code object} is shared between readers: never modify it, {@code deepCopy()} first.
 */
public record CachedObject(String key, ObjectRef ref, long revision, String uid, ObjectNode object) {
    public String name() {
        return ref.getName();
    }

    public String namespace() {
        return ref.getNamespace();
    }

    public ObjectNode copy() {
        return object.deepCopy();
    }
}
