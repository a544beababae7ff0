package io.kronika.gateway.testing;

import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A test stand-in for the projections: folds the events topic into memory (every version of every key, so reads
 * at past revisions work) and serves the feed from an in-memory copy of the log. Not for production: no state
 * store, no restore; it only has to behave as the ClusterView and EventFeed contracts say.
 */
public final class InMemoryProjections implements ClusterView, EventFeed, AutoCloseable {
    private static final StoredObject TOMBSTONE = new StoredObject("", null, 0, "", "");

    private final KafkaConsumer<String, ObjectEvent> consumer;
    private final Thread thread;
    private final TreeMap<String, NavigableMap<Long, StoredObject>> history = new TreeMap<>();
    private final List<ObjectEvent> log = new ArrayList<>();
    private final Map<Long, Long> offsets = new java.util.HashMap<>();
    private volatile long applied;
    private volatile boolean closed;

    public InMemoryProjections(String bootstrapServers, String eventsTopic, SchemaRegistry registry) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), KronikaSerdes.avro(ObjectEvent.class, registry).deserializer());
        TopicPartition partition = new TopicPartition(eventsTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        thread = new Thread(this::run, "in-memory-projections");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, ObjectEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null) {
                        fold(record.value(), record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void fold(ObjectEvent event, long offset) {
        String key = ObjectKeys.of(event.getRef());
        synchronized (this) {
            StoredObject version = event.getType() == EventType.DELETED ? TOMBSTONE
                    : new StoredObject(key, event.getRef(), event.getRevision(), event.getUid(), event.getObject());
            history.computeIfAbsent(key, k -> new TreeMap<>()).put(event.getRevision(), version);
            log.add(event);
            offsets.put(event.getRevision(), offset);
            applied = event.getRevision();
            notifyAll();
        }
    }

    @Override
    public long appliedRevision() {
        return applied;
    }

    @Override
    public synchronized void awaitRevision(long revision, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (applied < revision) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("revision " + revision + " not applied (at " + applied + ")");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public synchronized Optional<StoredObject> get(String key) {
        return getAt(key, Long.MAX_VALUE);
    }

    @Override
    public synchronized Optional<StoredObject> getAt(String key, long revision) {
        NavigableMap<Long, StoredObject> versions = history.get(key);
        if (versions == null) {
            return Optional.empty();
        }
        Map.Entry<Long, StoredObject> entry = versions.floorEntry(revision);
        return entry == null || entry.getValue() == TOMBSTONE ? Optional.empty() : Optional.of(entry.getValue());
    }

    @Override
    public synchronized ListPage list(String keyPrefix, long atRevision, Predicate<StoredObject> filter, int limit, String continueAfterKey) {
        if (atRevision > applied) {
            throw new IllegalArgumentException("revision " + atRevision + " is after the applied revision " + applied);
        }
        NavigableMap<String, NavigableMap<Long, StoredObject>> range = continueAfterKey == null
                ? history.tailMap(keyPrefix, true) : history.tailMap(continueAfterKey, false);
        List<StoredObject> items = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, NavigableMap<Long, StoredObject>> entry : range.entrySet()) {
            if (!entry.getKey().startsWith(keyPrefix)) {
                break;
            }
            Map.Entry<Long, StoredObject> version = entry.getValue().floorEntry(atRevision);
            if (version == null || version.getValue() == TOMBSTONE || !filter.test(version.getValue())) {
                continue;
            }
            if (limit > 0 && items.size() == limit) {
                return new ListPage(atRevision, items, last);
            }
            items.add(version.getValue());
            last = entry.getKey();
        }
        return new ListPage(atRevision, items, null);
    }

    @Override
    public synchronized List<StoredObject> podsOnNode(String nodeName) {
        return list(ObjectKeys.kindPrefix("", "Pod"), applied,
                o -> o.json().contains("\"nodeName\":\"" + nodeName + "\""), 0, null).items();
    }

    @Override
    public synchronized OptionalLong offsetOfRevision(long revision) {
        Long offset = offsets.get(revision);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public Subscription subscribe(long afterRevision, Predicate<ObjectEvent> filter, Consumer<ObjectEvent> sink, Consumer<Throwable> onError) {
        boolean[] stopped = {false};
        Thread delivery = new Thread(() -> {
            int next = 0;
            synchronized (this) {
                while (next < log.size() && log.get(next).getRevision() <= afterRevision) {
                    next++;
                }
            }
            try {
                while (true) {
                    ObjectEvent event;
                    synchronized (this) {
                        while (!stopped[0] && !closed && next >= log.size()) {
                            wait(200);
                        }
                        if (stopped[0] || closed) {
                            return;
                        }
                        event = log.get(next++);
                    }
                    if (filter.test(event)) {
                        sink.accept(event);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        }, "in-memory-feed");
        delivery.setDaemon(true);
        delivery.start();
        return () -> {
            synchronized (this) {
                stopped[0] = true;
                notifyAll();
            }
        };
    }

    @Override
    public long oldestRevision() {
        return 1;
    }

    @Override
    public synchronized long revisionAt(java.time.Instant time) {
        long revision = 0;
        for (ObjectEvent event : log) {
            if (event.getTimestamp().isAfter(time)) {
                break;
            }
            revision = event.getRevision();
        }
        return revision;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
