package io.kronika.projections.feed;

import io.kronika.projections.FeedEndedException;
import io.kronika.projections.testing.EventCollector;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static io.kronika.projections.testing.TestEvents.configMap;
import static io.kronika.projections.testing.TestEvents.configMapJson;
import static io.kronika.projections.testing.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** One subscriber's queue, revision cursor and delivery, on a hand-cranked executor. */
class FeedSubscriptionTest {
    private final List<Runnable> tasks = new ArrayList<>();
    private final Executor manual = tasks::add;
    private final EventCollector collector = new EventCollector();
    private final List<FeedSubscription> forgotten = new ArrayList<>();

    private FeedSubscription subscribe(long after, int capacity) {
        return new FeedSubscription(after, e -> !e.getRef().getName().equals("hidden"), collector, collector::onError, capacity, manual, forgotten::add);
    }

    private void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
        }
    }

    private static ObjectEvent cm(long revision, String name) {
        return event(revision, EventType.ADDED, configMap("ns", name), "uid", configMapJson("ns", name, revision, "v"), null);
    }

    @Test
    void deliversEachRevisionAfterTheStartOnceInOrderAndAppliesTheFilter() {
        FeedSubscription s = subscribe(2, 100);
        for (long r = 1; r <= 5; r++) {
            s.offerLive(cm(r, "a"));
        }
        s.offerLive(cm(4, "a")); // overlap at hand-over
        s.offerLive(cm(6, "hidden"));
        s.offerLive(cm(7, "b"));
        runTasks();

        assertThat(collector.revisions()).containsExactly(3L, 4L, 5L, 7L);
        assertThat(s.lastQueued()).isEqualTo(7);
        assertThat(collector.error()).isNull();
    }

    @Test
    void aMissingFirstRevisionIsGone() {
        FeedSubscription s = subscribe(2, 100);
        assertThat(s.offerLive(cm(5, "a"))).isFalse();
        runTasks();
        assertThat(collector.error()).isInstanceOf(FeedEndedException.class)
                .extracting(e -> ((FeedEndedException) e).reason()).isEqualTo(FeedEndedException.Reason.GONE);
        assertThat(forgotten).containsExactly(s);
    }

    @Test
    void aFullQueueEndsTheSubscriptionAndNothingIsDeliveredAfterTheError() {
        FeedSubscription s = subscribe(0, 3);
        assertThat(s.offerLive(cm(1, "a"))).isTrue();
        assertThat(s.offerLive(cm(2, "a"))).isTrue();
        assertThat(s.offerLive(cm(3, "a"))).isTrue();
        assertThat(s.offerLive(cm(4, "a"))).isFalse();
        assertThat(s.offerLive(cm(5, "a"))).isFalse();
        runTasks();

        assertThat(collector.revisions()).isEmpty();
        assertThat(((FeedEndedException) collector.error()).reason()).isEqualTo(FeedEndedException.Reason.TOO_SLOW);
    }

    @Test
    void aSinkThatThrowsEndsItsSubscription() {
        List<Throwable> errors = new ArrayList<>();
        FeedSubscription s = new FeedSubscription(0, e -> true, e -> {
            throw new IllegalStateException("client went away");
        }, errors::add, 10, manual, forgotten::add);
        s.offerLive(cm(1, "a"));
        runTasks();
        assertThat(errors).singleElement().satisfies(e ->
                assertThat(((FeedEndedException) e).reason()).isEqualTo(FeedEndedException.Reason.SUBSCRIBER_FAILED));
        assertThat(s.offerLive(cm(2, "a"))).isFalse();
    }

    @Test
    void closingStopsDeliveryWithoutAnError() {
        FeedSubscription s = subscribe(0, 10);
        s.offerLive(cm(1, "a"));
        s.close();
        runTasks();
        assertThat(collector.revisions()).isEmpty();
        assertThat(collector.error()).isNull();
        assertThat(s.offerLive(cm(2, "a"))).isFalse();
    }
}
