package io.kronika.kubelet.pod;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void firstRetryIsImmediateThenWaitsDoubleUpToTheMaximumAndResetAfterQuiet() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(backoff.inBackoff(t, t)).isFalse();
        backoff.next(t);
        assertThat(backoff.current()).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.inBackoff(t, t.plusSeconds(9))).isTrue();
        assertThat(backoff.inBackoff(t, t.plusSeconds(10))).isFalse();
        Duration[] expected = {Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160),
                Duration.ofMinutes(5), Duration.ofMinutes(5)};
        for (Duration d : expected) {
            t = t.plusSeconds(1);
            backoff.next(t);
            assertThat(backoff.current()).isEqualTo(d);
        }
        assertThat(backoff.inBackoff(t, t.plus(Duration.ofMinutes(11)))).isFalse();
        backoff.next(t.plus(Duration.ofMinutes(11)));
        assertThat(backoff.current()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void goDurations() {
        assertThat(Backoff.goDuration(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Backoff.goDuration(Duration.ofSeconds(160))).isEqualTo("2m40s");
        assertThat(Backoff.goDuration(Duration.ofMinutes(5))).isEqualTo("5m0s");
    }
}
