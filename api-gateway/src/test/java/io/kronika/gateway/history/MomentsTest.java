package io.kronika.gateway.history;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.ReadYourWrites;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which revision a history URL names, with a log that starts at revision 100 (older events were deleted), whose
 * view has applied 150 and whose latest acknowledged write is 152. The gateway test covers the rest against the broker.
 */
class MomentsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** A log of events 100..152, one a second from 11:00:00; the view has applied up to {@code applied}. */
    private static final class Log implements ClusterView, EventFeed {
        final TreeMap<Instant, Long> revisionsByTime = new TreeMap<>();
        long applied = 150;
        long awaited;

        Log() {
            for (long r = 100; r <= 152; r++) {
                revisionsByTime.put(Instant.parse("2026-03-01T11:00:00Z").plusSeconds(r - 100), r);
            }
        }

        @Override public long appliedRevision() { return applied; }

        @Override
        public void awaitRevision(long revision, Duration timeout) throws TimeoutException {
            if (revision > 152) {
                throw new TimeoutException();
            }
            awaited = revision;
            applied = Math.max(applied, revision);
        }

        @Override public long oldestRevision() { return 100; }

        @Override
        public long revisionAt(Instant time) {
            var entry = revisionsByTime.floorEntry(time);
            return entry == null ? 0 : entry.getValue();
        }

        @Override public Optional<StoredObject> get(String key) { return Optional.empty(); }
        @Override public Optional<StoredObject> getAt(String key, long revision) { return Optional.empty(); }
        @Override public ListPage list(String prefix, long at, Predicate<StoredObject> filter, int limit, String after) { return null; }
        @Override public List<StoredObject> podsOnNode(String nodeName) { return List.of(); }
        @Override public OptionalLong offsetOfRevision(long revision) { return OptionalLong.empty(); }
        @Override public Subscription subscribe(long after, Predicate<ObjectEvent> f, Consumer<ObjectEvent> s, Consumer<Throwable> e) { return null; }
    }

    private final Log log = new Log();
    private final Moments moments = new Moments(log, log, () -> 152, new ReadYourWrites(() -> 152, log, Duration.ofSeconds(1)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aRevisionInTheLogIsServed() {
        assertThat(moments.revision("120")).isEqualTo(120);
        assertThat(moments.revision("99")).as("the state just before the first event still in the log").isEqualTo(99);
    }

    @Test
    void aRevisionBeforeTheLogIsGone() {
        assertThatThrownBy(() -> moments.revision("98")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(410);
            assertThat(e.getMessage()).contains("revision 98 is older than the log").contains("100");
        });
    }

    @Test
    void aRevisionTheViewHasNotAppliedYetIsWaitedFor() {
        assertThat(moments.revision("152")).isEqualTo(152);
        assertThat(log.awaited).isEqualTo(152);
    }

    @Test
    void aRevisionAfterTheLogIsNotFound() {
        assertThatThrownBy(() -> moments.revision("153")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("revision 153 is not in the log yet: the latest revision is 152");
        });
    }

    @Test
    void somethingElseIsABadRequest() {
        assertThatThrownBy(() -> moments.revision("-1")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> moments.time("yesterday")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).contains("not an RFC 3339 time");
        });
    }

    @Test
    void aTimeIsTheLastRevisionAtOrBeforeIt() {
        assertThat(moments.time("2026-03-01T11:00:10Z")).isEqualTo(110);
        assertThat(moments.time("2026-03-01T11:00:10.999Z")).isEqualTo(110);
        assertThat(moments.time("2026-03-01T12:00:10+01:00")).as("offsets are honoured").isEqualTo(110);
    }

    @Test
    void aTimeBeforeTheLogIsGoneAndOneInTheFutureIsRefused() {
        assertThatThrownBy(() -> moments.time("2026-03-01T10:00:00Z")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(410);
            assertThat(e.getMessage()).contains("before the first event still in the log");
        });
        assertThatThrownBy(() -> moments.time("2026-03-01T12:00:01Z")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).contains("is in the future");
        });
    }
}
