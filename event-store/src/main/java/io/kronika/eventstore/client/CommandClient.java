package io.kronika.eventstore.client;

import io.kronika.eventstore.admission.AdmissionDecider;
import io.kronika.eventstore.log.RecentRefusals;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.secrets.SecretCodec;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one way components change the cluster: submit a command, get a future of the admission processor's answer.
 * An answer arrives only once its transaction committed, so an accepted result means the event is in the log.
 * Retrying a command with the same id is safe: it is applied at most once and answered with its first result.
 */
public final class CommandClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandClient.class);

    private final String bootstrapServers;
    private final TopicNames topics;
    private final SchemaRegistry registry;
    private final SecretCodec secrets;
    private final KafkaProducer<String, Command> producer;
    private final KafkaConsumer<String, CommandResult> resultConsumer;
    private final Map<String, CompletableFuture<CommandResult>> waiting = new ConcurrentHashMap<>();
    private final Thread resultThread;
    private final java.util.concurrent.atomic.AtomicLong latestRevision = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    public CommandClient(String bootstrapServers, TopicNames topics, SchemaRegistry registry, String clientId) {
        this(bootstrapServers, topics, registry, clientId, SecretCodec.plaintext());
    }

    /**
     * A client that encrypts the values of Secrets before they reach the log and decrypts them in the answers it
     * hands back, so the commands, events and every state store hold ciphertext.
     */
    public CommandClient(String bootstrapServers, TopicNames topics, SchemaRegistry registry, String clientId, SecretCodec secrets) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.registry = registry;
        this.secrets = secrets;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-commands",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                new StringSerializer(), KronikaSerdes.avro(Command.class, registry).serializer());
        this.resultConsumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-results",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), KronikaSerdes.avro(CommandResult.class, registry).deserializer());
        List<PartitionInfo> partitions = resultConsumer.partitionsFor(topics.results(), Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("Topic " + topics.results() + " does not exist on " + bootstrapServers
                    + "; start the cluster (kronika up) or create the topics first");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        resultConsumer.assign(assigned);
        resultConsumer.seekToEnd(assigned);
        assigned.forEach(resultConsumer::position); // pin "end" now: answers to commands sent from here on are after it
        this.resultThread = new Thread(this::receiveResults, clientId + "-results");
        this.resultThread.setDaemon(true);
        this.resultThread.start();
    }

    private volatile String signingPrincipal;
    private volatile byte[] signingKey;

    /**
     * Signs every command sent from now on as {@code principal} with its component key
     * ({@link io.kronika.schemas.auth.ComponentCredentials}), for an admission processor that verifies credentials.
     */
    public CommandClient signAs(String principal, byte[] key) {
        this.signingKey = key.clone();
        this.signingPrincipal = principal;
        return this;
    }

    private volatile Map<String, byte[]> keysByActor = Map.of();

    /**
     * Signs each command whose Actor is one of {@code keysByPrincipal}'s principals as that principal with its key
     * (a process running several kubelets signs each node's commands as {@code system:node:NAME}); other commands as
     * {@link #signAs} says.
     */
    public CommandClient signAsActors(Map<String, byte[]> keysByPrincipal) {
        Map<String, byte[]> copy = new java.util.HashMap<>();
        keysByPrincipal.forEach((principal, key) -> copy.put(principal, key.clone()));
        this.keysByActor = Map.copyOf(copy);
        return this;
    }

    private Command signed(Command command) {
        if (command.getSignature() != null) {
            return command;
        }
        String actor = command.getActor() == null ? null : command.getActor().getUser();
        byte[] actorKey = actor == null ? null : keysByActor.get(actor);
        if (actorKey != null) {
            return io.kronika.schemas.auth.ComponentCredentials.sign(command, actor, actorKey);
        }
        String principal = signingPrincipal;
        return principal == null ? command : io.kronika.schemas.auth.ComponentCredentials.sign(command, principal, signingKey);
    }

    /**
     * Sends {@code command}; the future completes with the answer (accepted or rejected). Objects over the size
     * limit are refused here with 413, as the admission processor would, without reaching the log.
     */
    public CompletableFuture<CommandResult> submit(Command plain) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("CommandClient is closed"));
        }
        Command command;
        try {
            command = encrypted(plain);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (command.getObject() != null && command.getObject().getBytes(StandardCharsets.UTF_8).length > AdmissionDecider.MAX_OBJECT_BYTES) {
            return CompletableFuture.completedFuture(CommandResult.newBuilder()
                    .setCommandId(command.getCommandId())
                    .setOutcome(Outcome.REJECTED)
                    .setCode(413)
                    .setReason("RequestEntityTooLarge")
                    .setMessage("Request entity too large: the object is larger than the limit of "
                            + AdmissionDecider.MAX_OBJECT_BYTES + " bytes")
                    .setRef(command.getTarget())
                    .setTimestamp(Instant.now())
                    .build());
        }
        CompletableFuture<CommandResult> answer = waiting.computeIfAbsent(command.getCommandId(), id -> new CompletableFuture<>());
        producer.send(new ProducerRecord<>(topics.commands(), ObjectKeys.of(command.getTarget()), signed(command)), (metadata, error) -> {
            if (error != null) {
                waiting.remove(command.getCommandId());
                answer.completeExceptionally(error);
            }
        });
        return SecretCodec.isSecret(command.getTarget()) ? answer.thenApply(this::decrypted) : answer;
    }

    private Command encrypted(Command command) {
        if (!secrets.encrypts() || !SecretCodec.isSecret(command.getTarget()) || command.getObject() == null) {
            return command;
        }
        return Command.newBuilder(command).setObject(secrets.encrypt(command.getObject())).build();
    }

    private CommandResult decrypted(CommandResult result) {
        if (result.getObject() == null || !secrets.encrypts()) {
            return result;
        }
        return CommandResult.newBuilder(result).setObject(secrets.decrypt(result.getObject())).build();
    }

    /** A reader of the refused requests among the recent commands of the same cluster (for the audit trail). */
    public RecentRefusals recentRefusals() {
        return new RecentRefusals(bootstrapServers, topics, registry);
    }

    /** How this client encrypts Secrets (the readers of the same cluster decrypt with it). */
    public SecretCodec secrets() {
        return secrets;
    }

    /**
     * Appends a command nobody waits an answer for: a request refused before admission ({@code refusal} set), kept in
     * {@code commands} for the audit trail. Completes once the broker has it.
     */
    public CompletableFuture<Void> record(Command command) {
        if (command.getRefusal() == null) {
            throw new IllegalArgumentException("only refused requests are recorded without an answer; submit() the others");
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topics.commands(), ObjectKeys.of(command.getTarget()), signed(command)), (metadata, error) -> {
            if (error != null) {
                written.completeExceptionally(error);
            } else {
                written.complete(null);
            }
        });
        return written;
    }

    /** Submits and waits; an accepted result is returned, a rejected one thrown as {@link CommandRejectedException}. */
    public CommandResult apply(Command command, Duration timeout) throws Exception {
        CommandResult result = submit(command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (result.getOutcome() == Outcome.REJECTED) {
            throw new CommandRejectedException(result);
        }
        return result;
    }

    /**
     * The highest revision this client has seen accepted, by anyone (every client reads every answer). A read that
     * waits for its projection to reach it sees every write acknowledged before the read began.
     */
    public long latestRevision() {
        return latestRevision.get();
    }

    private void receiveResults() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, CommandResult> record : resultConsumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    Long revision = record.value().getRevision();
                    if (revision != null) {
                        latestRevision.accumulateAndGet(revision, Math::max);
                    }
                    CompletableFuture<CommandResult> answer = waiting.remove(record.value().getCommandId());
                    if (answer != null) {
                        answer.complete(record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Receiving command results failed; pending commands fail", e);
            waiting.values().forEach(f -> f.completeExceptionally(e));
        } finally {
            resultConsumer.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        producer.close(Duration.ofSeconds(10));
        resultConsumer.wakeup();
        try {
            resultThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("CommandClient closed")));
    }
}
