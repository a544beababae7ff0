package io.kronika.projections.view;

import io.kronika.projections.fold.KeyLifetimes;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Walks the lifetimes store alongside a walk of the objects store in key order (both hold every key the fold has
 * seen), so a list looks each key's lifetimes up without a seek of its own.
 */
final class LifetimesCursor implements AutoCloseable {
    private final KeyValueIterator<String, KeyLifetimes> it;

    LifetimesCursor(KeyValueIterator<String, KeyLifetimes> it) {
        this.it = it;
    }

    /**
     * The lifetimes of {@code key}, which must not be below the key of the previous call; null when the store has
     * none (the fold writes objects before a reader sees the matching lifetimes only for keys newer than a list).
     */
    KeyLifetimes of(String key) {
        while (it.hasNext()) {
            int order = it.peekNextKey().compareTo(key);
            if (order > 0) {
                return null;
            }
            KeyLifetimes lifetimes = it.next().value;
            if (order == 0) {
                return lifetimes;
            }
        }
        return null;
    }

    @Override
    public void close() {
        it.close();
    }
}
