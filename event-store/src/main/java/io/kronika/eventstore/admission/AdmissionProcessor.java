package io.kronika.eventstore.admission;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.registry.SchemaRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeoutException;

/** Runs the admission topology as a Kafka Streams application (exactly_once_v2, one stream thread). */
public final class AdmissionProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionProcessor.class);

    private final KafkaStreams streams;

    private AdmissionProcessor(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Tunables; the defaults favour latency of a single write (see docs/decisions/003-admission-processor.md). */
    public record Settings(Path stateDir, int commitIntervalMs, int replicationFactor, Duration answerRetention,
                           CommandAuthorization authorization) {
        public Settings(Path stateDir, int commitIntervalMs, int replicationFactor, Duration answerRetention) {
            this(stateDir, commitIntervalMs, replicationFactor, answerRetention, null);
        }

        public static Settings defaults(Path stateDir) {
            return new Settings(stateDir, 10, 1, Duration.ofHours(24));
        }

        public Settings withReplicationFactor(int factor) {
            return new Settings(stateDir, commitIntervalMs, factor, answerRetention, authorization);
        }

        public Settings withCommitIntervalMs(int ms) {
            return new Settings(stateDir, ms, replicationFactor, answerRetention, authorization);
        }

        /** Verify component credentials on commands and authorize their principals (see {@link CommandAuthorization}). */
        public Settings withAuthorization(CommandAuthorization value) {
            return new Settings(stateDir, commitIntervalMs, replicationFactor, answerRetention, value);
        }
    }

    public static AdmissionProcessor start(String bootstrapServers, TopicNames topics, SchemaRegistry registry, Settings settings) {
        KafkaStreams streams = new KafkaStreams(
                AdmissionTopology.build(topics, registry, settings.answerRetention(), settings.authorization()), streamsConfig(bootstrapServers, topics, settings));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Admission stream thread failed; replacing it (its uncommitted work is aborted and redone)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new AdmissionProcessor(streams);
    }

    static Properties streamsConfig(String bootstrapServers, TopicNames topics, Settings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.admissionApplicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs());
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, settings.commitIntervalMs() / 2));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 4 * 1024 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // After a crash the dead member holds the commands partition until its session expires: keep that short.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), Math.max(1, settings.commitIntervalMs()));
        return props;
    }

    /** Blocks until the processor has restored its state and processes commands. */
    public AdmissionProcessor awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("The admission processor stopped while starting: " + streams.state()
                        + ". See the log above for the cause.");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("The admission processor is not running after " + timeout
                        + " (state " + streams.state() + "); is the broker reachable?");
            }
            Thread.sleep(20);
        }
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // Leave the group so that a successor (a restart, another instance) takes over at once, not after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
