package io.kronika.launcher;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kronika.eventstore.log.EventLogReader;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.secrets.SecretCodec;
import io.kronika.schemas.secrets.SecretKeyRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Secret written through the API is ciphertext in every Kafka log segment and every state store on disk, while
 * the API serves its plaintext; after {@code kronika secrets rotate-key} its latest event carries the new key.
 */
class SecretsEncryptedAtRestTest {
    private Path dataDir;
    private AllInOneCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void secretValuesAreNowhereOnDiskInPlaintextAndRotationMovesThemToTheNewKey() throws Exception {
        dataDir = Files.createTempDirectory("kronika-secrets");
        ClusterOptions options = TestClusters.storeOnly(dataDir);
        cluster = AllInOneCluster.start(options, line -> { });
        String password = randomWord();
        String token = randomWord();
        String name = "db-credentials-" + randomWord().toLowerCase();

        try (KubernetesClient client = client()) {
            client.secrets().inNamespace("default").resource(new SecretBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withData(Map.of("password", base64(password)))
                    .withStringData(Map.of("token", token))
                    .build()).create();
            Secret served = client.secrets().inNamespace("default").withName(name).get();
            assertThat(served.getData()).containsEntry("password", base64(password)).containsEntry("token", base64(token));
            assertThat(client.secrets().inNamespace("default").list().getItems())
                    .filteredOn(s -> s.getMetadata().getName().equals(name))
                    .singleElement().satisfies(s -> assertThat(s.getData()).containsEntry("password", base64(password)));

            ObjectEvent created = latestEventOf(name);
            assertThat(SecretCodec.keyNames(created.getObject())).containsExactly("key1");

            assertThat(KronikaCommand.execute("secrets", "rotate-key", "--data-dir", dataDir.toString(),
                    "--bootstrap-servers", cluster.status().kafkaBootstrap(),
                    "--schema-registry-url", cluster.status().schemaRegistryUrl())).isZero();
            ObjectEvent rotated = latestEventOf(name);
            assertThat(rotated.getRevision()).as("re-encrypting appends an event").isGreaterThan(created.getRevision());
            assertThat(SecretCodec.keyNames(rotated.getObject())).containsExactly("key2");
            assertThat(client.secrets().inNamespace("default").withName(name).get().getData())
                    .containsEntry("password", base64(password)).containsEntry("token", base64(token));

            // A second rotation with nothing changed in between still moves it; an update of the same values is a no-op.
            client.secrets().inNamespace("default").withName(name).edit(s -> s);
            assertThat(latestEventOf(name).getRevision()).isEqualTo(rotated.getRevision());
        }
        cluster.close(); // flush the stores to disk before searching them
        cluster = null;

        List<String> needles = List.of(password, token, base64(password), base64(token));
        List<Path> files = filesUnder(dataDir);
        assertThat(files).as("Kafka log segments").anyMatch(f -> f.toString().endsWith(".log") && f.toString().contains("kafka"));
        assertThat(files).as("admission and view state stores").anyMatch(f -> f.startsWith(dataDir.resolve("state")))
                .anyMatch(f -> f.startsWith(dataDir.resolve("view")));
        List<String> found = new ArrayList<>();
        boolean nameFound = false;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (String needle : needles) {
                if (contains(bytes, needle.getBytes(StandardCharsets.UTF_8))) {
                    found.add(file + " holds " + (needle.equals(password) || needle.equals(token) ? "a plaintext" : "a base64 plaintext"));
                }
            }
            nameFound |= file.toString().endsWith(".log") && contains(bytes, name.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(nameFound).as("the search reads the segments (the Secret's name is not encrypted)").isTrue();
        assertThat(found).isEmpty();
    }

    @Test
    void theKubeletInjectsTheDecryptedValue() throws Exception {
        dataDir = Files.createTempDirectory("kronika-secrets-kubelet");
        ClusterOptions options = TestClusters.storeOnly(dataDir);
        options.nodes = 1;
        options.runtime = "process";
        options.scheduler = true;
        cluster = AllInOneCluster.start(options, line -> { });
        String password = randomWord();
        try (KubernetesClient client = client()) {
            client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("injected").endMetadata()
                    .withStringData(Map.of("password", password)).build()).create();
            client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("reader").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox")
                    .withCommand("sh", "-c", "echo password=$PASSWORD")
                    .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "injected", false)
                    .endValueFrom().endEnv().endContainer().endSpec().build()).create();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                    client.pods().inNamespace("default").withName("reader").getLog().contains("password=" + password));
        }
        assertThat(latestEventOf("injected").getObject()).doesNotContain(base64(password));
    }

    private ObjectEvent latestEventOf(String name) {
        ObjectEvent[] latest = new ObjectEvent[1];
        EventLogReader.readAll(cluster.status().kafkaBootstrap(), TestClusters.storeOnly(dataDir).topics().events(),
                cluster.schemaRegistry(), event -> {
                    if (SecretCodec.isSecret(event.getRef()) && event.getRef().getName().equals(name)) {
                        latest[0] = event;
                    }
                });
        assertThat(latest[0]).as("events of " + name).isNotNull();
        assertThat(latest[0].getObject()).contains(SecretCodec.PREFIX);
        return latest[0];
    }

    private KubernetesClient client() throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(dataDir.resolve(Kubeconfig.FILE)));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(SecretKeyRing.FILE)).toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String randomWord() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace('-', 'x').replace('_', 'y');
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
