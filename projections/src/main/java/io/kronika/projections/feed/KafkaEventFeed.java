package io.kronika.projections.feed;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.EventFeed;
import io.kronika.projections.FeedEndedException;
import io.kronika.projections.FeedEndedException.Reason;
import io.kronika.projections.log.EventConsumers;
import io.kronika.projections.log.LogBounds;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.registry.SchemaRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event feed of one process. One consumer tails the events topic and fans every event out to the live
 * subscribers without ever blocking on them. A subscriber that starts before the tail's position reads the log on
 * its own consumer first and joins the tail when it has caught up: under {@link #handOver}, once it has queued at
 * least the tail's last dispatched revision. Subscribers skip revisions they already have, so the switch has
 * neither gap nor duplicate.
 */
public final class KafkaEventFeed implements EventFeed, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventFeed.class);

    /**
     * @param subscriberQueueCapacity events a subscriber may fall behind the tail before it is dropped (TOO_SLOW)
     * @param clientIdPrefix          prefix of the Kafka client ids of this feed's consumers
     */
    public record Settings(int subscriberQueueCapacity, String clientIdPrefix) {
        public static Settings defaults(String clientIdPrefix) {
            return new Settings(10_000, clientIdPrefix);
        }
    }

    private final Settings settings;
    private final EventConsumers consumers;
    private final LogBounds bounds;
    private final OffsetIndex offsets;
    private final ExecutorService delivery;
    private final Set<FeedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<FeedSubscription> live = ConcurrentHashMap.newKeySet();
    private final Object handOver = new Object();
    private long lastDispatched = -1; // guarded by handOver; -1 until the tail knows where it starts
    private final Thread tail;
    private volatile KafkaConsumer<String, ObjectEvent> tailConsumer;
    private volatile FeedEndedException ended;
    private final CompletableFuture<Void> tailing = new CompletableFuture<>();

    private KafkaEventFeed(EventConsumers consumers, OffsetIndex offsets, Settings settings) {
        this.settings = settings;
        this.consumers = consumers;
        this.bounds = new LogBounds(consumers);
        this.offsets = offsets;
        this.delivery = Executors.newCachedThreadPool(daemonThreads(settings.clientIdPrefix() + "-feed-delivery-"));
        this.tail = new Thread(this::runTail, settings.clientIdPrefix() + "-feed-tail");
        this.tail.setDaemon(true);
    }

    /**
     * Starts tailing the log. {@code offsets} (typically the view's {@code offsetOfRevision}) lets subscribers that
     * start in the past seek straight to their revision; without it they read from the start of the log.
     */
    public static KafkaEventFeed start(String bootstrapServers, TopicNames topics, SchemaRegistry registry, OffsetIndex offsets, Settings settings) {
        EventConsumers consumers = new EventConsumers(bootstrapServers, topics.events(), registry, settings.clientIdPrefix());
        KafkaEventFeed feed = new KafkaEventFeed(consumers, offsets, settings);
        feed.tail.start();
        return feed;
    }

    /**
     * Blocks until the tail has found its place in the log. Subscribing earlier is fine (the subscriber catches up
     * on its own consumer meanwhile); this is for a start-up that wants the shared tail ready first.
     */
    public KafkaEventFeed awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            tailing.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return this;
        } catch (ExecutionException e) {
            throw new IllegalStateException("The event feed stopped while starting", e.getCause());
        }
    }

    @Override
    public Subscription subscribe(long afterRevision, Predicate<ObjectEvent> filter, Consumer<ObjectEvent> sink, Consumer<Throwable> onError) {
        if (afterRevision < 0) {
            throw new IllegalArgumentException("A watch starts after a revision of 0 or more, not " + afterRevision);
        }
        FeedSubscription subscription = new FeedSubscription(afterRevision, filter, sink, onError,
                settings.subscriberQueueCapacity(), delivery, this::forget);
        subscriptions.add(subscription);
        FeedEndedException end = ended;
        if (end != null) {
            subscription.end(end.reason(), end.getMessage(), end.getCause());
            return subscription;
        }
        if (!tryGoLive(subscription)) {
            Thread reader = new Thread(new CatchUpReader(subscription, consumers, offsets, this::tryGoLive),
                    settings.clientIdPrefix() + "-feed-catch-up-" + afterRevision);
            reader.setDaemon(true);
            reader.start();
        }
        return subscription;
    }

    /** Joins the live fan-out if the subscriber has everything the tail has dispatched. */
    boolean tryGoLive(FeedSubscription subscription) {
        synchronized (handOver) {
            if (lastDispatched < 0 || subscription.lastQueued() < lastDispatched) {
                return false;
            }
            live.add(subscription);
        }
        if (!subscription.isActive()) {
            live.remove(subscription);
        }
        return true;
    }

    @Override
    public long oldestRevision() {
        long first = bounds.firstRevision();
        return first == 0 ? 1 : first;
    }

    @Override
    public long revisionAt(Instant time) {
        return bounds.revisionAt(time);
    }

    private void runTail() {
        try (KafkaConsumer<String, ObjectEvent> consumer = consumers.create("tail")) {
            tailConsumer = consumer;
            long end = bounds.endOffset();
            long lastBeforeEnd = bounds.lastRevisionBefore(end);
            consumer.seek(consumers.partition(), end);
            synchronized (handOver) {
                lastDispatched = lastBeforeEnd;
            }
            tailing.complete(null);
            while (ended == null) {
                dispatch(consumer.poll(Duration.ofMillis(500)));
            }
        } catch (WakeupException e) {
            if (ended == null) {
                endAll(new FeedEndedException(Reason.FEED_FAILED, "The feed's consumer was woken up unexpectedly", e));
            }
        } catch (RuntimeException e) {
            LOG.error("The event feed cannot read the log any more; every watcher is ended", e);
            endAll(new FeedEndedException(Reason.FEED_FAILED, "The feed cannot read the log: " + e, e));
        }
    }

    private void dispatch(ConsumerRecords<String, ObjectEvent> records) {
        if (records.isEmpty()) {
            return;
        }
        synchronized (handOver) {
            for (ConsumerRecord<String, ObjectEvent> record : records) {
                ObjectEvent event = record.value();
                if (event == null) {
                    continue;
                }
                for (Iterator<FeedSubscription> it = live.iterator(); it.hasNext(); ) {
                    if (!it.next().offerLive(event)) {
                        it.remove();
                    }
                }
                lastDispatched = event.getRevision();
            }
        }
    }

    private void forget(FeedSubscription subscription) {
        live.remove(subscription);
        subscriptions.remove(subscription);
    }

    private void endAll(FeedEndedException end) {
        ended = end;
        tailing.completeExceptionally(end);
        for (FeedSubscription subscription : List.copyOf(subscriptions)) {
            subscription.end(end.reason(), end.getMessage(), end.getCause());
        }
    }

    /** Stops the tail; every open subscription is ended with {@link Reason#FEED_CLOSED}. */
    @Override
    public void close() {
        if (ended == null) {
            endAll(new FeedEndedException(Reason.FEED_CLOSED, "The event feed is shutting down"));
        }
        KafkaConsumer<String, ObjectEvent> consumer = tailConsumer;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            tail.join(10_000);
            delivery.shutdown();
            delivery.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bounds.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
