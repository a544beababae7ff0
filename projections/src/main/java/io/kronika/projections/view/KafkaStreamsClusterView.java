package io.kronika.projections.view;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.ClusterView;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.projections.fold.AppliedRevision;
import io.kronika.projections.fold.DirectStores;
import io.kronika.projections.fold.ProjectionTopology;
import io.kronika.projections.log.EventConsumers;
import io.kronika.projections.log.LogBounds;
import io.kronika.schemas.registry.SchemaRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The cluster view of one process: a Kafka Streams application (its own application id, so all of its stores are
 * local) folding the events topic, answering through interactive queries. Start it with {@link #start}, wait with
 * {@link #awaitRunning}, and {@link #close} it on shutdown (a clean close lets the next start resume; otherwise the
 * next start rebuilds from the log).
 */
public final class KafkaStreamsClusterView implements ClusterView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamsClusterView.class);

    private final KafkaStreams streams;
    private final AppliedRevision applied;
    private final DirectStores direct;
    private final ViewStateDirectory stateDirectory;
    private final LogBounds logBounds;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private volatile boolean failed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ViewQueries queries;

    /**
     * @param applicationId  Kafka Streams application id and consumer group; one per process that serves a view
     * @param commitIntervalMs how often the fold commits its position (and flushes its stores); reads never wait for it
     * @param groupResetTimeout how long a rebuild may wait for a crashed predecessor's group membership to expire
     */
    public record Settings(Path stateDir, String applicationId, int commitIntervalMs, Duration groupResetTimeout) {
        public static Settings defaults(Path stateDir, String applicationId) {
            return new Settings(stateDir, applicationId, 5_000, Duration.ofSeconds(60));
        }

        /** Settings for the view of one named instance (e.g. a gateway) of the cluster with these topics. */
        public static Settings forInstance(TopicNames topics, String instanceName, Path stateDir) {
            return defaults(stateDir, topics.prefix() + "view-" + instanceName);
        }
    }

    private KafkaStreamsClusterView(KafkaStreams streams, AppliedRevision applied, DirectStores direct, ViewStateDirectory stateDirectory,
                                    LogBounds logBounds) {
        this.streams = streams;
        this.direct = direct;
        this.applied = applied;
        this.stateDirectory = stateDirectory;
        this.logBounds = logBounds;
    }

    /** Starts folding; the view answers once it is running (see {@link #awaitRunning}). */
    public static KafkaStreamsClusterView start(String bootstrapServers, TopicNames topics, SchemaRegistry registry, Settings settings)
            throws TimeoutException, InterruptedException {
        AppliedRevision applied = new AppliedRevision();
        DirectStores direct = DirectStores.create();
        KafkaStreams streams = new KafkaStreams(ProjectionTopology.build(topics, registry, applied, direct), streamsConfig(bootstrapServers, settings));
        ViewStateDirectory stateDirectory = new ViewStateDirectory(settings.stateDir(), settings.applicationId());
        try {
            if (!stateDirectory.closedCleanly()) {
                LOG.info("View {} has no cleanly closed state of the current layout: rebuilding it from the start of {}", settings.applicationId(), topics.events());
                streams.cleanUp();
                ConsumerGroupReset.deleteGroup(bootstrapServers, settings.applicationId(), settings.groupResetTimeout());
            }
            stateDirectory.markOpen();
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            streams.close();
            throw e;
        }
        LogBounds bounds = new LogBounds(new EventConsumers(bootstrapServers, topics.events(), registry, settings.applicationId()));
        KafkaStreamsClusterView view = new KafkaStreamsClusterView(streams, applied, direct, stateDirectory, bounds);
        streams.setStateListener(view::onStateChange);
        streams.setUncaughtExceptionHandler(view::onFoldFailure);
        streams.start();
        return view;
    }

    static Properties streamsConfig(String bootstrapServers, Settings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // The fold is idempotent per key, so redelivery after a restart is harmless and exactly-once buys nothing.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs());
        props.put(StreamsConfig.POLL_MS_CONFIG, 10);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        // Under at_least_once Streams reads uncommitted records by default; aborted admissions are not events.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 5000);
        // A crashed instance holds the group until its session expires, and a rebuild waits for that: keep it short.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        return props;
    }

    /**
     * Blocks until the fold runs and has applied everything the log held when this was called, so that a view that
     * is answering is never older than the log it started on.
     */
    public KafkaStreamsClusterView awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            running.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The view stopped while starting; see the log above", e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("The view is not running after " + timeout + " (state " + streams.state() + ")");
        }
        long logRevision = logBounds.lastRevisionBefore(logBounds.endOffset());
        applied.await(logRevision, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public long appliedRevision() {
        return applied.get();
    }

    @Override
    public void awaitRevision(long revision, Duration timeout) throws TimeoutException, InterruptedException {
        applied.await(revision, timeout);
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return queries().get(key);
    }

    /** Answers from what the view has applied: await the revision first if it may not be there yet. */
    @Override
    public Optional<StoredObject> getAt(String key, long revision) {
        return queries().getAt(key, revision);
    }

    @Override
    public ListPage list(String keyPrefix, long atRevision, Predicate<StoredObject> filter, int limit, String continueAfterKey) {
        long current = applied.get();
        if (atRevision > current) {
            throw new IllegalArgumentException("Cannot list as of revision " + atRevision + ": the view has applied " + current);
        }
        return queries().list(keyPrefix, atRevision, filter, limit, continueAfterKey);
    }

    @Override
    public List<StoredObject> podsOnNode(String nodeName) {
        return queries().podsOnNode(nodeName);
    }

    @Override
    public OptionalLong offsetOfRevision(long revision) {
        return queries().offsetOfRevision(revision);
    }

    /** The current object without its status (the spec view). */
    public Optional<StoredObject> spec(String key) {
        return queries().spec(key);
    }

    /** The current status of an object alone, as JSON (the status view). */
    public Optional<StoredObject> status(String key) {
        return queries().status(key);
    }

    private ViewQueries queries() {
        ViewQueries q = queries;
        if (q == null) {
            q = new ViewQueries(new StreamsViewStores(streams, direct, applied));
            queries = q;
        }
        return q;
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.RUNNING) {
            running.complete(null);
        } else if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.PENDING_SHUTDOWN
                || newState == KafkaStreams.State.NOT_RUNNING) {
            running.completeExceptionally(new IllegalStateException("The view's Kafka Streams went " + newState));
        }
    }

    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onFoldFailure(Throwable e) {
        // Errors that reach here are not transient (a record the fold cannot read, a broken store): retrying the
        // same record would fail again, so the view stops and says so instead of serving a silently stale state.
        LOG.error("The view's fold failed; the view stops (a restart rebuilds it from the log)", e);
        failed = true;
        applied.fail(e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean stopped = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        applied.fail(new IllegalStateException("The view is closed"));
        logBounds.close();
        if (stopped && !failed) {
            stateDirectory.markClosedCleanly();
        }
    }
}
