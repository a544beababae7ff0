package io.kronika.schemas.registry;

import org.apache.avro.Schema;

/** One version of a subject, as a schema registry answers it: the subject, its version number, the global id and the schema. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
