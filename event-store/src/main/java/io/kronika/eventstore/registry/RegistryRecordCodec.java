package io.kronika.eventstore.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.registry.CompatibilityLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The schemas topic's record format, Confluent's: JSON keys {@code {"keytype":"SCHEMA","subject":…,"version":…,"magic":1}}
 * and {@code {"keytype":"CONFIG","subject":…|null,"magic":0}}, JSON values
 * {@code {"subject":…,"version":…,"id":…,"schema":…,"deleted":…}} and {@code {"compatibilityLevel":…}}; a null value
 * is a tombstone. Keys are written in a fixed field order, so that compaction keeps the latest record of each.
 */
final class RegistryRecordCodec {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRecordCodec.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Kafka key and value; the value is null for a tombstone. */
    record KeyValue(String key, String value) {
    }

    private RegistryRecordCodec() {
    }

    static KeyValue encode(RegistryRecord record) {
        if (record instanceof RegistryRecord.SchemaPut put) {
            SchemaVersion v = put.version();
            ObjectNode value = JSON.createObjectNode()
                    .put("subject", v.subject())
                    .put("version", v.version())
                    .put("id", v.id())
                    .put("schema", v.schema())
                    .put("deleted", v.deleted());
            return new KeyValue(schemaKey(v.subject(), v.version()), write(value));
        }
        if (record instanceof RegistryRecord.SchemaRemoved removed) {
            return new KeyValue(schemaKey(removed.subject(), removed.version()), null);
        }
        if (record instanceof RegistryRecord.ConfigPut config) {
            return new KeyValue(configKey(config.subject()),
                    write(JSON.createObjectNode().put("compatibilityLevel", config.level().name())));
        }
        if (record instanceof RegistryRecord.ConfigRemoved removed) {
            return new KeyValue(configKey(removed.subject()), null);
        }
        throw new IllegalArgumentException("Unknown record " + record);
    }

    /** The change a Kafka record stands for; empty for key types this registry does not use (NOOP, MODE, …). */
    static Optional<RegistryRecord> decode(String key, String value) {
        if (key == null) {
            LOG.warn("Skipping a schemas record without key");
            return Optional.empty();
        }
        try {
            JsonNode k = JSON.readTree(key);
            String keyType = k.path("keytype").asText("");
            String subject = k.hasNonNull("subject") ? k.get("subject").asText() : null;
            switch (keyType) {
                case "SCHEMA":
                    return Optional.ofNullable(decodeSchema(subject, k.path("version").asInt(), value));
                case "CONFIG":
                    return Optional.ofNullable(decodeConfig(subject, value));
                default:
                    LOG.debug("Skipping a schemas record of key type {}", keyType);
                    return Optional.empty();
            }
        } catch (JsonProcessingException e) {
            LOG.warn("Skipping a schemas record that is not JSON: key {} ({})", key, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    private static RegistryRecord decodeSchema(String subject, int version, String value) throws JsonProcessingException {
        if (value == null) {
            return new RegistryRecord.SchemaRemoved(subject, version);
        }
        JsonNode v = JSON.readTree(value);
        String type = v.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            LOG.warn("Skipping version {} of subject {}: {} schemas are not supported", version, subject, type);
            return null;
        }
        return new RegistryRecord.SchemaPut(new SchemaVersion(
                subject, version, v.path("id").asInt(), v.path("schema").asText(), v.path("deleted").asBoolean(false)));
    }

    private static RegistryRecord decodeConfig(String subject, String value) throws JsonProcessingException {
        if (value == null) {
            return new RegistryRecord.ConfigRemoved(subject);
        }
        String level = JSON.readTree(value).path("compatibilityLevel").asText(null);
        Optional<CompatibilityLevel> parsed = CompatibilityLevel.parse(level);
        if (parsed.isEmpty()) {
            LOG.warn("Skipping the config of {}: unknown compatibility level {}", subject == null ? "the registry" : subject, level);
            return null;
        }
        return new RegistryRecord.ConfigPut(subject, parsed.get());
    }

    private static String schemaKey(String subject, int version) {
        return write(JSON.createObjectNode()
                .put("keytype", "SCHEMA")
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1));
    }

    private static String configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return write(key.put("magic", 0));
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
