package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;

/**
 * One change to the registry's state, as stored (one Kafka record each) in the schemas topic. Replaying them in
 * order from the beginning of the topic rebuilds the state.
 */
sealed interface RegistryRecord {
    /** A version of a subject was registered, or its deleted flag changed. */
    record SchemaPut(SchemaVersion version) implements RegistryRecord {
    }

    /** A version of a subject was permanently deleted (a tombstone). */
    record SchemaRemoved(String subject, int version) implements RegistryRecord {
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null, was set. */
    record ConfigPut(String subject, CompatibilityLevel level) implements RegistryRecord {
    }

    /** The compatibility level of a subject (or the global one when null) was removed (a tombstone). */
    record ConfigRemoved(String subject) implements RegistryRecord {
    }
}
