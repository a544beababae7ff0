package io.kronika.eventstore.registry;

import io.kronika.schemas.registry.CompatibilityLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry's rules without Kafka or HTTP: the store is a list of encoded records, as the topic would hold them. */
class SchemaRegistryServiceTest {
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Pod\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    private static final String V2 = "{\"type\":\"record\",\"name\":\"Pod\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"node\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    private static final String V2_BAD = "{\"type\":\"record\",\"name\":\"Pod\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"replicas\",\"type\":\"int\"}]}";

    private final List<RegistryRecordCodec.KeyValue> topic = new ArrayList<>();
    private final SchemaRegistryService service = new SchemaRegistryService(new RegistryState(),
            change -> topic.add(RegistryRecordCodec.encode(change)));

    private static SchemaRegistryService.SchemaRequest avro(String schema) {
        return new SchemaRegistryService.SchemaRequest(schema, null, 0);
    }

    private SchemaRegistryService replayed() {
        RegistryState state = new RegistryState();
        topic.forEach(kv -> RegistryRecordCodec.decode(kv.key(), kv.value()).ifPresent(state::apply));
        return new SchemaRegistryService(state, change -> {
            throw new AssertionError("no writes expected");
        });
    }

    private static int code(Throwable e) {
        assertThat(e).isInstanceOf(RegistryError.class);
        return ((RegistryError) e).errorCode();
    }

    @Test
    void idsAreGlobalAndIncreaseAndVersionsCountPerSubject() {
        int id1 = service.register("a", avro(V1));
        assertThat(service.register("a", avro(V1))).isEqualTo(id1);
        assertThat(service.register("b", avro(V1))).as("same schema, other subject").isEqualTo(id1);
        int id2 = service.register("a", avro(V2));
        assertThat(id2).isEqualTo(id1 + 1);
        assertThat(service.versions("a", false)).containsExactly(1, 2);
        assertThat(service.versions("b", false)).containsExactly(1);
        assertThat(topic).as("nothing written for repeated registrations").hasSize(3);
    }

    @Test
    void anEquivalentSchemaTextIsTheSameSchema() {
        int id = service.register("a", avro(V1));
        String reformatted = "{ \"name\" : \"Pod\", \"type\" : \"record\", \"fields\" : [ { \"type\" : \"string\", \"name\" : \"name\" } ] }";
        assertThat(service.register("a", avro(reformatted))).isEqualTo(id);
        assertThat(service.lookup("a", avro(reformatted), false).version()).isEqualTo(1);
    }

    @Test
    void refusesWithConfluentsCodes() {
        service.register("a", avro(V1));
        assertThatThrownBy(() -> service.register("a", avro(V2_BAD))).satisfies(e -> assertThat(code(e)).isEqualTo(409));
        assertThatThrownBy(() -> service.register("a", avro("{\"type\":\"record\"}"))).satisfies(e -> assertThat(code(e)).isEqualTo(42201));
        assertThatThrownBy(() -> service.register("a", new SchemaRegistryService.SchemaRequest("message M {}", "PROTOBUF", 0)))
                .satisfies(e -> assertThat(code(e)).isEqualTo(42201));
        assertThatThrownBy(() -> service.versions("nope", false)).satisfies(e -> assertThat(code(e)).isEqualTo(40401));
        assertThatThrownBy(() -> service.version("a", "2", false)).satisfies(e -> assertThat(code(e)).isEqualTo(40402));
        assertThatThrownBy(() -> service.version("a", "0", false)).satisfies(e -> assertThat(code(e)).isEqualTo(42202));
        assertThatThrownBy(() -> service.schemaById(99)).satisfies(e -> assertThat(code(e)).isEqualTo(40403));
        assertThatThrownBy(() -> service.lookup("a", avro(V2), false)).satisfies(e -> assertThat(code(e)).isEqualTo(40403));
        assertThatThrownBy(() -> service.setCompatibility(null, "SOMETIMES")).satisfies(e -> assertThat(code(e)).isEqualTo(42203));
        assertThatThrownBy(() -> service.subjectCompatibility("a", false)).satisfies(e -> assertThat(code(e)).isEqualTo(40408));
        assertThat(service.subjectCompatibility("a", true)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void aFailedWriteChangesNothing() {
        SchemaRegistryService failing = new SchemaRegistryService(new RegistryState(), change -> {
            throw RegistryError.storeError("broker gone", null);
        });
        assertThatThrownBy(() -> failing.register("a", avro(V1))).satisfies(e -> assertThat(code(e)).isEqualTo(50001));
        assertThat(failing.subjects(true)).isEmpty();
    }

    @Test
    void replayingTheRecordsRebuildsTheSameState() {
        int id1 = service.register("a", avro(V1));
        int id2 = service.register("a", avro(V2));
        service.register("b", avro(V2));
        service.setCompatibility("b", "full");
        service.setCompatibility(null, "NONE");
        service.register("a", avro(V2_BAD));
        service.deleteVersion("a", "3", false);
        service.deleteVersion("a", "3", true);
        service.deleteSubject("b", false);

        SchemaRegistryService after = replayed();
        assertThat(after.versions("a", false)).containsExactly(1, 2);
        assertThat(after.version("a", "latest", false).id()).isEqualTo(id2);
        assertThat(after.lookup("a", avro(V1), false).id()).isEqualTo(id1);
        assertThat(after.subjects(false)).containsExactly("a");
        assertThat(after.subjects(true)).containsExactly("a", "b");
        assertThat(after.versions("b", true)).containsExactly(1);
        assertThat(after.subjectCompatibility("b", false)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(after.globalCompatibility()).isEqualTo(CompatibilityLevel.NONE);
        assertThat(after.schemaById(id2)).isEqualTo(service.schemaById(id2));
    }

    @Test
    void softDeletedVersionsKeepTheirNumbersAndIds() {
        int id1 = service.register("a", avro(V1));
        service.register("a", avro(V2));
        assertThat(service.deleteSubject("a", false)).containsExactly(1, 2);
        assertThatThrownBy(() -> service.deleteSubject("a", false)).satisfies(e -> assertThat(code(e)).isEqualTo(40404));
        assertThatThrownBy(() -> service.versions("a", false)).satisfies(e -> assertThat(code(e)).isEqualTo(40401));
        assertThat(service.versions("a", true)).containsExactly(1, 2);

        assertThat(service.register("a", avro(V1))).isEqualTo(id1);
        assertThat(service.versions("a", false)).containsExactly(3);
        assertThatThrownBy(() -> service.deleteSubject("a", true)).satisfies(e -> assertThat(code(e)).isEqualTo(40405));
        assertThatThrownBy(() -> service.deleteVersion("a", "1", false)).satisfies(e -> assertThat(code(e)).isEqualTo(40406));
        assertThat(service.deleteVersion("a", "1", true)).isEqualTo(1);
        assertThat(service.versions("a", true)).containsExactly(2, 3);
    }

    @Test
    void encodesRecordsAsConfluentDoes() {
        service.register("a", avro(V1));
        service.setCompatibility(null, "FORWARD");
        assertThat(topic.get(0).key()).isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}");
        assertThat(topic.get(0).value()).startsWith("{\"subject\":\"a\",\"version\":1,\"id\":1,\"schema\":").endsWith(",\"deleted\":false}");
        assertThat(topic.get(1).key()).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(topic.get(1).value()).isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
        assertThat(RegistryRecordCodec.decode("{\"keytype\":\"NOOP\",\"magic\":0}", null)).isEmpty();
        assertThat(RegistryRecordCodec.decode("{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}", null))
                .contains(new RegistryRecord.SchemaRemoved("a", 1));
    }
}
