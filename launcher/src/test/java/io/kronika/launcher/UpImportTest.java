package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.replay.Cluster;
import io.kronika.replay.HistoryFile;
import io.kronika.replay.LogReader;
import io.kronika.replay.Progress;
import io.kronika.replay.Replay;
import io.kronika.replay.StateFold;
import io.kronika.replay.Verify;
import io.kronika.schemas.Actor;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** kronika up --import: an all-in-one cluster started on an empty data dir with another cluster's history. */
class UpImportTest {
    static final Duration T = Duration.ofSeconds(30);
    static final Actor ALICE = Commands.actor("alice", "test");

    static Cluster clusterOf(AllInOneCluster c) {
        ClusterStatus s = c.status();
        return new Cluster(s.kafkaBootstrap(), c.schemaRegistry(), new TopicNames(s.topicPrefix()), s.apiUrl());
    }

    @Test
    void aFreshAllInOneClusterImportsAnExportBeforeAnythingElseWrites(@TempDir Path a, @TempDir Path b, @TempDir Path files) throws Exception {
        Path export = files.resolve("history.avro");
        StateFold original;
        ClusterOptions source = TestClusters.storeOnly(a);
        source.insecureHttp = true;
        try (AllInOneCluster cluster = AllInOneCluster.start(source, line -> { })) {
            CommandClient c = cluster.commandClient();
            c.apply(Commands.create(ObjectKeys.ref("", "Namespace", "", "shop"), "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}", ALICE), T);
            for (int i = 0; i < 5; i++) {
                ObjectRef cm = ObjectKeys.ref("", "ConfigMap", "shop", "cm-" + i);
                long r = c.apply(Commands.create(cm, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i + "\"},\"data\":{\"v\":\"1\"}}", ALICE), T).getRevision();
                c.apply(Commands.update(cm, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i + "\"},\"data\":{\"v\":\"2\"}}", r, ALICE), T);
            }
            c.apply(Commands.delete(ObjectKeys.ref("", "ConfigMap", "shop", "cm-0"), null, null, ALICE), T);
            LogReader reader = new LogReader(clusterOf(cluster));
            long exported = HistoryFile.export(reader, export, Progress.NONE);
            original = Replay.toRevision(reader, exported, Progress.NONE);
        }

        ClusterOptions target = TestClusters.storeOnly(b);
        target.insecureHttp = true;
        target.importFile = export;
        try (AllInOneCluster cluster = AllInOneCluster.start(target, line -> { })) {
            Cluster imported = clusterOf(cluster);
            LogReader reader = new LogReader(imported);
            List<ObjectEvent> events = new ArrayList<>();
            HistoryFile.read(export, events::add);
            List<ObjectEvent> prefix = reader.allEvents(Progress.NONE).subList(0, events.size());
            assertThat(prefix).isEqualTo(events);
            assertThat(Replay.toRevision(reader, original.revision(), Progress.NONE).objects()).isEqualTo(original.objects());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(new Verify(reader, imported.apiUrl()).run(Progress.NONE, new PrintStream(OutputStream.nullOutputStream())).differences()).isEmpty());
        }

        // The data dir now holds a history: importing again on the next start is refused, naming why.
        assertThatThrownBy(() -> AllInOneCluster.start(target, line -> { }).close())
                .hasMessageContaining("not empty").hasMessageContaining("fresh cluster");
    }
}
