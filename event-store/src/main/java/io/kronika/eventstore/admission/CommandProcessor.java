package io.kronika.eventstore.admission;

import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.Outcome;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequencer: applies {@link AdmissionDecider} to each command in log order, keeps the current objects,
 * assigns revisions, appends events and answers every command. Runs under exactly_once_v2, so the event, the
 * answer and the store updates of one command commit together or not at all.
 */
final class CommandProcessor implements Processor<String, Command, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final Duration answerRetention;
    private final CommandAuthorization authorization;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, ObjectEvent> objects;
    private KeyValueStore<String, Long> sequence;
    private KeyValueStore<String, CommandResult> answered;
    private KeyValueStore<String, String> answeredByTime;

    /** The objects store as admission reads it: by key, and by key prefix (RocksDB keeps keys sorted). */
    private final AdmissionDecider.CurrentState state = new AdmissionDecider.CurrentState() {
        @Override
        public ObjectEvent get(String key) {
            return objects.get(key);
        }

        @Override
        public List<ObjectEvent> scan(String prefix) {
            List<ObjectEvent> out = new ArrayList<>();
            try (KeyValueIterator<String, ObjectEvent> it = objects.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(kv -> out.add(kv.value));
            }
            return out;
        }
    };

    CommandProcessor(Duration answerRetention) {
        this(answerRetention, null);
    }

    CommandProcessor(Duration answerRetention, CommandAuthorization authorization) {
        this.answerRetention = answerRetention;
        this.authorization = authorization;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.objects = context.getStateStore(AdmissionStores.OBJECTS);
        this.sequence = context.getStateStore(AdmissionStores.SEQUENCE);
        this.answered = context.getStateStore(AdmissionStores.ANSWERED);
        this.answeredByTime = context.getStateStore(AdmissionStores.ANSWERED_BY_TIME);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::forgetOldAnswers);
    }

    @Override
    public void process(Record<String, Command> record) {
        Command command = record.value();
        if (command == null || command.getRefusal() != null) {
            return; // a refused request recorded by the gateway for the audit trail: nothing to admit, nobody waits
        }
        if (command.getCommandId() == null || command.getCommandId().isEmpty()) {
            LOG.warn("Dropping a command without a command id for {}: nobody can wait for its answer", record.key());
            return;
        }
        CommandResult earlier = answered.get(command.getCommandId());
        if (earlier != null) {
            context.forward(new Record<>(command.getCommandId(), earlier, record.timestamp()), AdmissionTopology.RESULTS_SINK);
            return;
        }
        long revision = valueOr(sequence.get(AdmissionStores.REVISION), 0L) + 1;
        long timestamp = Math.max(record.timestamp(), valueOr(sequence.get(AdmissionStores.TIMESTAMP), 0L));
        Decision refused = authorization == null ? null : authorization.refusal(command, state, timestamp);
        if (refused != null) {
            // Not remembered under the command id: a refusal of who sent it says nothing about the command, and
            // remembering it would let an unsigned copy block the signed command with the same id (a retry, an import).
            context.forward(new Record<>(command.getCommandId(), refused.result(), timestamp), AdmissionTopology.RESULTS_SINK);
            return;
        }
        Decision decision = decideSafely(command, revision, timestamp);
        if (decision.appends()) {
            ObjectEvent event = decision.event();
            if (decision.removesObject()) {
                objects.delete(decision.key());
            } else {
                objects.put(decision.key(), event);
            }
            sequence.put(AdmissionStores.REVISION, revision);
            sequence.put(AdmissionStores.TIMESTAMP, timestamp);
            context.forward(new Record<>(decision.key(), event, timestamp), AdmissionTopology.EVENTS_SINK);
        }
        CommandResult result = decision.result();
        answered.put(command.getCommandId(), result);
        answeredByTime.put(timeKey(timestamp, command.getCommandId()), command.getCommandId());
        context.forward(new Record<>(command.getCommandId(), result, timestamp), AdmissionTopology.RESULTS_SINK);
    }

    private Decision decideSafely(Command command, long revision, long timestamp) {
        try {
            return AdmissionDecider.decide(command, state, revision, timestamp);
        } catch (RuntimeException e) {
            LOG.error("Admission failed on command {} for {}", command.getCommandId(), command.getTarget(), e);
            CommandResult result = CommandResult.newBuilder()
                    .setCommandId(command.getCommandId())
                    .setOutcome(Outcome.REJECTED)
                    .setCode(500)
                    .setReason("InternalError")
                    .setMessage("Internal error occurred: " + e)
                    .setRef(command.getTarget())
                    .setTimestamp(Instant.ofEpochMilli(timestamp))
                    .build();
            return new Decision(result, null, "");
        }
    }

    private void forgetOldAnswers(long streamTime) {
        String upTo = timeKey(streamTime - answerRetention.toMillis(), "");
        List<KeyValue<String, String>> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = answeredByTime.range(timeKey(0, ""), upTo)) {
            it.forEachRemaining(expired::add);
        }
        for (KeyValue<String, String> entry : expired) {
            answered.delete(entry.value);
            answeredByTime.delete(entry.key);
        }
    }

    private static String timeKey(long timestamp, String commandId) {
        return String.format("%020d|%s", Math.max(0, timestamp), commandId);
    }

    private static long valueOr(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
