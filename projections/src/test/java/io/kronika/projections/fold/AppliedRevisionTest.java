package io.kronika.projections.fold;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppliedRevisionTest {
    private final AppliedRevision applied = new AppliedRevision();

    @Test
    void waitersAreReleasedExactlyWhenTheirRevisionIsApplied() throws Exception {
        CompletableFuture<Void> five = CompletableFuture.runAsync(() -> await(5));
        CompletableFuture<Void> seven = CompletableFuture.runAsync(() -> await(7));

        applied.advance(5);
        five.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(seven).isNotDone();

        applied.advance(3); // never goes back
        assertThat(applied.get()).isEqualTo(5);
        applied.advance(8);
        seven.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void waitsAreBounded() {
        assertThatThrownBy(() -> applied.await(1, Duration.ofMillis(50)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("applied revision 0, not 1");
    }

    @Test
    void aStoppedFoldFailsWaitersAtOnce() {
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> await(5));
        applied.fail(new RuntimeException("boom"));
        assertThatThrownBy(waiting::join).hasRootCauseMessage("boom");
        assertThatThrownBy(() -> applied.await(6, Duration.ofSeconds(10))).isInstanceOf(IllegalStateException.class);
    }

    private void await(long revision) {
        try {
            applied.await(revision, Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
