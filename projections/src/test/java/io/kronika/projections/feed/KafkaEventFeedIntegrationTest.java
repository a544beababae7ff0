package io.kronika.projections.feed;

import io.kronika.eventstore.client.Commands;
import io.kronika.projections.EventFeed;
import io.kronika.projections.FeedEndedException;
import io.kronika.projections.testing.EventCollector;
import io.kronika.projections.testing.ProjectionsFixture;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import static io.kronika.eventstore.testing.AdmissionFixture.TEST_ACTOR;
import static io.kronika.eventstore.testing.AdmissionFixture.configMap;
import static io.kronika.eventstore.testing.AdmissionFixture.configMapJson;
import static io.kronika.projections.testing.ProjectionsFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** The feed against a real broker and admission processor, with writes going on while watchers join. */
class KafkaEventFeedIntegrationTest {
    private ProjectionsFixture fixture;
    private KafkaStreamsClusterView view;

    @BeforeEach
    void start() throws Exception {
        fixture = new ProjectionsFixture();
        fixture.createNamespace("ns");
        writeConcurrently("pre-", 100);
        view = fixture.startView("gw-feed");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aLateSubscriberGetsEveryLaterEventInOrderOnceWhileWritesGoOn() throws Exception {
        KafkaEventFeed feed = fixture.startFeed(view::offsetOfRevision, 10_000);
        CompletableFuture<Long> halfway = new CompletableFuture<>();
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> writeOneByOne("late-", 200, halfway));

        halfway.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        EventCollector fromTheIndex = subscribe(feed, 50);
        EventCollector fromTheStart = subscribe(fixture.startFeed(OffsetIndex.NONE, 10_000), 0);
        long last = writer.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        fromTheIndex.awaitRevision(last, TIMEOUT);
        fromTheStart.awaitRevision(last, TIMEOUT);
        List<ObjectEvent> log = fixture.cluster.readAllEvents();
        assertThat(fromTheIndex.events()).containsExactlyElementsOf(log.subList(50, (int) last));
        assertThat(fromTheStart.events()).containsExactlyElementsOf(log.subList(0, (int) last));
    }

    @Test
    void aHundredSubscribersFromDifferentRevisionsEachGetExactlyTheirEvents() throws Exception {
        KafkaEventFeed feed = fixture.startFeed(view::offsetOfRevision, 10_000);
        CompletableFuture<Long> halfway = new CompletableFuture<>();
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> writeOneByOne("many-", 150, halfway));

        List<EventCollector> collectors = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                halfway.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
            // Half start in the past (catching up on their own consumers), half at the moving head of the log.
            long after = i < 50 ? i * 2L : fixture.cluster.client().latestRevision() - (i % 3);
            starts.add(after);
            collectors.add(subscribe(feed, after));
        }
        long last = writer.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        for (int i = 0; i < collectors.size(); i++) {
            collectors.get(i).awaitRevision(last, TIMEOUT);
            assertThat(collectors.get(i).revisions()).as("subscriber %d after revision %d", i, starts.get(i))
                    .containsExactlyElementsOf(LongStream.rangeClosed(starts.get(i) + 1, last).boxed().toList());
        }
    }

    @Test
    void aSlowSubscriberIsEndedWithoutHoldingBackTheOthers() throws Exception {
        KafkaEventFeed feed = fixture.startFeed(view::offsetOfRevision, 20);
        long now = fixture.cluster.client().latestRevision();
        CountDownLatch release = new CountDownLatch(1);
        EventCollector slow = new EventCollector();
        feed.subscribe(now, e -> true, e -> {
            awaitQuietly(release);
            slow.accept(e);
        }, slow::onError);
        EventCollector fast = subscribe(feed, now);

        long last = now;
        for (int batch = 0; batch < 6; batch++) { // bursts smaller than the queue, so only a stuck subscriber overflows
            last = writeConcurrently("burst-" + batch + "-", 10);
            fast.awaitRevision(last, TIMEOUT);
        }
        assertThat(fast.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(now + 1, last).boxed().toList());

        release.countDown();
        Throwable error = slow.awaitError(TIMEOUT);
        assertThat(((FeedEndedException) error).reason()).isEqualTo(FeedEndedException.Reason.TOO_SLOW);
        assertThat(slow.revisions().size()).isLessThanOrEqualTo(1);
    }

    @Test
    void filtersSelectAndClosedSubscriptionsGetNothingMore() throws Exception {
        KafkaEventFeed feed = fixture.startFeed(view::offsetOfRevision, 10_000);
        assertThat(feed.oldestRevision()).isEqualTo(1);
        EventCollector selected = new EventCollector();
        feed.subscribe(0, e -> e.getRef().getName().startsWith("pre-1"), selected, selected::onError);
        EventCollector closed = new EventCollector();
        EventFeed.Subscription subscription = feed.subscribe(fixture.cluster.client().latestRevision(), e -> true, closed, closed::onError);
        subscription.close();

        long last = fixture.createConfigMap("ns", "pre-1000", "v").getRevision();
        selected.awaitRevision(last, TIMEOUT);

        assertThat(selected.events()).extracting(e -> e.getRef().getName())
                .containsExactly("pre-1", "pre-10", "pre-11", "pre-12", "pre-13", "pre-14", "pre-15", "pre-16", "pre-17",
                        "pre-18", "pre-19", "pre-1000");
        assertThat(closed.events()).isEmpty();
        assertThat(closed.error()).isNull();
    }

    private static EventCollector subscribe(KafkaEventFeed feed, long after) {
        EventCollector collector = new EventCollector();
        feed.subscribe(after, e -> true, collector, collector::onError);
        return collector;
    }

    /** Creates config maps all at once (pipelined); returns the highest revision. */
    private long writeConcurrently(String prefix, int count) {
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(fixture.cluster.client().submit(Commands.create(configMap("ns", prefix + i), configMapJson(prefix + i, "v"), TEST_ACTOR)));
        }
        return answers.stream().map(CompletableFuture::join).mapToLong(CommandResult::getRevision).max().orElseThrow();
    }

    /** Creates and updates config maps one after the other; completes {@code halfway} in the middle. */
    private long writeOneByOne(String prefix, int count, CompletableFuture<Long> halfway) {
        try {
            long last = 0;
            for (int i = 0; i < count; i++) {
                last = i % 4 == 3
                        ? fixture.updateConfigMap("ns", prefix + (i - 1), "changed").getRevision()
                        : fixture.createConfigMap("ns", prefix + i, "v").getRevision();
                if (i == count / 2) {
                    halfway.complete(last);
                }
            }
            return last;
        } catch (Exception e) {
            halfway.completeExceptionally(e);
            throw new RuntimeException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
