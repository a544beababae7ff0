package io.kronika.kubelet.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerLogTest {
    @TempDir
    Path dir;

    @Test
    void rotatesKeepingAtMostMaxFilesAndReadsOldestFirst() throws Exception {
        ContainerLog log = new ContainerLog(dir.resolve("c").resolve("0.log"), 200, 3);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
            log.append(new LogEntry(t.plusSeconds(i), i % 2 == 1, "line " + i));
        }
        assertThat(Files.size(dir.resolve("c").resolve("0.log"))).isLessThanOrEqualTo(200);
        assertThat(dir.resolve("c").resolve("0.log.2")).exists();
        assertThat(dir.resolve("c").resolve("0.log.3")).doesNotExist();
        List<LogEntry> entries = log.entries();
        assertThat(entries).isNotEmpty().hasSizeLessThan(40);
        assertThat(entries.get(entries.size() - 1).line()).isEqualTo("line 39");
        assertThat(entries.get(entries.size() - 1).stderr()).isTrue();
        assertThat(log.read(new LogQuery(2, null, false, -1))).extracting(LogEntry::line).containsExactly("line 38", "line 39");
        assertThat(log.read(new LogQuery(-1, t.plusSeconds(38), false, -1))).hasSize(2);
        assertThat(entries.get(0).render(true)).startsWith("2026-01-01T00:00:");
    }

    @Test
    void followersGetWhatIsThereThenEveryNewLineThenTheEnd() throws Exception {
        ContainerLog log = new ContainerLog(50);
        log.append(new LogEntry(Instant.now(), false, "before"));
        List<String> seen = new ArrayList<>();
        boolean[] ended = {false};
        log.follow(LogQuery.ALL, new ContainerLog.Follower() {
            @Override
            public void entry(LogEntry entry) {
                seen.add(entry.line());
            }

            @Override
            public void ended() {
                ended[0] = true;
            }
        });
        log.append(new LogEntry(Instant.now(), false, "after"));
        log.end();
        assertThat(seen).containsExactly("before", "after");
        assertThat(ended[0]).isTrue();
    }
}
