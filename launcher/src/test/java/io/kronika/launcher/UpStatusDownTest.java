package io.kronika.launcher;

import io.kronika.eventstore.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kronika up -d}, {@code status} and {@code down}, with two clusters side by side on one machine. */
class UpStatusDownTest {
    private final List<Path> dataDirs = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Path dir : dataDirs) {
            KronikaCommand.execute("down", "--data-dir", dir.toString());
            TestFiles.deleteRecursively(dir);
        }
    }

    @Test
    void twoClustersRunSideBySideAndStopCleanly() throws Exception {
        Path first = newDataDir();
        Path second = newDataDir();

        assertThat(up(first)).isZero();
        assertThat(up(second)).isZero();

        ClusterStatus a = ClusterStatus.readFrom(first).orElseThrow();
        ClusterStatus b = ClusterStatus.readFrom(second).orElseThrow();
        assertThat(a.state()).isEqualTo(ClusterStatus.READY);
        assertThat(b.state()).isEqualTo(ClusterStatus.READY);
        assertThat(a.pid()).isNotEqualTo(b.pid());
        assertThat(a.kafkaBootstrap()).isNotEqualTo(b.kafkaBootstrap());
        assertThat(KronikaCommand.execute("status", "--data-dir", first.toString())).isZero();

        assertThat(KronikaCommand.execute("down", "--data-dir", first.toString())).isZero();
        assertThat(KronikaCommand.execute("status", "--data-dir", first.toString())).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(ClusterStatus.readFrom(first).orElseThrow().state()).as("stopped through its shutdown hook").isEqualTo(ClusterStatus.STOPPED);
        assertThat(KronikaCommand.execute("status", "--data-dir", second.toString())).isZero();

        // A restart reuses the data directory and its Kafka port.
        assertThat(up(first)).isZero();
        assertThat(ClusterStatus.readFrom(first).orElseThrow().kafkaBootstrap()).isEqualTo(a.kafkaBootstrap());
    }

    private int up(Path dataDir) {
        List<String> args = new ArrayList<>(List.of("up", "-d"));
        args.addAll(TestClusters.arguments(dataDir));
        return KronikaCommand.execute(args.toArray(String[]::new));
    }

    private Path newDataDir() throws Exception {
        Path dir = Files.createTempDirectory("kronika-up");
        dataDirs.add(dir);
        return dir;
    }
}
