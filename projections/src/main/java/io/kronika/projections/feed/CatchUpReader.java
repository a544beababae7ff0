package io.kronika.projections.feed;

import io.kronika.projections.FeedEndedException.Reason;
import io.kronika.projections.log.EventConsumers;
import io.kronika.schemas.ObjectEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Reads the log for one subscriber that starts in the past, from the event after its revision, until it has
 * everything the live tail has dispatched; then hands it over to the tail (see {@link KafkaEventFeed#tryGoLive}).
 */
final class CatchUpReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpReader.class);

    private final FeedSubscription subscription;
    private final EventConsumers consumers;
    private final OffsetIndex offsets;
    private final Predicate<FeedSubscription> tryGoLive;

    CatchUpReader(FeedSubscription subscription, EventConsumers consumers, OffsetIndex offsets, Predicate<FeedSubscription> tryGoLive) {
        this.subscription = subscription;
        this.consumers = consumers;
        this.offsets = offsets;
        this.tryGoLive = tryGoLive;
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, ObjectEvent> consumer = consumers.create("catch-up")) {
            subscription.onCatchUpStop(consumer::wakeup);
            position(consumer, consumers.partition(), subscription.afterRevision());
            while (subscription.isActive() && !tryGoLive.test(subscription)) {
                for (ConsumerRecord<String, ObjectEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null && !subscription.offerCatchingUp(record.value())) {
                        return;
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // the subscription was closed or ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Catching up a watcher from revision {} failed", subscription.afterRevision(), e);
            subscription.end(Reason.FEED_FAILED, "Reading the log failed: " + e, e);
        } finally {
            subscription.onCatchUpStop(null);
        }
    }

    /** At the event after {@code afterRevision} if the index knows where it is, else as close before it as known. */
    private void position(KafkaConsumer<String, ObjectEvent> consumer, TopicPartition partition, long afterRevision) {
        OptionalLong next = lookUp(afterRevision + 1);
        if (next.isPresent()) {
            consumer.seek(partition, next.getAsLong());
            return;
        }
        OptionalLong after = afterRevision > 0 ? lookUp(afterRevision) : OptionalLong.empty();
        if (after.isPresent()) {
            consumer.seek(partition, after.getAsLong() + 1);
        } else {
            consumer.seekToBeginning(List.of(partition));
        }
    }

    private OptionalLong lookUp(long revision) {
        try {
            return offsets.offsetOfRevision(revision);
        } catch (RuntimeException e) {
            return OptionalLong.empty(); // the view is not answering (starting, rebuilding): read from the start
        }
    }
}
