package io.kronika.eventstore.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.entities.Config;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded registry driven by Confluent's own client (7.5.3, relocated inside flink-sql-avro-confluent-registry):
 * a client nobody here wrote. Each test has its own schemas topic on the shared broker.
 */
class EmbeddedSchemaRegistryConfluentClientTest {
    private static final String V1 = """
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"}]}""";
    private static final String V2_WITH_DEFAULT = """
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"},
              {"name":"node","type":["null","string"],"default":null}]}""";
    private static final String V2_WITHOUT_DEFAULT = """
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"},
              {"name":"replicas","type":"int"}]}""";
    private static final String V3 = """
            {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
              {"name":"name","type":"string"},
              {"name":"node","type":["null","string"],"default":null},
              {"name":"phase","type":"string","default":"Pending"}]}""";

    private static EmbeddedSchemaRegistry start(TopicNames names) {
        return EmbeddedSchemaRegistry.start(SharedKafka.bootstrapServers(), names, "127.0.0.1", 0);
    }

    private static SchemaRegistryClient client(EmbeddedSchemaRegistry registry) {
        return new CachedSchemaRegistryClient(registry.url(), 100);
    }

    private static RestClientException restError(Throwable e) {
        assertThat(e).isInstanceOf(RestClientException.class);
        return (RestClientException) e;
    }

    @Test
    void registersReadsBackAndListsVersions() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        TopicProvisioner.ensureTopics(SharedKafka.bootstrapServers(), names, (short) 1);
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            String subject = names.commands() + "-value";

            int id1 = client.register(subject, new AvroSchema(V1));
            assertThat(client(registry).register(subject, new AvroSchema(V1))).as("the same schema again").isEqualTo(id1);
            assertThat(client(registry).getSchemaById(id1)).isEqualTo(new AvroSchema(V1));
            assertThat(client.getAllVersions(subject)).containsExactly(1);
            assertThat(client(registry).getVersion(subject, new AvroSchema(V1))).isEqualTo(1);
            assertThat(client(registry).getId(subject, new AvroSchema(V1))).isEqualTo(id1);

            int id2 = client.register(subject, new AvroSchema(V2_WITH_DEFAULT));
            assertThat(id2).isGreaterThan(id1);
            assertThat(client.getAllVersions(subject)).containsExactly(1, 2);
            SchemaMetadata latest = client(registry).getLatestSchemaMetadata(subject);
            assertThat(latest.getVersion()).isEqualTo(2);
            assertThat(latest.getId()).isEqualTo(id2);
            assertThat(new AvroSchema(latest.getSchema())).isEqualTo(new AvroSchema(V2_WITH_DEFAULT));
            assertThat(client(registry).getSchemaMetadata(subject, 1).getId()).isEqualTo(id1);

