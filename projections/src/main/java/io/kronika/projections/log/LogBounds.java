package io.kronika.projections.log;

import io.kronika.schemas.ObjectEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The first and last revisions in the events topic. Offsets are not revisions (transaction markers and aborted
 * records leave gaps), so both are found by reading records, the last one by reading backwards in growing steps.
 * Thread-safe; holds one consumer.
 */
public final class LogBounds implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, ObjectEvent> consumer;
    private final TopicPartition partition;
    private long cachedBeginning = -1;
    private long cachedFirstRevision;

    public LogBounds(EventConsumers consumers) {
        this.consumer = consumers.create("bounds");
        this.partition = consumers.partition();
    }

    /** Offset after the last committed record (the last stable offset): everything before it is readable. */
    public synchronized long endOffset() {
        return consumer.endOffsets(List.of(partition)).get(partition);
    }

    /** The revision of the first event still in the log, or 0 if the log has none. */
    public synchronized long firstRevision() {
        long beginning = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (beginning != cachedBeginning || cachedFirstRevision == 0) {
            cachedFirstRevision = firstRevisionIn(beginning, endOffset());
            cachedBeginning = beginning;
        }
        return cachedFirstRevision;
    }

    /** The revision of the last event before {@code endOffset}, or 0 if there is none. */
    public synchronized long lastRevisionBefore(long endOffset) {
        return lastRevisionBefore(endOffset, event -> true);
    }

    /**
     * The revision of the last event whose timestamp is at or before {@code time}, or 0 if there is none. The broker's
     * time index finds the first record after {@code time} (admission stamps each event record with the event's own
     * timestamp, and both never go back); the events before it are then checked by their own timestamps.
     */
    public synchronized long revisionAt(Instant time) {
        long target = time.toEpochMilli() + 1;
        OffsetAndTimestamp after = consumer.offsetsForTimes(Map.of(partition, target)).get(partition);
        long end = after == null ? endOffset() : after.offset();
        long beginning = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (end <= beginning) {
            return 0;
        }
        return lastRevisionBefore(end, event -> !event.getTimestamp().isAfter(time));
    }

    /** Reads backwards from {@code endOffset} in growing steps for the last event {@code accepted} takes. */
    private long lastRevisionBefore(long endOffset, Predicate<ObjectEvent> accepted) {
        long beginning = consumer.beginningOffsets(List.of(partition)).get(partition);
        long step = 64;
        while (true) {
            long from = Math.max(beginning, endOffset - step);
            long last = lastRevisionIn(from, endOffset, accepted);
            if (last > 0 || from == beginning) {
                return last;
            }
            endOffset = from;
            step *= 8;
        }
    }

    private long firstRevisionIn(long from, long end) {
        consumer.seek(partition, from);
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<String, ObjectEvent> record : consumer.poll(POLL)) {
                if (record.offset() < end && record.value() != null) {
                    return record.value().getRevision();
                }
            }
        }
        return 0;
    }

    private long lastRevisionIn(long from, long end, Predicate<ObjectEvent> accepted) {
        long last = 0;
        consumer.seek(partition, from);
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<String, ObjectEvent> record : consumer.poll(POLL)) {
                if (record.offset() < end && record.value() != null && accepted.test(record.value())) {
                    last = record.value().getRevision();
                }
            }
        }
        return last;
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
