package io.kronika.replay;

import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads a cluster's topics straight from Kafka under read_committed: from the beginning to the end as of the start
 * (or on, when following), decoding each record by its topic.
 */
public final class LogReader {
    /** What a reader hands on: an event, a command or a result. Return false to stop reading. */
    public interface Handler {
        boolean onRecord(String topic, Object value, long timestampMillis);

        /** Called when the reader has caught up with the end as of the start (once), before following. */
        default void caughtUp() {
        }
    }

    private final Cluster cluster;
    private final java.nio.file.Path file;

    public LogReader(Cluster cluster) {
        this.cluster = cluster;
        this.file = null;
    }

    private LogReader(java.nio.file.Path file) {
        this.cluster = null;
        this.file = file;
    }

    /** A reader of an export file instead of a cluster: the same events, offline. */
    public static LogReader ofFile(java.nio.file.Path file) {
        return new LogReader(file);
    }

    public boolean isFile() {
        return file != null;
    }

    /** The events topic read (null for a file). */
    public String eventsTopic() {
        return cluster == null ? null : cluster.topics().events();
    }

    public Cluster cluster() {
        return cluster;
    }

    /** Events in revision order until {@code handler} returns false or the end of the log is reached. */
    public void events(Progress progress, java.util.function.Predicate<ObjectEvent> handler) {
        if (file != null) {
            long[] n = {0};
            HistoryFile.read(file, e -> {
                progress.update(++n[0], 0);
                return handler.test(e);
            });
            progress.done(n[0]);
            return;
        }
        read(List.of(cluster.topics().events()), false, progress, () -> false,
                (topic, value, ts) -> handler.test((ObjectEvent) value));
    }

    public List<ObjectEvent> allEvents(Progress progress) {
        List<ObjectEvent> out = new ArrayList<>();
        events(progress, e -> {
            out.add(e);
            return true;
        });
        return out;
    }

    /** An event with the offset of its record in the events topic (what a snapshot remembers to resume from). */
    public interface OffsetEventHandler {
        boolean onEvent(ObjectEvent event, long offset);
    }

    /**
     * Events from the record at {@code offset} of the (single-partition) events topic on, to the end as of the
     * start, or on while {@code follow} until {@code stop} says so or the handler returns false.
     */
    public void eventsFrom(long offset, boolean follow, BooleanSupplier stop, Progress progress, OffsetEventHandler handler) {
        if (file != null) {
            throw new IllegalArgumentException("An export file has no offsets: snapshots apply to a cluster's log");
        }
        consume(List.of(cluster.topics().events()), offset, follow, progress, stop, new RecordHandler() {
            @Override
            public boolean onRecord(String topic, Object value, long timestampMillis, long recordOffset) {
                return handler.onEvent((ObjectEvent) value, recordOffset);
            }
        });
    }

    /**
     * Reads {@code topics} from their beginning. Without {@code follow} it stops at the end offsets taken when it
     * started; with it, it goes on until {@code stop} says so or the handler returns false.
     */
    public void read(List<String> topics, boolean follow, Progress progress, BooleanSupplier stop, Handler handler) {
        if (file != null) {
            if (topics.size() != 1 || follow) {
                throw new IllegalArgumentException("An export file holds the accepted events only: --include-refused and --follow need the cluster");
            }
            events(progress, e -> handler.onRecord("events", e, e.getTimestamp().toEpochMilli()));
            handler.caughtUp();
            return;
        }
        consume(topics, -1, follow, progress, stop, new RecordHandler() {
            @Override
            public boolean onRecord(String topic, Object value, long timestampMillis, long offset) {
                return handler.onRecord(topic, value, timestampMillis);
            }

            @Override
            public void caughtUp() {
                handler.caughtUp();
            }
        });
    }

    private interface RecordHandler {
        boolean onRecord(String topic, Object value, long timestampMillis, long offset);

        default void caughtUp() {
        }
    }

    /** {@code startOffset} < 0: from the beginning of every partition; else from that offset (one partition). */
    private void consume(List<String> topics, long startOffset, boolean follow, Progress progress, BooleanSupplier stop, RecordHandler handler) {
        Map<String, Deserializer<?>> decoders = new HashMap<>();
        decoders.put(cluster.topics().events(), KronikaSerdes.avro(ObjectEvent.class, cluster.registry()).deserializer());
        decoders.put(cluster.topics().commands(), KronikaSerdes.avro(Command.class, cluster.registry()).deserializer());
        decoders.put(cluster.topics().results(), KronikaSerdes.avro(CommandResult.class, cluster.registry()).deserializer());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, follow ? 200 : 50,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "kronika-history-" + ProcessHandle.current().pid()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("Topic " + topic + " does not exist on " + cluster.bootstrapServers()
                            + " (wrong --topic-prefix, or no cluster ever ran there?)");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            if (startOffset >= 0) {
                partitions.forEach(p -> consumer.seek(p, startOffset));
            }
            Map<TopicPartition, Long> begin = new HashMap<>();
            partitions.forEach(p -> begin.put(p, consumer.position(p)));
            // Under read_committed the end offset is the last stable offset: nothing after it is visible yet.
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long total = 0;
            for (TopicPartition p : partitions) {
                total += Math.max(0, end.get(p) - begin.get(p));
            }
            long done = 0;
            boolean caughtUp = false;
            while (!stop.getAsBoolean()) {
                if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                    caughtUp = true;
                    progress.done(done);
                    handler.caughtUp();
                    if (!follow) {
                        return;
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(follow && caughtUp ? 200 : 100))) {
                    done++;
                    if (r.value() == null) {
                        continue;
                    }
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!follow && r.offset() >= end.get(tp)) {
                        continue;
                    }
                    Object value = decoders.get(r.topic()).deserialize(r.topic(), r.value());
                    if (!handler.onRecord(r.topic(), value, r.timestamp(), r.offset())) {
                        progress.done(done);
                        return;
                    }
                }
                if (!caughtUp) {
                    // Offsets, not records: transaction markers take offsets too, and the end is an offset.
                    long at = 0;
                    for (TopicPartition p : partitions) {
                        at += Math.max(0, Math.min(consumer.position(p), end.get(p)) - begin.get(p));
                    }
                    progress.update(at, total);
                }
            }
        }
    }
}
