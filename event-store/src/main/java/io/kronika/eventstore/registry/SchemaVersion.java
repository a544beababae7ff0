package io.kronika.eventstore.registry;

/**
 * One version of a subject: its number, the global id of its schema, the schema in canonical form
 * ({@code Schema.toString()}), and whether it was soft deleted.
 */
record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
    SchemaVersion markedDeleted() {
        return new SchemaVersion(subject, version, id, schema, true);
    }
}
