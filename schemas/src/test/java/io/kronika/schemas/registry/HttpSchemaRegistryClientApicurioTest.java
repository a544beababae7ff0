package io.kronika.schemas.registry;

import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The project's registry client against Apicurio Registry's Confluent-compatible API: a registry nobody here
 * wrote. Apicurio runs as a child process; if it cannot start, the tests fail.
 */
class HttpSchemaRegistryClientApicurioTest {
    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"}]}""");
    private static final Schema V2_WITH_DEFAULT = new Schema.Parser().parse("""
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"},
              {"name":"node","type":["null","string"],"default":null}]}""");
    private static final Schema V2_WITHOUT_DEFAULT = new Schema.Parser().parse("""
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"},
              {"name":"replicas","type":"int"}]}""");

    private static ApicurioRegistryProcess apicurio;
    private static String url;

    @BeforeAll
    static void startApicurio() throws Exception {
        apicurio = ApicurioRegistryProcess.start();
        url = apicurio.confluentApiUrl();
        // Apicurio's default is NONE; Confluent's (and the project's) is BACKWARD.
        assertThat(newClient().setGlobalCompatibility(CompatibilityLevel.BACKWARD)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @AfterAll
    static void stopApicurio() throws Exception {
        if (apicurio != null) {
            apicurio.close();
        }
    }

    private static HttpSchemaRegistryClient newClient() {
        return new HttpSchemaRegistryClient(url);
    }

    private static String uniqueSubject() {
        return "test-" + UUID.randomUUID() + "-value";
    }

    @Test
    void registersLooksUpAndReadsBackByIdAndVersion() {
        String subject = uniqueSubject();
        HttpSchemaRegistryClient client = newClient();

        int id1 = client.register(subject, V1);
        assertThat(newClient().register(subject, V1)).as("registering the same schema again").isEqualTo(id1);

        RegisteredSchema found = newClient().lookup(subject, V1);
        assertThat(found.subject()).isEqualTo(subject);
        assertThat(found.version()).isEqualTo(1);
        assertThat(found.id()).isEqualTo(id1);
        assertThat(found.schema()).isEqualTo(V1);
        assertThat(newClient().schemaById(id1)).isEqualTo(V1);
        assertThat(client.versions(subject)).containsExactly(1);
        assertThat(client.subjects()).contains(subject);

        int id2 = client.register(subject, V2_WITH_DEFAULT);
        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(client.version(subject, 1).schema()).isEqualTo(V1);
        RegisteredSchema latest = client.latest(subject);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(id2);
        assertThat(latest.schema()).isEqualTo(V2_WITH_DEFAULT);
    }

    @Test
    void checksCompatibilityAgainstTheLatestVersion() {
        String subject = uniqueSubject();
        HttpSchemaRegistryClient client = newClient();
        client.register(subject, V1);

        assertThat(client.isCompatible(subject, V2_WITH_DEFAULT)).isTrue();
        assertThat(client.isCompatible(subject, V2_WITHOUT_DEFAULT)).as("a new field without a default, under BACKWARD").isFalse();
    }

    @Test
    void refusesAnIncompatibleSchema() {
        String subject = uniqueSubject();
        HttpSchemaRegistryClient client = newClient();
        client.register(subject, V1);

        assertThatThrownBy(() -> client.register(subject, V2_WITHOUT_DEFAULT))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isIn(409, 40901));
        assertThat(client.versions(subject)).containsExactly(1);
    }

    @Test
    void readsAndWritesGlobalAndSubjectConfig() {
        String subject = uniqueSubject();
        HttpSchemaRegistryClient client = newClient();
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        try {
            assertThat(client.setGlobalCompatibility(CompatibilityLevel.FULL_TRANSITIVE)).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
            assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        } finally {
            client.setGlobalCompatibility(CompatibilityLevel.BACKWARD);
        }
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);

        client.register(subject, V1);
        // (Apicurio stores NONE on a subject as "no rule", which falls back to the global level: use FORWARD.)
        assertThat(client.setSubjectCompatibility(subject, CompatibilityLevel.FORWARD)).isEqualTo(CompatibilityLevel.FORWARD);
        assertThat(client.subjectCompatibility(subject)).contains(CompatibilityLevel.FORWARD);
        assertThat(client.isCompatible(subject, V2_WITHOUT_DEFAULT)).as("old readers ignore a new field: FORWARD").isTrue();
        assertThat(client.register(subject, V2_WITHOUT_DEFAULT)).isPositive();
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void mapsTheRegistrysErrorCodes() {
        HttpSchemaRegistryClient client = newClient();
        String subject = uniqueSubject();

        assertThatThrownBy(() -> client.versions(subject)).isInstanceOf(SchemaRegistryException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40401);
        assertThatThrownBy(() -> client.schemaById(Integer.MAX_VALUE - 7)).isInstanceOf(SchemaRegistryException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40403);

        client.register(subject, V1);
        assertThatThrownBy(() -> client.version(subject, 42)).isInstanceOf(SchemaRegistryException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40402);
        assertThatThrownBy(() -> client.lookup(subject, V2_WITH_DEFAULT)).isInstanceOf(SchemaRegistryException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40403);
    }

    @Test
    void carriesACommandThroughTheConfluentWireFormat() {
        String topic = "test-" + UUID.randomUUID() + ".commands";
        HttpSchemaRegistryClient client = newClient();
        Command command = Command.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setOperation(Operation.CREATE)
                .setTarget(ObjectRef.newBuilder().setKind("Pod").setNamespace("default").setName("web-0").build())
                .setObject("{\"kind\":\"Pod\"}")
                .setActor(Actor.newBuilder().setUser("alice").setGroups(List.of("dev")).setComponent("api-gateway").build())
                .setRequestedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();

        byte[] bytes;
        try (Serde<Command> serde = KronikaSerdes.avro(Command.class, client)) {
            bytes = serde.serializer().serialize(topic, command);
        }
        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(newClient().lookup(topic + "-value", Command.getClassSchema()).id()).isEqualTo(id);

        // A reader that shares nothing with the writer but the registry.
        try (Serde<Command> serde = KronikaSerdes.avro(Command.class, newClient())) {
            assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(command);
        }
    }
}
