package io.kronika.eventstore.broker;

import io.kronika.eventstore.testing.TestFiles;
import io.kronika.eventstore.topics.ComponentAcls;
import io.kronika.eventstore.topics.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded broker with TLS and SASL/SCRAM-SHA-512 only, and StandardAuthorizer ACLs per component: a kubelet may
 * write its heartbeats and commands but not events; a wrong password is refused at authentication.
 */
class SecuredBrokerTest {
    private static final TopicNames TOPICS = new TopicNames("secure.");
    private static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static BrokerSecurity security;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kronika-secure-kafka");
        security = TestCertificates.create(dir.resolve("pki"));
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, security);
        try (Admin admin = Admin.create(withBootstrap(security.superUserProperties()))) {
            admin.createTopics(List.of(TOPICS.commands(), TOPICS.events(), TOPICS.results(), TOPICS.heartbeats(), TOPICS.logs())
                    .stream().map(name -> new NewTopic(name, 1, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("kubelet-node-1",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "kubelet-password"))).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(ComponentAcls.of(ComponentAcls.Component.KUBELET, "User:kubelet-node-1", TOPICS)).all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> props) {
        Map<String, Object> all = new HashMap<>(props);
        all.put("bootstrap.servers", broker.bootstrapServers());
        return all;
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> props = withBootstrap(security.clientProperties(user, password));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Test
    void aKubeletWritesItsTopicsAndIsDeniedTheEventsTopic() throws Exception {
        try (KafkaProducer<String, String> kubelet = producer("kubelet-node-1", "kubelet-password")) {
            assertThat(kubelet.send(new ProducerRecord<>(TOPICS.heartbeats(), "node-1", "alive")).get(30, TimeUnit.SECONDS).offset()).isZero();
            assertThat(kubelet.send(new ProducerRecord<>(TOPICS.commands(), "pod", "status")).get(30, TimeUnit.SECONDS).offset()).isZero();
            assertThatThrownBy(() -> kubelet.send(new ProducerRecord<>(TOPICS.events(), "pod", "forged event")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // Nothing reached the events topic; the super user reads what the kubelet wrote.
        Map<String, Object> props = withBootstrap(security.superUserProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> admin = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition events = new TopicPartition(TOPICS.events(), 0);
            TopicPartition heartbeats = new TopicPartition(TOPICS.heartbeats(), 0);
            assertThat(admin.endOffsets(List.of(events, heartbeats))).containsEntry(events, 0L).containsEntry(heartbeats, 1L);
            admin.assign(List.of(heartbeats));
            admin.seekToBeginning(List.of(heartbeats));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                admin.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
            assertThat(read.get(0).value()).isEqualTo("alive");
        }
    }

    @Test
    void aKubeletCanNotReadCommandsItMayOnlyWrite() {
        Map<String, Object> props = withBootstrap(security.clientProperties("kubelet-node-1", "kubelet-password"));
        try (KafkaConsumer<String, String> kubelet = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition commands = new TopicPartition(TOPICS.commands(), 0);
            kubelet.assign(List.of(commands));
            kubelet.seekToBeginning(List.of(commands));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    kubelet.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (KafkaProducer<String, String> intruder = producer("kubelet-node-1", "guessed")) {
            assertThatThrownBy(() -> intruder.send(new ProducerRecord<>(TOPICS.heartbeats(), "node-1", "x")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }
}
