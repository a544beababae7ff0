package io.kronika.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Confluent Schema Registry REST API (Confluent's registry, Apicurio's {@code /apis/ccompat/v7},
 * the project's embedded registry), over {@link java.net.http.HttpClient} and Jackson.
 *
 * <p>Ids are cached in both directions (schema → id per subject, id → schema): a schema id never changes meaning.
 * Each request is tried up to {@code maxAttempts} times, with a doubling back-off, when no answer comes or the
 * registry answers 5xx; registering is idempotent, so retrying it is safe. Every refusal becomes a
 * {@link SchemaRegistryException} with the registry's {@code error_code} (40401 subject not found, 40402 version
 * not found, 40403 schema not found, 409/40901 incompatible, 42201 invalid schema, 42203 invalid compatibility
 * level, …), or {@link #NO_RESPONSE} when no answer came at all.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistry {
    /** The error code of a {@link SchemaRegistryException} thrown when the registry could not be reached. */
    public static final int NO_RESPONSE = -1;
    /** The error code of a {@link SchemaRegistryException} thrown when an answer could not be understood. */
    public static final int BAD_ANSWER = -2;

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final int CODE_SUBJECT_NOT_FOUND = 40401;
    private static final int CODE_SUBJECT_CONFIG_NOT_FOUND = 40408;

    private final RegistryHttp http;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** A client of the registry at {@code baseUrl}, e.g. {@code http://127.0.0.1:8081} or {@code http://h:p/apis/ccompat/v7}. */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(baseUrl, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_REQUEST_TIMEOUT);
    }

    public HttpSchemaRegistryClient(String baseUrl, int maxAttempts, Duration initialBackoff, Duration requestTimeout) {
        this.http = new RegistryHttp(baseUrl, new ObjectMapper(), maxAttempts, initialBackoff, requestTimeout);
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    /** Registers {@code schema} under {@code subject} (POST /subjects/{subject}/versions), or finds it there; its global id. */
    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.post(subjectPath(subject) + "/versions", Map.of("schema", schema.toString()));
        int id = intField(answer, "id", "register");
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The version of {@code subject} holding {@code schema} (POST /subjects/{subject}); 40401 or 40403 when there is none. */
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode answer = http.post(subjectPath(subject), Map.of("schema", schema.toString()));
        RegisteredSchema found = registeredSchema(answer, subject, "lookup");
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, found.id());
        return found;
    }

    /** The schema with this global id (GET /schemas/ids/{id}); 40403 when there is none. */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.get("/schemas/ids/" + id);
        requireAvro(answer, "schema " + id);
        Schema schema = parse(textField(answer, "schema", "schema " + id), "schema " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** All subjects (GET /subjects). */
    public List<String> subjects() {
        JsonNode answer = http.get("/subjects");
        List<String> subjects = new ArrayList<>();
        array(answer, "subjects").forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    /** The version numbers of {@code subject} (GET /subjects/{subject}/versions); 40401 when it has none. */
    public List<Integer> versions(String subject) {
        JsonNode answer = http.get(subjectPath(subject) + "/versions");
        List<Integer> versions = new ArrayList<>();
        array(answer, "versions of " + subject).forEach(n -> versions.add(n.asInt()));
        return versions;
    }

    /** One version of {@code subject} (GET /subjects/{subject}/versions/{version}); 40401 or 40402 when missing. */
    public RegisteredSchema version(String subject, int version) {
        return versionAt(subject, String.valueOf(version));
    }

    /** The latest version of {@code subject} (GET /subjects/{subject}/versions/latest). */
    public RegisteredSchema latest(String subject) {
        return versionAt(subject, "latest");
    }

    /**
     * Whether {@code schema} may be registered next under {@code subject}, by the subject's compatibility level
     * (POST /compatibility/subjects/{subject}/versions/latest).
     */
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer = http.post("/compatibility" + subjectPath(subject) + "/versions/latest",
                Map.of("schema", schema.toString()));
        JsonNode value = answer == null ? null : answer.get("is_compatible");
        if (value == null || !value.isBoolean()) {
            throw new SchemaRegistryException(BAD_ANSWER, "compatibility check of " + subject + ": no is_compatible in " + answer);
        }
        return value.booleanValue();
    }

    /** The registry's default compatibility level (GET /config). */
    public CompatibilityLevel globalCompatibility() {
        return level(http.get("/config"), "compatibilityLevel", "global config");
    }

    /** Sets the registry's default compatibility level (PUT /config); the level the registry answers. */
    public CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
        return level(http.put("/config", Map.of("compatibility", level.name())), "compatibility", "global config");
    }

    /**
     * The compatibility level set on {@code subject} (GET /config/{subject}); empty when the registry has none
     * for it (Confluent answers 40408, or 40401 for an unknown subject).
     */
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        try {
            return Optional.of(level(http.get("/config/" + RegistryHttp.segment(subject)), "compatibilityLevel", "config of " + subject));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == CODE_SUBJECT_CONFIG_NOT_FOUND || e.errorCode() == CODE_SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Sets the compatibility level of {@code subject} (PUT /config/{subject}); the level the registry answers. */
    public CompatibilityLevel setSubjectCompatibility(String subject, CompatibilityLevel level) {
        return level(http.put("/config/" + RegistryHttp.segment(subject), Map.of("compatibility", level.name())),
                "compatibility", "config of " + subject);
    }

    private RegisteredSchema versionAt(String subject, String version) {
        JsonNode answer = http.get(subjectPath(subject) + "/versions/" + version);
        return registeredSchema(answer, subject, "version " + version + " of " + subject);
    }

    private RegisteredSchema registeredSchema(JsonNode answer, String subject, String what) {
        requireAvro(answer, what);
        int id = intField(answer, "id", what);
        int version = intField(answer, "version", what);
        String answeredSubject = answer.hasNonNull("subject") ? answer.get("subject").asText() : subject;
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(textField(answer, "schema", what), what));
        return new RegisteredSchema(answeredSubject, version, id, schema);
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + RegistryHttp.segment(subject);
    }

    private static void requireAvro(JsonNode answer, String what) {
        if (answer != null && answer.hasNonNull("schemaType") && !"AVRO".equals(answer.get("schemaType").asText())) {
            throw new SchemaRegistryException(BAD_ANSWER, what + " is a " + answer.get("schemaType").asText()
                    + " schema; only AVRO is supported");
        }
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(BAD_ANSWER, what + ": the registry answered a schema Avro cannot parse: " + e.getMessage(), e);
        }
    }

    private static CompatibilityLevel level(JsonNode answer, String field, String what) {
        String name = textField(answer, field, what);
        return CompatibilityLevel.parse(name).orElseThrow(() ->
                new SchemaRegistryException(BAD_ANSWER, what + ": unknown compatibility level " + name));
    }

    private static int intField(JsonNode answer, String field, String what) {
        JsonNode value = answer == null ? null : answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(BAD_ANSWER, what + ": no integer " + field + " in the answer " + answer);
        }
        return value.asInt();
    }

    private static String textField(JsonNode answer, String field, String what) {
        JsonNode value = answer == null ? null : answer.get(field);
        if (value == null || !value.isTextual()) {
            throw new SchemaRegistryException(BAD_ANSWER, what + ": no " + field + " in the answer " + answer);
        }
        return value.asText();
    }

    private static JsonNode array(JsonNode answer, String what) {
        if (answer == null || !answer.isArray()) {
            throw new SchemaRegistryException(BAD_ANSWER, what + ": expected a JSON array, got " + answer);
        }
        return answer;
    }
}
