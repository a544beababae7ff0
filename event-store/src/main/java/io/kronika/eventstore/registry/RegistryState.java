package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The registry's state in memory: the versions of each subject, the global schema ids, the compatibility
 * levels. It changes only by {@link #apply(RegistryRecord)}, with the records of the schemas topic, so that
 * replaying the topic rebuilds it. Thread-safe; answers are copies.
 *
 * <p>Ids stay known once seen, even after their versions are permanently deleted, so that an id keeps its
 * meaning while the registry runs (after a restart on a compacted topic, as with Confluent's registry, the ids of
 * permanently deleted schemas are forgotten).
 */
final class RegistryState {
    /** Confluent's default. */
    static final CompatibilityLevel DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD;

    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    synchronized void apply(RegistryRecord record) {
        if (record instanceof RegistryRecord.SchemaPut put) {
            SchemaVersion v = put.version();
            subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>()).put(v.version(), v);
            schemasById.putIfAbsent(v.id(), v.schema());
            idsBySchema.putIfAbsent(v.schema(), v.id());
            maxId = Math.max(maxId, v.id());
        } else if (record instanceof RegistryRecord.SchemaRemoved removed) {
            TreeMap<Integer, SchemaVersion> versions = subjects.get(removed.subject());
            if (versions != null) {
                versions.remove(removed.version());
                if (versions.isEmpty()) {
                    subjects.remove(removed.subject());
                }
            }
        } else if (record instanceof RegistryRecord.ConfigPut config) {
            if (config.subject() == null) {
                globalLevel = config.level();
            } else {
                subjectLevels.put(config.subject(), config.level());
            }
        } else if (record instanceof RegistryRecord.ConfigRemoved removed) {
            if (removed.subject() == null) {
                globalLevel = null;
            } else {
                subjectLevels.remove(removed.subject());
            }
        }
    }

    /** The versions of a subject, oldest first, soft-deleted ones only if asked; empty for an unknown subject. */
    synchronized List<SchemaVersion> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        List<SchemaVersion> answer = new ArrayList<>();
        if (versions != null) {
            versions.values().stream().filter(v -> includeDeleted || !v.deleted()).forEach(answer::add);
        }
        return answer;
    }

    /** The subjects with at least one version (not soft deleted, unless asked), in name order. */
    synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.entrySet().stream()
                .filter(e -> includeDeleted || e.getValue().values().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The global id of a schema in canonical form, if it was ever registered. */
    synchronized OptionalInt idOf(String canonicalSchema) {
        Integer id = idsBySchema.get(canonicalSchema);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id a new schema gets: ids are global and increase. */
    synchronized int nextId() {
        return maxId + 1;
    }

    /** The number the next version of a subject gets: one more than any version it has, soft-deleted ones included. */
    synchronized int nextVersion(String subject) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel != null ? globalLevel : DEFAULT_COMPATIBILITY;
    }

    synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The level that rules a subject: its own, or else the global one. */
    synchronized CompatibilityLevel effectiveCompatibility(String subject) {
        CompatibilityLevel own = subjectLevels.get(subject);
        return own != null ? own : globalCompatibility();
    }
}
