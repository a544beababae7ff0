package io.kronika.projections.view;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ViewStateDirectoryTest {
    @TempDir
    Path stateDir;

    @Test
    void onlyACleanCloseOfTheCurrentStateLayoutIsTrusted() throws Exception {
        ViewStateDirectory directory = new ViewStateDirectory(stateDir, "app");
        Files.createDirectories(stateDir.resolve("app"));
        assertThat(directory.closedCleanly()).as("never closed").isFalse();

        directory.markClosedCleanly();
        assertThat(directory.closedCleanly()).isTrue();

        directory.markOpen();
        assertThat(directory.closedCleanly()).as("running (or crashed)").isFalse();

        // The marker of a build before the lifetimes store and the RocksDB history store: its state is rebuilt.
        Files.writeString(stateDir.resolve("app.clean"), "closed cleanly\n");
        assertThat(directory.closedCleanly()).as("older layout").isFalse();
    }
}
