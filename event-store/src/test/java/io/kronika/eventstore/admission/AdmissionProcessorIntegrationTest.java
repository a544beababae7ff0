package io.kronika.eventstore.admission;

import io.kronika.eventstore.client.CommandRejectedException;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.kronika.eventstore.testing.AdmissionFixture.TEST_ACTOR;
import static io.kronika.eventstore.testing.AdmissionFixture.configMap;
import static io.kronika.eventstore.testing.AdmissionFixture.configMapJson;
import static io.kronika.eventstore.testing.AdmissionFixture.namespace;
import static io.kronika.eventstore.testing.AdmissionFixture.namespaceJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admission processor against the real embedded broker. */
class AdmissionProcessorIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private AdmissionFixture cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new AdmissionFixture();
        cluster.client().apply(Commands.create(namespace("ns"), namespaceJson("ns"), TEST_ACTOR), TIMEOUT);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void fiftyWritersWithTheSameResourceVersionExactlyOneWins() throws Exception {
        CommandResult created = cluster.client().apply(Commands.create(configMap("ns", "contended"), configMapJson("contended", "0"), TEST_ACTOR), TIMEOUT);
        long revision = created.getRevision();

        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (int writer = 0; writer < 50; writer++) {
            answers.add(cluster.client().submit(Commands.update(configMap("ns", "contended"),
                    configMapJson("contended", "writer-" + writer), revision, TEST_ACTOR)));
        }
        List<CommandResult> results = answers.stream().map(CompletableFuture::join).toList();

        assertThat(results).filteredOn(r -> r.getOutcome() == Outcome.ACCEPTED).hasSize(1);
        assertThat(results).filteredOn(r -> r.getOutcome() == Outcome.REJECTED)
                .hasSize(49)
                .allSatisfy(r -> {
                    assertThat(r.getCode()).isEqualTo(409);
                    assertThat(r.getReason()).isEqualTo("Conflict");
                    assertThat(r.getMessage()).contains("the object has been modified");
                });
        assertThat(cluster.readAllEvents()).filteredOn(e -> e.getRef().getName().equals("contended")).hasSize(2);
    }

    @Test
    void thousandCreatesGetThousandDenseDistinctRevisions() throws Exception {
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            answers.add(cluster.client().submit(Commands.create(configMap("ns", "cm-" + i), configMapJson("cm-" + i, "v"), TEST_ACTOR)));
        }
        List<CommandResult> results = answers.stream().map(CompletableFuture::join).toList();
        assertThat(results).allSatisfy(r -> assertThat(r.getOutcome()).isEqualTo(Outcome.ACCEPTED));

        Set<Long> revisions = results.stream().map(CommandResult::getRevision).collect(Collectors.toSet());
        assertThat(revisions).hasSize(1000);
        long first = revisions.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(revisions).containsExactlyInAnyOrderElementsOf(LongStream.range(first, first + 1000).boxed().toList());

        List<ObjectEvent> log = cluster.readAllEvents();
        assertThat(log).extracting(ObjectEvent::getRevision)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
    }

    @Test
    void retriedCommandIsAppliedOnceAndAnsweredWithItsFirstResult() throws Exception {
        Command create = Commands.create(configMap("ns", "once"), configMapJson("once", "v"), TEST_ACTOR);
        CommandResult first = cluster.client().apply(create, TIMEOUT);
        CommandResult again = cluster.client().submit(create).get();

        assertThat(again).isEqualTo(first);
        assertThat(cluster.readAllEvents()).filteredOn(e -> e.getRef().getName().equals("once")).hasSize(1);
    }

    @Test
    void kubernetesReasonsForRefusedCommands() throws Exception {
        cluster.client().apply(Commands.create(configMap("ns", "a"), configMapJson("a", "1"), TEST_ACTOR), TIMEOUT);
        int eventsBefore = cluster.readAllEvents().size();

        assertRejected(Commands.create(configMap("ns", "a"), configMapJson("a", "2"), TEST_ACTOR), 409, "AlreadyExists", "configmaps \"a\" already exists");
        assertRejected(Commands.update(configMap("ns", "missing"), configMapJson("missing", "2"), null, TEST_ACTOR), 404, "NotFound", "configmaps \"missing\" not found");
        assertRejected(Commands.delete(configMap("ns", "a"), null, "not-the-uid", TEST_ACTOR), 409, "Conflict", "UID in precondition");
        assertRejected(Commands.create(configMap("nowhere", "a"), configMapJson("a", "2"), TEST_ACTOR), 404, "NotFound", "namespaces \"nowhere\" not found");
        assertRejected(Commands.create(configMap("ns", "Bad_Name"), configMapJson("Bad_Name", "2"), TEST_ACTOR), 422, "Invalid", "metadata.name");

        assertThat(cluster.readAllEvents()).hasSize(eventsBefore);
    }

    @Test
    void malformedUnknownAndOversizedCommandsNeverReachTheLog() throws Exception {
        int eventsBefore = cluster.readAllEvents().size();

        assertRejected(Commands.create(configMap("ns", "x"), "{not json", TEST_ACTOR), 400, "BadRequest", "not valid JSON");
        assertRejected(Commands.create(configMap("ns", "x"), "[1,2]", TEST_ACTOR), 400, "BadRequest", "must be a JSON object");
        assertRejected(Commands.builder(Operation.UNKNOWN, configMap("ns", "x"), TEST_ACTOR).setObject(configMapJson("x", "1")).build(),
                400, "BadRequest", "unknown operation");
        String huge = configMapJson("big", "x".repeat(AdmissionDecider.MAX_OBJECT_BYTES));
        assertRejected(Commands.create(configMap("ns", "big"), huge, TEST_ACTOR), 413, "RequestEntityTooLarge", "larger than the limit");

        assertThat(cluster.readAllEvents()).hasSize(eventsBefore);
    }

    @Test
    void generationCountsSpecChangesAndFinalizersHoldDeletion() throws Exception {
        String withFinalizer = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"f\",\"finalizers\":[\"example.com/keep\"]},\"data\":{\"k\":\"1\"}}";
        CommandResult created = cluster.client().apply(Commands.create(configMap("ns", "f"), withFinalizer, TEST_ACTOR), TIMEOUT);
        CommandResult deleting = cluster.client().apply(Commands.delete(configMap("ns", "f"), null, null, TEST_ACTOR), TIMEOUT);
        assertThat(deleting.getObject()).contains("deletionTimestamp");
        assertThat(deleting.getRevision()).isGreaterThan(created.getRevision());

        String withoutFinalizer = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"f\",\"finalizers\":[]},\"data\":{\"k\":\"1\"}}";
        CommandResult gone = cluster.client().apply(Commands.update(configMap("ns", "f"), withoutFinalizer, deleting.getRevision(), TEST_ACTOR), TIMEOUT);
        assertThat(gone.getEventType()).hasToString("DELETED");
        assertThatThrownBy(() -> cluster.client().apply(Commands.delete(configMap("ns", "f"), null, null, TEST_ACTOR), TIMEOUT))
                .isInstanceOf(CommandRejectedException.class).hasMessageContaining("NotFound");
    }

    @Test
    void deletingEveryStateDirectoryRestoresIdenticalState() throws Exception {
        for (int i = 0; i < 50; i++) {
            cluster.client().apply(Commands.create(configMap("ns", "keep-" + i), configMapJson("keep-" + i, "v"), TEST_ACTOR), TIMEOUT);
        }
        Map<String, CommandResult> before = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            before.put("keep-" + i, touch("keep-" + i));
        }
        cluster.stopProcessor();
        TestFiles.deleteRecursively(cluster.stateDir);
        cluster.startProcessorAgain();

        // The restored store must know every object at exactly its revision: a no-op update answers the stored state.
        for (int i = 0; i < 50; i++) {
            CommandResult after = touch("keep-" + i);
            assertThat(after.getRevision()).isEqualTo(before.get("keep-" + i).getRevision());
            assertThat(after.getObject()).isEqualTo(before.get("keep-" + i).getObject());
        }
        // And the sequence continues densely after the restore.
        CommandResult next = cluster.client().apply(Commands.create(configMap("ns", "after"), configMapJson("after", "v"), TEST_ACTOR), TIMEOUT);
        List<ObjectEvent> log = cluster.readAllEvents();
        assertThat(next.getRevision()).isEqualTo(log.size());
        assertThat(new HashSet<>(log.stream().map(ObjectEvent::getRevision).toList())).hasSize(log.size());
    }

    @Test
    void concurrentCreatesNeverExceedAQuotaAndLimitRangeDefaultsApply() throws Exception {
        cluster.client().apply(Commands.create(io.kronika.schemas.ObjectKeys.ref("", "ResourceQuota", "ns", "q"),
                "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"q\"},"
                        + "\"spec\":{\"hard\":{\"pods\":\"3\",\"requests.cpu\":\"2\"}}}", TEST_ACTOR), TIMEOUT);
        cluster.client().apply(Commands.create(io.kronika.schemas.ObjectKeys.ref("", "LimitRange", "ns", "l"),
                "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"l\"},"
                        + "\"spec\":{\"limits\":[{\"type\":\"Container\",\"defaultRequest\":{\"cpu\":\"500m\"},\"max\":{\"cpu\":\"1\"}}]}}",
                TEST_ACTOR), TIMEOUT);
        // A configmap in another kind's key range and pods of another namespace must not count.
        cluster.client().apply(Commands.create(configMap("ns", "pods-lookalike"), configMapJson("pods-lookalike", "v"), TEST_ACTOR), TIMEOUT);

        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-" + i + "\"},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
            answers.add(cluster.client().submit(Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Pod", "ns", "p-" + i), pod, TEST_ACTOR)));
        }
        List<CommandResult> results = answers.stream().map(CompletableFuture::join).toList();
        List<CommandResult> accepted = results.stream().filter(r -> r.getOutcome() == Outcome.ACCEPTED).toList();
        assertThat(accepted).hasSize(3).allSatisfy(r -> assertThat(r.getObject()).contains("\"requests\":{\"cpu\":\"500m\"}")
                .contains("\"limits\":{\"cpu\":\"1\"}"));
        assertThat(results).filteredOn(r -> r.getOutcome() == Outcome.REJECTED).hasSize(17).allSatisfy(r -> {
            assertThat(r.getCode()).isEqualTo(403);
            assertThat(r.getReason()).isEqualTo("Forbidden");
            assertThat(r.getMessage()).endsWith("is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3");
        });
        assertThat(cluster.readAllEvents()).filteredOn(e -> e.getRef().getKind().equals("Pod")).hasSize(3);

        // After a restart from the changelog the store still scans: the quota still holds.
        cluster.restartProcessor();
        assertRejected(Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Pod", "ns", "late"),
                "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"late\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"b\","
                        + "\"resources\":{\"limits\":{\"cpu\":\"2\"}}}]}}", TEST_ACTOR),
                403, "Forbidden", "pods \"late\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");
    }

    /** An unconditional update with unchanged content: answers the current object and revision without writing. */
    private CommandResult touch(String name) throws Exception {
        return cluster.client().apply(Commands.update(configMap("ns", name), configMapJson(name, "v"), null, TEST_ACTOR), TIMEOUT);
    }

    private void assertRejected(Command command, int code, String reason, String messagePart) {
        CommandResult result = cluster.client().submit(command).join();
        assertThat(result.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.getCode()).isEqualTo(code);
        assertThat(result.getReason()).isEqualTo(reason);
        assertThat(result.getMessage()).contains(messagePart);
    }

    @SuppressWarnings("unused")
    private static <T> Function<T, T> id() {
        return Function.identity();
    }
}
