package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * What the registry does, whatever the transport: registers, looks up, checks compatibility, configures and
 * deletes, with Confluent's rules and error codes ({@link RegistryError}). Every change is first written to the
 * store, then applied to the state: a caller hears of a change only once it is durable. Changes are made one at
 * a time (the registry is the topic's single writer); reads go to the state directly.
 */
final class SchemaRegistryService {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryService.class);
    static final String LATEST = "latest";

    private final RegistryState state;
    private final Consumer<RegistryRecord> store;
    private final Object writeLock = new Object();

    /**
     * @param store appends a change durably, returning only once it is stored; throws a {@link RegistryError}
     *              (50001) when it cannot
     */
    SchemaRegistryService(RegistryState state, Consumer<RegistryRecord> store) {
        this.state = state;
        this.store = store;
    }

    /** A schema to register, look up or check, as the caller sent it. */
    record SchemaRequest(String schema, String schemaType, int references) {
    }

    // ---------------------------------------------------------------- schemas

    /** Registers the schema under {@code subject} (or finds it there, not soft deleted); its global id. */
    int register(String subject, SchemaRequest request) {
        Schema schema = parse(request);
        String canonical = schema.toString();
        synchronized (writeLock) {
            List<SchemaVersion> live = state.versions(subject, false);
            for (SchemaVersion v : live) {
                if (v.schema().equals(canonical)) {
                    return v.id();
                }
            }
            List<String> problems = CompatibilityChecker.check(state.effectiveCompatibility(subject), schema, live);
            if (!problems.isEmpty()) {
                throw RegistryError.incompatible(subject, problems);
            }
            OptionalInt known = state.idOf(canonical);
            int id = known.isPresent() ? known.getAsInt() : state.nextId();
            SchemaVersion version = new SchemaVersion(subject, state.nextVersion(subject), id, canonical, false);
            write(new RegistryRecord.SchemaPut(version));
            LOG.info("Registered version {} of subject {} (schema id {})", version.version(), subject, id);
            return id;
        }
    }

    /** The version of {@code subject} that holds the schema. */
    SchemaVersion lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        String canonical = parse(request).toString();
        List<SchemaVersion> versions = existingVersions(subject, includeDeleted);
        return versions.stream()
                .filter(v -> v.schema().equals(canonical))
                .reduce((first, second) -> second)
                .orElseThrow(() -> RegistryError.schemaNotFound("Schema not found under subject '" + subject + "'."));
    }

    String schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id + " not found"));
    }

    List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        return existingVersions(subject, includeDeleted).stream().map(SchemaVersion::version).toList();
    }

    /** One version ({@code "latest"}, {@code "-1"} or a number) of {@code subject}. */
    SchemaVersion version(String subject, String version, boolean includeDeleted) {
        return resolve(subject, version, existingVersions(subject, includeDeleted));
    }

    /**
     * Why the schema may not be registered under {@code subject}; empty when it may. {@code version} null checks
     * against every version, {@code "latest"} as registering would, a number against that version only.
     */
    List<String> compatibilityProblems(String subject, String version, SchemaRequest request) {
        Schema schema = parse(request);
        CompatibilityLevel level = state.effectiveCompatibility(subject);
        List<SchemaVersion> live = state.versions(subject, false);
        if (version == null) {
            return CompatibilityChecker.checkEach(level, schema, live);
        }
        if (isLatest(version)) {
            return CompatibilityChecker.check(level, schema, live);
        }
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return CompatibilityChecker.checkEach(level, schema, List.of(resolve(subject, version, live)));
    }

    // ---------------------------------------------------------------- config

    CompatibilityLevel globalCompatibility() {
        return state.globalCompatibility();
    }

    CompatibilityLevel subjectCompatibility(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = state.subjectCompatibility(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return state.globalCompatibility();
        }
        throw RegistryError.subjectConfigNotFound(subject);
    }

    /** Sets the level of {@code subject}, or the global one when it is null. */
    CompatibilityLevel setCompatibility(String subject, String level) {
        CompatibilityLevel parsed = CompatibilityLevel.parse(level)
                .orElseThrow(() -> RegistryError.invalidCompatibilityLevel(level));
        synchronized (writeLock) {
            write(new RegistryRecord.ConfigPut(subject, parsed));
        }
        LOG.info("Compatibility of {} set to {}", subject == null ? "the registry" : "subject " + subject, parsed);
        return parsed;
    }

    /** Removes the level of {@code subject} (or resets the global one when null); the level it had. */
    CompatibilityLevel deleteCompatibility(String subject) {
        synchronized (writeLock) {
            CompatibilityLevel previous = subject == null ? state.globalCompatibility()
                    : state.subjectCompatibility(subject).orElseThrow(() -> RegistryError.subjectConfigNotFound(subject));
            write(new RegistryRecord.ConfigRemoved(subject));
            return previous;
        }
    }

    // ---------------------------------------------------------------- deletion

    /** Soft-deletes every version of {@code subject}, or permanently deletes its soft-deleted ones; their numbers. */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        synchronized (writeLock) {
            List<SchemaVersion> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            boolean anyLive = all.stream().anyMatch(v -> !v.deleted());
            List<Integer> deleted = new ArrayList<>();
            if (permanent) {
                if (anyLive) {
                    throw RegistryError.subjectNotSoftDeleted(subject);
                }
                for (SchemaVersion v : all) {
                    write(new RegistryRecord.SchemaRemoved(subject, v.version()));
                    deleted.add(v.version());
                }
                if (state.subjectCompatibility(subject).isPresent()) {
                    write(new RegistryRecord.ConfigRemoved(subject));
                }
            } else {
                if (!anyLive) {
                    throw RegistryError.subjectSoftDeleted(subject);
                }
                for (SchemaVersion v : all) {
                    if (!v.deleted()) {
                        write(new RegistryRecord.SchemaPut(v.markedDeleted()));
                        deleted.add(v.version());
                    }
                }
            }
            LOG.info("{} deleted versions {} of subject {}", permanent ? "Permanently" : "Soft", deleted, subject);
            return deleted;
        }
    }

    /** Soft-deletes one version of {@code subject}, or permanently deletes it once soft deleted; its number. */
    int deleteVersion(String subject, String version, boolean permanent) {
        synchronized (writeLock) {
            List<SchemaVersion> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            // "latest" of a soft delete is the latest version not deleted yet; a number names any version.
            boolean liveOnly = !permanent && isLatest(version);
            SchemaVersion target = resolve(subject, version, liveOnly ? all.stream().filter(v -> !v.deleted()).toList() : all);
            if (permanent) {
                if (!target.deleted()) {
                    throw RegistryError.versionNotSoftDeleted(subject, target.version());
                }
                write(new RegistryRecord.SchemaRemoved(subject, target.version()));
            } else {
                if (target.deleted()) {
                    throw RegistryError.versionSoftDeleted(subject, target.version());
                }
                write(new RegistryRecord.SchemaPut(target.markedDeleted()));
            }
            LOG.info("{} deleted version {} of subject {}", permanent ? "Permanently" : "Soft", target.version(), subject);
            return target.version();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void write(RegistryRecord change) {
        store.accept(change);
        state.apply(change);
    }

    private List<SchemaVersion> existingVersions(String subject, boolean includeDeleted) {
        List<SchemaVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private static SchemaVersion resolve(String subject, String version, List<SchemaVersion> versions) {
        if (isLatest(version)) {
            if (versions.isEmpty()) {
                throw RegistryError.versionNotFound(subject, version);
            }
            return versions.get(versions.size() - 1);
        }
        int number = parseVersion(version);
        return versions.stream()
                .filter(v -> v.version() == number)
                .findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, version));
    }

    private static boolean isLatest(String version) {
        return LATEST.equalsIgnoreCase(version) || "-1".equals(version);
    }

    private static int parseVersion(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RegistryError.invalidVersion(version);
    }

    private static Schema parse(SchemaRequest request) {
        if (request.schemaType() != null && !"AVRO".equalsIgnoreCase(request.schemaType())) {
            throw RegistryError.invalidSchema("Invalid schema: schema type " + request.schemaType()
                    + " is not supported; this registry knows AVRO only");
        }
        if (request.references() > 0) {
            throw RegistryError.invalidSchema("Invalid schema: schema references are not supported");
        }
        if (request.schema() == null || request.schema().isBlank()) {
            throw RegistryError.invalidSchema("Empty schema");
        }
        try {
            return new Schema.Parser().parse(request.schema());
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema("Invalid schema: " + e.getMessage());
        }
    }
}