            String other = names.events() + "-value";
            assertThat(client.register(other, new AvroSchema(V1))).as("ids are global").isEqualTo(id1);
            assertThat(client.getAllSubjects()).containsExactly(names.commands() + "-value", other);
        }
    }

    @Test
    void checksCompatibilityAndRefusesAnIncompatibleChange() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            String subject = names.commands() + "-value";
            assertThat(client.getConfig(null).getCompatibilityLevel()).as("Confluent's default").isEqualTo("BACKWARD");
            assertThat(client.testCompatibility(subject, new AvroSchema(V2_WITHOUT_DEFAULT)))
                    .as("anything is compatible with nothing").isTrue();
            client.register(subject, new AvroSchema(V1));

            assertThat(client.testCompatibility(subject, new AvroSchema(V2_WITH_DEFAULT))).isTrue();
            assertThat(client.testCompatibility(subject, new AvroSchema(V2_WITHOUT_DEFAULT))).isFalse();
            assertThat(client.testCompatibilityVerbose(subject, new AvroSchema(V2_WITHOUT_DEFAULT)))
                    .anySatisfy(m -> assertThat(m).contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("replicas"));

            assertThatThrownBy(() -> client.register(subject, new AvroSchema(V2_WITHOUT_DEFAULT)))
                    .satisfies(e -> {
                        assertThat(restError(e).getStatus()).isEqualTo(409);
                        assertThat(restError(e).getErrorCode()).isEqualTo(409);
                    });
            assertThat(client.getAllVersions(subject)).containsExactly(1);

            // Under FORWARD, readers of version 1 ignore the new field: allowed.
            assertThat(client.updateConfig(subject, new Config("FORWARD")).getCompatibilityLevel()).isEqualTo("FORWARD");
            assertThat(client.getConfig(subject).getCompatibilityLevel()).isEqualTo("FORWARD");
            assertThat(client.register(subject, new AvroSchema(V2_WITHOUT_DEFAULT))).isPositive();
            assertThat(client.getAllVersions(subject)).containsExactly(1, 2);

            assertThatThrownBy(() -> client.updateConfig(null, new Config("SIDEWAYS")))
                    .satisfies(e -> {
                        assertThat(restError(e).getStatus()).isEqualTo(422);
                        assertThat(restError(e).getErrorCode()).isEqualTo(42203);
                    });
        }
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            String subject = names.commands() + "-value";
            // Reads version 2's data (it has "node"), not version 1's (no "node", and no default here).
            AvroSchema nodeWithoutDefault = new AvroSchema("""
                    {"type":"record","name":"Pod","namespace":"io.kronika.test","fields":[
                      {"name":"node","type":["null","string"]}]}""");
            client.register(subject, new AvroSchema(V1));
            client.register(subject, new AvroSchema(V2_WITH_DEFAULT));

            assertThat(client.testCompatibility(subject, nodeWithoutDefault)).as("BACKWARD: the latest only").isTrue();
            client.updateConfig(subject, new Config("BACKWARD_TRANSITIVE"));
            assertThat(client.testCompatibility(subject, nodeWithoutDefault)).as("BACKWARD_TRANSITIVE").isFalse();
            assertThatThrownBy(() -> client.register(subject, nodeWithoutDefault))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(409));
            client.updateConfig(subject, new Config("NONE"));
            assertThat(client.register(subject, nodeWithoutDefault)).isPositive();
            assertThat(client.getAllVersions(subject)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void answersConfluentErrorCodes() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            String subject = names.commands() + "-value";

            assertThatThrownBy(() -> client.getAllVersions(subject))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40401));
            assertThatThrownBy(() -> client.getSchemaById(4242))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40403));
            client.register(subject, new AvroSchema(V1));
            assertThatThrownBy(() -> client.getSchemaMetadata(subject, 7))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40402));
            assertThatThrownBy(() -> client.getId(subject, new AvroSchema(V3)))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40403));
            assertThatThrownBy(() -> client.getConfig(subject))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40408));
        }
    }

    @Test
    void deletesSoftlyThenPermanently() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            String subject = names.commands() + "-value";
            int id1 = client.register(subject, new AvroSchema(V1));
            client.register(subject, new AvroSchema(V2_WITH_DEFAULT));

            assertThat(client.deleteSchemaVersion(subject, "2", false)).isEqualTo(2);
            assertThat(client.getAllVersions(subject)).containsExactly(1);
            assertThatThrownBy(() -> client.deleteSchemaVersion(subject, "1", true))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40407));
            assertThat(client.deleteSchemaVersion(subject, "2", true)).isEqualTo(2);

            assertThat(client.deleteSubject(subject, false)).containsExactly(1);
            assertThat(client.getAllSubjects()).doesNotContain(subject);
            assertThat(client(registry).getSchemaById(id1)).as("an id keeps its meaning").isEqualTo(new AvroSchema(V1));
            assertThat(client.deleteSubject(subject, true)).containsExactly(1);
            assertThatThrownBy(() -> client.getAllVersions(subject))
                    .satisfies(e -> assertThat(restError(e).getErrorCode()).isEqualTo(40401));

            assertThat(client(registry).register(subject, new AvroSchema(V1))).as("re-registered").isEqualTo(id1);
            assertThat(client.getAllVersions(subject)).containsExactly(1);
        }
    }

    @Test
    void aRestartOnTheSameTopicKeepsIdsVersionsAndConfig() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        String subject = names.commands() + "-value";
        String other = names.events() + "-value";
        int id1;
        int id2;
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            id1 = client.register(subject, new AvroSchema(V1));
            id2 = client.register(subject, new AvroSchema(V2_WITH_DEFAULT));
            client.register(other, new AvroSchema(V2_WITH_DEFAULT));
            client.updateConfig(other, new Config("FULL"));
            client.updateConfig(null, new Config("FORWARD_TRANSITIVE"));
            client.deleteSchemaVersion(subject, "2", false);
            // A fresh client: the first one still has the deleted version in its cache and would not ask.
            client(registry).register(subject, new AvroSchema(V2_WITH_DEFAULT)); // version 3, same id
        }

        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            assertThat(client.getAllSubjects()).containsExactly(subject, other);
            assertThat(client.getAllVersions(subject)).containsExactly(1, 3);
            assertThat(client.getId(subject, new AvroSchema(V1))).isEqualTo(id1);
            assertThat(client.getSchemaMetadata(subject, 3).getId()).isEqualTo(id2);
            assertThat(client.getSchemaById(id2)).isEqualTo(new AvroSchema(V2_WITH_DEFAULT));
            assertThat(client.getAllVersions(other)).containsExactly(1);
            assertThat(client.getConfig(other).getCompatibilityLevel()).isEqualTo("FULL");
            assertThat(client.getConfig(null).getCompatibilityLevel()).isEqualTo("FORWARD_TRANSITIVE");

            client.updateConfig(null, new Config("BACKWARD"));
            int id3 = client.register(subject, new AvroSchema(V3));
            assertThat(id3).as("ids keep increasing after a restart").isGreaterThan(id2);
            assertThat(client.getSchemaMetadata(subject, 4).getId()).isEqualTo(id3);
        }
    }

    @Test
    void storesConfluentRecordsInTheSchemasTopicBeforeAnswering() throws Exception {
        TopicNames names = SharedKafka.uniqueTopics();
        String subject = names.commands() + "-value";
        try (EmbeddedSchemaRegistry registry = start(names)) {
            SchemaRegistryClient client = client(registry);
            int id = client.register(subject, new AvroSchema(V1));
            client.updateConfig(subject, new Config("FULL"));

            // The answers came after Kafka acknowledged the writes: the records are there already.
            List<ConsumerRecord<String, String>> records = readAll(names.schemas());
            ObjectMapper json = new ObjectMapper();
            assertThat(records).hasSize(2);
            JsonNode schemaKey = json.readTree(records.get(0).key());
            JsonNode schemaValue = json.readTree(records.get(0).value());
            assertThat(schemaKey.get("keytype").asText()).isEqualTo("SCHEMA");
            assertThat(schemaKey.get("subject").asText()).isEqualTo(subject);
            assertThat(schemaKey.get("version").asInt()).isEqualTo(1);
            assertThat(schemaValue.get("id").asInt()).isEqualTo(id);
            assertThat(schemaValue.get("deleted").asBoolean()).isFalse();
            assertThat(new AvroSchema(schemaValue.get("schema").asText())).isEqualTo(new AvroSchema(V1));
            JsonNode configKey = json.readTree(records.get(1).key());
            assertThat(configKey.get("keytype").asText()).isEqualTo("CONFIG");
            assertThat(configKey.get("subject").asText()).isEqualTo(subject);
            assertThat(json.readTree(records.get(1).value()).get("compatibilityLevel").asText()).isEqualTo("FULL");
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end) {
                assertThat(System.nanoTime()).as("read %s to offset %d in time", topic, end).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
