package io.kronika.eventstore.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.registry.CompatibilityLevel;
import io.kronika.schemas.registry.HttpSchemaRegistryClient;
import io.kronika.schemas.registry.RegisteredSchema;
import io.kronika.schemas.registry.SchemaRegistryException;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded registry with the project's own client, the serdes, and its HTTP answers as bytes on the wire. */
class EmbeddedSchemaRegistryHttpClientTest {
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

    private static TopicNames names;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        names = SharedKafka.uniqueTopics();
        TopicProvisioner.ensureTopics(SharedKafka.bootstrapServers(), names, (short) 1);
        registry = EmbeddedSchemaRegistry.start(SharedKafka.bootstrapServers(), names, "127.0.0.1", 0);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static HttpSchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(registry.url());
    }

    private static String uniqueSubject() {
        return "test-" + UUID.randomUUID() + "-value";
    }

    private static int errorCode(Throwable e) {
        assertThat(e).isInstanceOf(SchemaRegistryException.class);
        return ((SchemaRegistryException) e).errorCode();
    }

    @Test
    void theProjectsClientDoesEverything() {
        HttpSchemaRegistryClient client = client();
        String subject = uniqueSubject();

        int id1 = client.register(subject, V1);
        assertThat(client().register(subject, V1)).isEqualTo(id1);
        RegisteredSchema found = client().lookup(subject, V1);
        assertThat(found).isEqualTo(new RegisteredSchema(subject, 1, id1, V1));
        assertThat(client().schemaById(id1)).isEqualTo(V1);
        assertThat(client.subjects()).contains(subject);
        assertThat(client.versions(subject)).containsExactly(1);

        assertThat(client.isCompatible(subject, V2_WITH_DEFAULT)).isTrue();
        assertThat(client.isCompatible(subject, V2_WITHOUT_DEFAULT)).isFalse();
        assertThatThrownBy(() -> client.register(subject, V2_WITHOUT_DEFAULT)).satisfies(e -> assertThat(errorCode(e)).isEqualTo(409));

        int id2 = client.register(subject, V2_WITH_DEFAULT);
        assertThat(id2).isGreaterThan(id1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(client.version(subject, 1).schema()).isEqualTo(V1);
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, 2, id2, V2_WITH_DEFAULT));

        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.subjectCompatibility(subject)).isEmpty();
        assertThat(client.setSubjectCompatibility(subject, CompatibilityLevel.NONE)).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.subjectCompatibility(subject)).contains(CompatibilityLevel.NONE);
        assertThat(client.register(subject, V2_WITHOUT_DEFAULT)).isGreaterThan(id2);

        assertThatThrownBy(() -> client.versions(uniqueSubject())).satisfies(e -> assertThat(errorCode(e)).isEqualTo(40401));
        assertThatThrownBy(() -> client.version(subject, 9)).satisfies(e -> assertThat(errorCode(e)).isEqualTo(40402));
        assertThatThrownBy(() -> client.schemaById(987_654)).satisfies(e -> assertThat(errorCode(e)).isEqualTo(40403));
    }

    @Test
    void theGlobalLevelCanBeChanged() {
        HttpSchemaRegistryClient client = client();
        try {
            assertThat(client.setGlobalCompatibility(CompatibilityLevel.FULL_TRANSITIVE)).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
            assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        } finally {
            client.setGlobalCompatibility(CompatibilityLevel.BACKWARD);
        }
    }

    @Test
    void carriesCommandsThroughKafkaInTheConfluentWireFormat() {
        Command command = Command.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setOperation(Operation.BIND)
                .setTarget(ObjectRef.newBuilder().setKind("Pod").setNamespace("default").setName("web-0").build())
                .setBindNode("node-1")
                .setActor(Actor.newBuilder().setUser("system:scheduler").setComponent("scheduler").build())
                .setRequestedAt(Instant.ofEpochMilli(1_700_000_000_123L))
                .build();
        String topic = names.commands();

        try (Serde<Command> writer = KronikaSerdes.avro(Command.class, client());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                     new StringSerializer(), (t, data) -> data)) {
            producer.send(new ProducerRecord<>(topic, command.getCommandId(), writer.serializer().serialize(topic, command))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), (t, data) -> data)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty()) {
                assertThat(System.nanoTime()).as("the command arrives in time").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        byte[] bytes = records.get(0).value();
        assertThat(bytes[0]).as("magic byte").isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(client().lookup(topic + "-value", Command.getClassSchema()).id()).isEqualTo(id);

        // A reader that shares nothing with the writer but the registry.
        try (Serde<Command> reader = KronikaSerdes.avro(Command.class, client())) {
            assertThat(reader.deserializer().deserialize(topic, bytes)).isEqualTo(command);
        }
    }

    @Test
    void answersInConfluentsShapes() throws Exception {
        String subject = uniqueSubject();
        ObjectMapper json = new ObjectMapper();

        HttpResponse<String> root = http("GET", "/", null);
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).isEqualTo("{}");
        assertThat(root.headers().firstValue("Content-Type")).contains("application/vnd.schemaregistry.v1+json");

        HttpResponse<String> invalid = http("POST", "/subjects/" + subject + "/versions", "{\"schema\":\"{\\\"type\\\":\\\"record\\\"}\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(json.readTree(invalid.body()).get("error_code").asInt()).isEqualTo(42201);

        HttpResponse<String> protobuf = http("POST", "/subjects/" + subject + "/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
        assertThat(protobuf.statusCode()).isEqualTo(422);
        assertThat(json.readTree(protobuf.body()).get("error_code").asInt()).isEqualTo(42201);

        HttpResponse<String> level = http("PUT", "/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}");
        assertThat(level.statusCode()).isEqualTo(422);
        assertThat(json.readTree(level.body()).get("error_code").asInt()).isEqualTo(42203);

        HttpResponse<String> registered = http("POST", "/subjects/" + subject + "/versions",
                json.writeValueAsString(Map.of("schema", V1.toString(), "schemaType", "AVRO", "references", List.of())));
        assertThat(registered.statusCode()).isEqualTo(200);
        int id = json.readTree(registered.body()).get("id").asInt();

        JsonNode latest = json.readTree(http("GET", "/subjects/" + subject + "/versions/latest", null).body());
        assertThat(latest.get("subject").asText()).isEqualTo(subject);
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(V1);
        assertThat(json.readTree(http("GET", "/schemas/ids/" + id, null).body()).get("schema").asText()).isEqualTo(V1.toString());

        HttpResponse<String> badVersion = http("GET", "/subjects/" + subject + "/versions/zero", null);
        assertThat(badVersion.statusCode()).isEqualTo(422);
        assertThat(json.readTree(badVersion.body()).get("error_code").asInt()).isEqualTo(42202);

        HttpResponse<String> missingVersion = http("GET", "/subjects/" + subject + "/versions/2", null);
        assertThat(missingVersion.statusCode()).isEqualTo(404);
        assertThat(json.readTree(missingVersion.body()).get("error_code").asInt()).isEqualTo(40402);

        HttpResponse<String> verbose = http("POST", "/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                json.writeValueAsString(Map.of("schema", V2_WITHOUT_DEFAULT.toString())));
        JsonNode answer = json.readTree(verbose.body());
        assertThat(answer.get("is_compatible").asBoolean()).isFalse();
        assertThat(answer.get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");

        HttpResponse<String> unknown = http("GET", "/no/such/thing", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("error_code").asInt()).isEqualTo(404);

        HttpResponse<String> notJson = http("POST", "/subjects/" + subject + "/versions", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notJson.body()).has("error_code")).isTrue();
    }

    private static HttpResponse<String> http(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
