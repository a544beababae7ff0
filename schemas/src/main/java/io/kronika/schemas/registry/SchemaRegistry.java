package io.kronika.schemas.registry;

import org.apache.avro.Schema;

/**
 * What the serdes need from a schema registry: ids for the schemas they write, schemas for the ids they read.
 * Implementations cache both directions; a schema id never changes meaning.
 */
public interface SchemaRegistry {
    /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);
}
