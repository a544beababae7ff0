package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.CommandRejectedException;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.admission.AdmissionProcessor;
import io.kronika.eventstore.admission.CommandAuthorization;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.schemas.auth.ComponentCredentials;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** export → import into a fresh cluster → verify and identical objects; a kubectl dump seeds a cluster. */
class ImportIntegrationTest {
    static final Duration T = Duration.ofSeconds(30);
    static final ObjectRef POD = ObjectKeys.ref("", "Pod", "ns", "web-0");

    static Cluster clusterOf(AdmissionFixture f, String apiUrl) {
        return new Cluster(SharedKafka.bootstrapServers(), AdmissionFixture.REGISTRY, f.topics, apiUrl);
    }

    /** Namespace, config maps created / updated / deleted, a pod bound to a node: a small but real history. */
    static long writeHistory(CommandClient c) throws Exception {
        c.apply(Commands.create(AdmissionFixture.namespace("ns"), AdmissionFixture.namespaceJson("ns"), AdmissionFixture.TEST_ACTOR), T);
        for (int i = 0; i < 20; i++) {
            ObjectRef cm = AdmissionFixture.configMap("ns", "cm-" + i);
            long r = c.apply(Commands.create(cm, AdmissionFixture.configMapJson(cm.getName(), "a"), AdmissionFixture.TEST_ACTOR), T).getRevision();
            c.apply(Commands.update(cm, AdmissionFixture.configMapJson(cm.getName(), "b"), r, AdmissionFixture.TEST_ACTOR), T);
            if (i % 3 == 0) {
                c.apply(Commands.delete(cm, null, null, AdmissionFixture.TEST_ACTOR), T);
            }
        }
        CommandResult pod = c.apply(Commands.create(POD, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-0\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", AdmissionFixture.TEST_ACTOR), T);
        return c.apply(Commands.bind(POD, Jsons.parse(pod.getObject()).path("metadata").path("uid").asText(), "n1",
                Commands.actor("system:kube-scheduler", "scheduler")), T).getRevision();
    }

    @Test
    void anExportImportedIntoAFreshClusterIsTheSameCluster(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.avro");
        StateFold original;
        long last;
        try (AdmissionFixture source = new AdmissionFixture()) {
            last = writeHistory(source.client());
            LogReader reader = new LogReader(clusterOf(source, null));
            assertThat(HistoryFile.export(reader, file, Progress.NONE)).isEqualTo(last);
            original = Replay.toRevision(reader, last, Progress.NONE);
        }
        try (AdmissionFixture fresh = new AdmissionFixture()) {
            Cluster target = clusterOf(fresh, null);
            assertThat(HistoryImport.fromExport(target, file, Progress.NONE)).isEqualTo(last);

            // The same log: every event equal, revisions, uids, times and actors included.
            List<ObjectEvent> exported = new ArrayList<>();
            HistoryFile.read(file, exported::add);
            assertThat(fresh.readAllEvents()).isEqualTo(exported);

            try (ServedCluster served = new ServedCluster(fresh)) {
                Cluster withApi = clusterOf(fresh, served.url());
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Verify.Report report = new Verify(new LogReader(withApi), served.url()).run(Progress.NONE, quiet());
                    assertThat(report.differences()).isEmpty();
                    assertThat(report.objectsChecked()).isEqualTo(original.objects().size());
                });
                // What kubectl, a client nobody here wrote, lists equals the exported cluster's state.
                JsonNode listed = kubectl(served.url(), "get", "namespaces,configmaps,pods", "-A", "-o", "json");
                List<JsonNode> expected = new ArrayList<>();
                Replay.asList(original, false).path("items").forEach(expected::add);
                List<JsonNode> got = new ArrayList<>();
                listed.path("items").forEach(got::add);
                assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
            }

            // The admission state is seeded: preconditions hold against the imported objects.
            ObjectRef cm1 = AdmissionFixture.configMap("ns", "cm-1");
            long cm1Revision = original.objects().get(ObjectKeys.of(cm1)).getRevision();
            CommandClient c = fresh.client();
            assertThatThrownBy(() -> c.apply(Commands.create(cm1, AdmissionFixture.configMapJson("cm-1", "x"), AdmissionFixture.TEST_ACTOR), T))
                    .isInstanceOf(CommandRejectedException.class).hasMessageContaining("already exists");
            assertThatThrownBy(() -> c.apply(Commands.update(cm1, AdmissionFixture.configMapJson("cm-1", "x"), cm1Revision - 1, AdmissionFixture.TEST_ACTOR), T))
                    .isInstanceOf(CommandRejectedException.class);
            assertThat(c.apply(Commands.update(cm1, AdmissionFixture.configMapJson("cm-1", "x"), cm1Revision, AdmissionFixture.TEST_ACTOR), T).getRevision())
                    .isEqualTo(last + 1);

            // A cluster with a history refuses another import, before anything is written.
            assertThatThrownBy(() -> HistoryImport.fromExport(target, file, Progress.NONE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not empty").hasMessageContaining("fresh cluster");
            // And the sequencer itself refuses an imported event that is not its next revision.
            io.kronika.schemas.Command again = HistoryImport.command(exported.get(0), "test");
            again.setCommandId("another-import-of-revision-1"); // the import's own id would be answered from the dedupe store
            CommandResult outOfOrder = c.submit(again).get(30, TimeUnit.SECONDS);
            assertThat(outOfOrder.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(outOfOrder.getCode()).isEqualTo(409);
            assertThat(outOfOrder.getMessage()).contains("next revision is " + (last + 2));
        }
    }

    @Test
    void aClusterThatRequiresSignaturesRefusesAnUnsignedImportAndTakesASignedOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.avro");
        long last;
        try (AdmissionFixture source = new AdmissionFixture()) {
            last = writeHistory(source.client());
            assertThat(HistoryFile.export(new LogReader(clusterOf(source, null)), file, Progress.NONE)).isEqualTo(last);
        }
        byte[] master = "the-import-test-master-key".getBytes(StandardCharsets.UTF_8);
        TopicNames topics = SharedKafka.uniqueTopics();
        TopicProvisioner.ensureTopics(SharedKafka.bootstrapServers(), topics, (short) 1);
        try (AdmissionProcessor admission = AdmissionProcessor.start(SharedKafka.bootstrapServers(), topics, AdmissionFixture.REGISTRY,
                AdmissionProcessor.Settings.defaults(dir.resolve("state")).withAuthorization(new CommandAuthorization(master, true)))) {
            admission.awaitRunning(Duration.ofSeconds(60));
            Cluster target = new Cluster(SharedKafka.bootstrapServers(), AdmissionFixture.REGISTRY, topics, null);
            assertThatThrownBy(() -> HistoryImport.fromExport(target, file, Progress.NONE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("401")
                    .hasMessageContaining("must carry a component credential");
            assertThat(AdmissionFixture.readAllEvents(SharedKafka.bootstrapServers(), topics.events())).isEmpty();

            // Signed as the cluster's trusted tool (what `history import --data-dir` does with the data dir's key).
            assertThat(HistoryImport.fromExport(target, file, Progress.NONE, client -> client.signAs(ComponentCredentials.TRUSTED,
                    ComponentCredentials.derive(master, ComponentCredentials.TRUSTED)))).isEqualTo(last);
            List<ObjectEvent> exported = new ArrayList<>();
            HistoryFile.read(file, exported::add);
            assertThat(AdmissionFixture.readAllEvents(SharedKafka.bootstrapServers(), topics.events())).isEqualTo(exported);
        }
    }

    @Test
    void aKubectlDumpSeedsACluster(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("dump.yaml");
        try (var in = getClass().getResourceAsStream("/kubectl-dump.yaml")) {
            Files.copy(in, dump);
        }
        try (AdmissionFixture fresh = new AdmissionFixture(); ServedCluster served = new ServedCluster(fresh)) {
            KubectlDumpImport.Result result = KubectlDumpImport.run(served.url(), dump, Progress.NONE, quiet());
            assertThat(result.failed()).isEmpty();
            assertThat(result.created()).isEqualTo(8);
            assertThat(result.skipped()).containsKeys("owned by a Deployment (its controller recreates it)",
                    "owned by a ReplicaSet (its controller recreates it)", "Node (kept by the cluster itself)",
                    "Event (kept by the cluster itself)", "kube-root-ca.crt ConfigMap (published by the cluster)");

            JsonNode deployment = kubectl(served.url(), "get", "deployment", "-n", "shop", "web", "-o", "json");
            assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
            assertThat(deployment.path("metadata").path("uid").asText()).isNotEqualTo("0f9a1c52-1111-4c1e-9d6a-5f0e8e0e0001");
            assertThat(deployment.has("status")).isFalse();
            JsonNode service = kubectl(served.url(), "get", "service", "-n", "shop", "web", "-o", "json");
            assertThat(service.path("spec").path("clusterIP").asText()).isNotEqualTo("10.96.14.7").isNotEmpty();
            JsonNode widget = kubectl(served.url(), "get", "widgets.example.com", "-n", "shop", "blue", "-o", "json");
            assertThat(widget.path("spec").path("size").asInt()).isEqualTo(7);
            JsonNode pods = kubectl(served.url(), "get", "pods", "-n", "shop", "-o", "json");
            assertThat(pods.path("items")).extracting(p -> p.path("metadata").path("name").asText()).containsExactly("debug");
            assertThat(pods.path("items").path(0).path("spec").has("nodeName")).isFalse();

            // Running it again creates nothing new: everything exists.
            KubectlDumpImport.Result again = KubectlDumpImport.run(served.url(), dump, Progress.NONE, quiet());
            assertThat(again.created()).isZero();
            assertThat(again.existing()).isEqualTo(8);
        }
    }

    static JsonNode kubectl(String server, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--server", server, "--insecure-skip-tls-verify"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), err).isZero();
        return Jsons.parse(out);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
