package io.kronika.launcher;

import io.kronika.eventstore.log.EventLogReader;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The durability invariant: a write acknowledged to a client survives SIGKILL of the whole cluster process. */
class AcknowledgedWritesSurviveSigkillTest {
    private static final int ACKS_BEFORE_KILL = 300;
    private Path dataDir;
    private Process child;

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.destroyForcibly();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void everyAcknowledgedWriteIsThereOnceWithItsRevisionAfterRestart() throws Exception {
        dataDir = Files.createTempDirectory("kronika-crash");
        child = TestClusters.javaProcess(CrashingWriter.class, dataDir.toString());
        Map<String, Long> acknowledged = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acknowledged.put(parts[1], Long.parseLong(parts[2]));
                }
            }
            // SIGKILL while writes are still in flight: no shutdown hook, no flush, no clean close.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("acknowledged writes before the kill").hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (AllInOneCluster restarted = AllInOneCluster.start(TestClusters.storeOnly(dataDir), line -> { })) {
            List<ObjectEvent> log = EventLogReader.readAll(restarted.status().kafkaBootstrap(),
                    "kronika.events", restarted.schemaRegistry());
            Map<String, List<ObjectEvent>> writesByName = log.stream()
                    .filter(e -> e.getRef().getName().startsWith("w-"))
                    .collect(Collectors.groupingBy(e -> e.getRef().getName()));

            assertThat(log).extracting(ObjectEvent::getRevision)
                    .as("revisions stay dense and ordered across the crash")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
            assertThat(writesByName.values()).as("no write applied twice").allSatisfy(events -> assertThat(events).hasSize(1));
            acknowledged.forEach((name, revision) -> {
                assertThat(writesByName).as("acknowledged write %s", name).containsKey(name);
                ObjectEvent event = writesByName.get(name).get(0);
                assertThat(event.getType()).isEqualTo(EventType.ADDED);
                assertThat(event.getRevision()).as("revision of %s", name).isEqualTo(revision);
            });

            // The restarted sequencer continues after the last revision.
            var next = restarted.commandClient().apply(io.kronika.eventstore.client.Commands.create(
                    io.kronika.schemas.ObjectKeys.ref("", "ConfigMap", "default", "after-crash"),
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"after-crash\"}}",
                    io.kronika.eventstore.client.Commands.actor("test", "test")), Duration.ofSeconds(60));
            assertThat(next.getRevision()).isEqualTo(log.size() + 1L);
        }
    }
}
