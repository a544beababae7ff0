package io.kronika.replay;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code history import FILE}: appends the events of an export, unchanged, to a fresh cluster's log through the
 * admission processor (IMPORT commands, docs/decisions/007-snapshots-and-import.md), so its objects, revisions,
 * uids and history equal the exported cluster's and the admission state is seeded as by any write.
 */
public final class HistoryImport {
    public static final Actor ACTOR = Commands.actor("kronika-import", "history-import", "system:masters");
    /** Commands in flight at once: enough to keep the sequencer's batches full. */
    private static final int WINDOW = 2000;

    private HistoryImport() {
    }

    /** Imports every event of {@code file}; returns how many. Refuses a cluster whose log holds any event. */
    public static long fromExport(Cluster cluster, Path file, Progress progress) {
        return fromExport(cluster, file, progress, client -> { });
    }

    /**
     * As {@link #fromExport(Cluster, Path, Progress)}, through a client of its own that {@code signing} makes sign its
     * commands (a cluster that requires component credentials refuses unsigned ones).
     */
    public static long fromExport(Cluster cluster, Path file, Progress progress, Consumer<CommandClient> signing) {
        try (CommandClient client = new CommandClient(cluster.bootstrapServers(), cluster.topics(), cluster.registry(),
                "kronika-import-" + ProcessHandle.current().pid())) {
            signing.accept(client);
            return fromExport(cluster, client, file, progress);
        }
    }

    /**
     * Imports through {@code client} (e.g. the all-in-one's, which signs its commands, so a cluster that requires
     * component credentials admits the import).
     */
    public static long fromExport(Cluster cluster, CommandClient client, Path file, Progress progress) {
        HistoryFile.meta(file, HistoryFile.FORMAT); // fails early on a file of another kind
        requireEmptyLog(cluster);
        long[] n = {0};
        String cause = "history import " + file.getFileName();
        Deque<CompletableFuture<CommandResult>> inFlight = new ArrayDeque<>();
        HistoryFile.read(file, e -> {
            if (n[0] == 0 && e.getRevision() != 1) {
                throw new IllegalArgumentException(file + " starts at revision " + e.getRevision()
                        + ", not 1: only a whole history (history export) can be imported");
            }
            inFlight.add(client.submit(command(e, cause)));
            n[0]++;
            while (inFlight.size() >= WINDOW) {
                check(inFlight.poll());
            }
            progress.update(n[0], 0);
            return true;
        });
        while (!inFlight.isEmpty()) {
            check(inFlight.poll());
        }
        progress.done(n[0]);
        return n[0];
    }

    /** The IMPORT command of one exported event; its id is derived from the event, so a retry is applied once. */
    static Command command(ObjectEvent e, String cause) {
        return Commands.builder(Operation.IMPORT, e.getRef(), ACTOR)
                .setCommandId("import-" + e.getRevision() + "-" + e.getCommandId())
                .setImportedEvent(e)
                .setCause(cause)
                .build();
    }

    private static void check(CompletableFuture<CommandResult> answer) {
        CommandResult r;
        try {
            r = answer.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("import failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("import: no answer from the admission processor within 120 s (is it running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (r.getOutcome() != Outcome.ACCEPTED) {
            throw new IllegalStateException("import stopped: " + r.getCode() + " " + r.getReason() + ": " + r.getMessage()
                    + ". The events before it are in the cluster; import into a fresh cluster again.");
        }
    }

    /** Fails with what to do when the cluster's events topic holds any committed record. */
    static void requireEmptyLog(Cluster cluster) {
        long records = eventRecords(cluster);
        if (records > 0) {
            throw new IllegalStateException("The cluster's log is not empty (" + cluster.topics().events() + " holds " + records
                    + " records): import keeps the exported revisions, so it needs a fresh cluster — start one with an empty"
                    + " data dir (kronika up --import FILE) or use a new --topic-prefix");
        }
    }

    static long eventRecords(Cluster cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(cluster.topics().events(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + cluster.topics().events() + " does not exist on " + cluster.bootstrapServers()
                        + ": start the cluster (its admission processor applies the import) first");
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }
}
