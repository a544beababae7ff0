package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's compatibility rules, decided by Avro's {@link SchemaCompatibility#checkReaderWriterCompatibility}:
 * BACKWARD reads the earlier versions' data with the new schema, FORWARD reads the new schema's data with the
 * earlier ones, FULL both; transitive levels check every earlier version, the others the latest only.
 */
final class CompatibilityChecker {
    private CompatibilityChecker() {
    }

    /**
     * Why {@code candidate} may not follow {@code previous} (oldest first, soft-deleted versions left out) under
     * {@code level}; empty when it may.
     */
    static List<String> check(CompatibilityLevel level, Schema candidate, List<SchemaVersion> previous) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return List.of();
        }
        List<SchemaVersion> against = level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        return checkEach(level, candidate, against);
    }

    /** Why {@code candidate} is not compatible, in {@code level}'s direction(s), with each of {@code against}. */
    static List<String> checkEach(CompatibilityLevel level, Schema candidate, List<SchemaVersion> against) {
        List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE) {
            return messages;
        }
        for (SchemaVersion old : against) {
            Schema oldSchema = new Schema.Parser().parse(old.schema());
            if (level.backward()) {
                messages.addAll(incompatibilities(candidate, oldSchema, old.version(), level));
            }
            if (level.forward()) {
                messages.addAll(incompatibilities(oldSchema, candidate, old.version(), level));
            }
        }
        return messages;
    }

    private static List<String> incompatibilities(Schema reader, Schema writer, int oldVersion, CompatibilityLevel level) {
        SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return pair.getResult().getIncompatibilities().stream()
                .map(i -> "{errorType:'" + i.getType() + "', description:'" + i.getMessage()
                        + "', location:'" + i.getLocation() + "', oldSchemaVersion:" + oldVersion
                        + ", compatibility:'" + level + "'}")
                .toList();
    }
}
