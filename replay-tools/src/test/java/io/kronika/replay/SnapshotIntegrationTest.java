package io.kronika.replay;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replay from a snapshot equals replay from scratch, on the real broker and admission processor. */
class SnapshotIntegrationTest {
    static final int EVERY = 60;
    static AdmissionFixture fixture;
    static LogReader reader;

    @BeforeAll
    static void log() throws Exception {
        fixture = new AdmissionFixture();
        reader = new LogReader(new Cluster(SharedKafka.bootstrapServers(), AdmissionFixture.REGISTRY, fixture.topics, null));
        fixture.client().apply(Commands.create(AdmissionFixture.namespace("ns"), AdmissionFixture.namespaceJson("ns"), AdmissionFixture.TEST_ACTOR), Duration.ofSeconds(30));
        writeChanges(fixture.client(), 0, 300);
    }

    /** Creates, updates and deletes config maps (all pipelined): about {@code changes} events. Returns the last revision. */
    static long writeChanges(CommandClient client, int round, int changes) throws Exception {
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (int i = 0; i < changes / 3; i++) {
            ObjectRef cm = AdmissionFixture.configMap("ns", "cm-" + round + "-" + i);
            answers.add(client.submit(Commands.create(cm, AdmissionFixture.configMapJson(cm.getName(), "a"), AdmissionFixture.TEST_ACTOR)));
            answers.add(client.submit(Commands.update(cm, AdmissionFixture.configMapJson(cm.getName(), "b"), null, AdmissionFixture.TEST_ACTOR)));
            if (i % 2 == 0) {
                answers.add(client.submit(Commands.delete(cm, null, null, AdmissionFixture.TEST_ACTOR)));
            }
        }
        long revision = 0;
        for (CompletableFuture<CommandResult> a : answers) {
            CommandResult r = a.get(60, TimeUnit.SECONDS);
            assertThat(r.getOutcome()).as(r.getMessage()).isEqualTo(Outcome.ACCEPTED);
            revision = Math.max(revision, r.getRevision());
        }
        return revision;
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void replayFromTheNearestSnapshotEqualsReplayFromScratch(@TempDir Path dir) {
        SnapshotStore store = new SnapshotStore(dir);
        long last = endOfLog(); // another test may have added events
        List<SnapshotStore.Snapshot> written = new Snapshotter(reader, store, EVERY).catchUp(Progress.NONE, quiet());
        assertThat(written).extracting(SnapshotStore.Snapshot::revision)
                .startsWith((long) EVERY, 2L * EVERY).endsWith(last);
        for (long r : new long[]{1, EVERY - 1, EVERY, EVERY + 1, 3 * EVERY + 17, last - 1, last}) {
            StateFold scratch = Replay.toRevision(reader, r, Progress.NONE);
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            StateFold fromSnapshot = Replay.toRevision(reader, store, r, Progress.NONE, new PrintStream(said, true, StandardCharsets.UTF_8));
            long nearest = r < EVERY ? 0 : r == last ? last : r / EVERY * EVERY;
            assertThat(fromSnapshot.base()).as("snapshot used for revision %d", r).isEqualTo(nearest);
            assertThat(fromSnapshot.applied()).isEqualTo(r - nearest);
            assertThat(fromSnapshot.revision()).isEqualTo(r);
            assertThat(fromSnapshot.time()).isEqualTo(scratch.time());
            assertThat(fromSnapshot.objects()).as("state at revision %d", r).isEqualTo(scratch.objects());
            if (nearest > 0) {
                assertThat(said.toString(StandardCharsets.UTF_8)).contains("replaying from the snapshot at revision " + nearest);
            }
        }
        StateFold byTime = Replay.toTime(reader, store, written.get(1).time(), Progress.NONE, quiet());
        assertThat(byTime.objects()).isEqualTo(Replay.toTime(reader, written.get(1).time(), Progress.NONE).objects());
    }

    @Test
    void diffFromASnapshotEqualsDiffFromScratch(@TempDir Path dir) {
        SnapshotStore store = new SnapshotStore(dir);
        new Snapshotter(reader, store, EVERY).catchUp(Progress.NONE, quiet());
        for (long[] fromTo : new long[][]{{EVERY, EVERY}, {EVERY, 2 * EVERY + 3}, {EVERY + 3, 3 * EVERY + 5}, {2, EVERY - 1}}) {
            HistoryDiff.Result fromSnapshot = HistoryDiff.between(reader, store, fromTo[0], fromTo[1], null, Progress.NONE, quiet());
            HistoryDiff.Result scratch = HistoryDiff.between(reader, fromTo[0], fromTo[1], null, Progress.NONE);
            assertThat(fromSnapshot.entries()).as("diff %d..%d", fromTo[0], fromTo[1]).isEqualTo(scratch.entries());
            if (fromTo[1] > fromTo[0]) {
                assertThat(scratch.entries()).isNotEmpty();
            }
        }
    }

    @Test
    void aSnapshotOfAnotherLogIsNotUsed(@TempDir Path dir) {
        SnapshotStore store = new SnapshotStore(dir);
        StateFold atEvery = Replay.toRevision(reader, EVERY, Progress.NONE);
        // Claims a command id the log does not have at that revision: as if the topic had been recreated.
        store.write(atEvery, reader.eventsTopic(), EVERY - 1, "not-this-log");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        StateFold fold = Replay.toRevision(reader, store, EVERY + 5, Progress.NONE, new PrintStream(said, true, StandardCharsets.UTF_8));
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("does not match this log").contains("from the start of the log");
        assertThat(fold.base()).isZero();
        assertThat(fold.objects()).isEqualTo(Replay.toRevision(reader, EVERY + 5, Progress.NONE).objects());
    }

    @Test
    void theBackgroundSnapshotterFollowsTheLog(@TempDir Path dir) throws Exception {
        SnapshotStore store = new SnapshotStore(dir);
        try (Snapshotter s = Snapshotter.start(reader, store, 100)) {
            long last = endOfLog();
            await().atMost(Duration.ofSeconds(60)).until(() -> store.latest(reader.eventsTopic()).map(SnapshotStore.Snapshot::revision).orElse(0L) >= last / 100 * 100);
            long more = writeChanges(fixture.client(), 1, 150);
            await().atMost(Duration.ofSeconds(60)).until(() -> store.latest(reader.eventsTopic()).map(SnapshotStore.Snapshot::revision).orElse(0L) >= more / 100 * 100);
            SnapshotStore.Snapshot latest = store.latest(reader.eventsTopic()).orElseThrow();
            assertThat(latest.load().objects()).isEqualTo(Replay.toRevision(reader, latest.revision(), Progress.NONE).objects());
        }
    }

    static long endOfLog() {
        List<io.kronika.schemas.ObjectEvent> events = fixture.readAllEvents();
        return events.get(events.size() - 1).getRevision();
    }

    static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
