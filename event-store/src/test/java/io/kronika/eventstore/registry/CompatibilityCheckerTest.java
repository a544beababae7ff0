package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.kronika.schemas.registry.CompatibilityLevel.BACKWARD;
import static io.kronika.schemas.registry.CompatibilityLevel.BACKWARD_TRANSITIVE;
import static io.kronika.schemas.registry.CompatibilityLevel.FORWARD;
import static io.kronika.schemas.registry.CompatibilityLevel.FORWARD_TRANSITIVE;
import static io.kronika.schemas.registry.CompatibilityLevel.FULL;
import static io.kronika.schemas.registry.CompatibilityLevel.FULL_TRANSITIVE;
import static io.kronika.schemas.registry.CompatibilityLevel.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class CompatibilityCheckerTest {
    private static final String NAME = "{\"name\":\"name\",\"type\":\"string\"}";
    private static final String NODE_DEFAULT = "{\"name\":\"node\",\"type\":[\"null\",\"string\"],\"default\":null}";
    private static final String NODE_REQUIRED = "{\"name\":\"node\",\"type\":[\"null\",\"string\"]}";
    private static final String REPLICAS_REQUIRED = "{\"name\":\"replicas\",\"type\":\"int\"}";

    private static String record(String... fields) {
        return "{\"type\":\"record\",\"name\":\"Pod\",\"fields\":[" + String.join(",", fields) + "]}";
    }

    private static List<SchemaVersion> history(String... schemas) {
        List<SchemaVersion> versions = new ArrayList<>();
        for (int i = 0; i < schemas.length; i++) {
            versions.add(new SchemaVersion("s", i + 1, i + 1, new Schema.Parser().parse(schemas[i]).toString(), false));
        }
        return versions;
    }

    private static boolean compatible(CompatibilityLevel level, String candidate, String... previous) {
        return CompatibilityChecker.check(level, new Schema.Parser().parse(candidate), history(previous)).isEmpty();
    }

    @Test
    void addingAFieldWithoutDefaultIsForwardButNotBackwardCompatible() {
        String v1 = record(NAME);
        String v2 = record(NAME, REPLICAS_REQUIRED);
        assertThat(compatible(NONE, v2, v1)).isTrue();
        assertThat(compatible(BACKWARD, v2, v1)).isFalse();
        assertThat(compatible(FORWARD, v2, v1)).isTrue();
        assertThat(compatible(FULL, v2, v1)).isFalse();
    }

    @Test
    void removingAFieldWithoutDefaultIsBackwardButNotForwardCompatible() {
        String v1 = record(NAME, REPLICAS_REQUIRED);
        String v2 = record(NAME);
        assertThat(compatible(BACKWARD, v2, v1)).isTrue();
        assertThat(compatible(FORWARD, v2, v1)).isFalse();
        assertThat(compatible(FULL, v2, v1)).isFalse();
    }

    @Test
    void addingAFieldWithADefaultIsFullyCompatible() {
        assertThat(compatible(FULL, record(NAME, NODE_DEFAULT), record(NAME))).isTrue();
        assertThat(compatible(FULL_TRANSITIVE, record(NAME, NODE_DEFAULT), record(NAME))).isTrue();
    }

    @Test
    void backwardTransitiveChecksEveryEarlierVersion() {
        // Reads version 2's data (which has "node") but not version 1's (which has not, and no default here).
        String v1 = record(NAME);
        String v2 = record(NAME, NODE_DEFAULT);
        String candidate = record(NODE_REQUIRED);
        assertThat(compatible(BACKWARD, candidate, v1, v2)).isTrue();
        assertThat(compatible(BACKWARD_TRANSITIVE, candidate, v1, v2)).isFalse();
    }

    @Test
    void forwardTransitiveChecksEveryEarlierVersion() {
        // Version 2's readers do without "name"; version 1's need it, and it has no default.
        String v1 = record(NAME, NODE_DEFAULT);
        String v2 = record(NODE_DEFAULT);
        String candidate = record(NODE_DEFAULT, REPLICAS_REQUIRED);
        assertThat(compatible(FORWARD, candidate, v1, v2)).isTrue();
        assertThat(compatible(FORWARD_TRANSITIVE, candidate, v1, v2)).isFalse();
        // Adding a required field is not backward compatible, so FULL fails against the latest already.
        assertThat(compatible(FULL, candidate, v1, v2)).isFalse();
        assertThat(compatible(FULL, record(NODE_DEFAULT), v1, v2)).isTrue();
        assertThat(compatible(FULL_TRANSITIVE, record(NODE_DEFAULT), v1, v2)).isFalse();
    }

    @Test
    void anythingFollowsNothing() {
        assertThat(compatible(FULL_TRANSITIVE, record(NAME))).isTrue();
    }

    @Test
    void explainsWhy() {
        List<String> problems = CompatibilityChecker.check(BACKWARD,
                new Schema.Parser().parse(record(NAME, REPLICAS_REQUIRED)), history(record(NAME)));
        assertThat(problems).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("replicas").contains("oldSchemaVersion:1");
    }
}
