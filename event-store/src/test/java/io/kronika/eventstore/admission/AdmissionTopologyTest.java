package io.kronika.eventstore.admission;

import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.registry.InMemorySchemaRegistry;
import io.kronika.schemas.serde.AvroWireFormat;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology wiring (stores, sinks, dedupe, event time) with TopologyTestDriver. */
class AdmissionTopologyTest {
    private final TopicNames topics = TopicNames.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Command> commands;
    private TestOutputTopic<String, ObjectEvent> events;
    private TestOutputTopic<String, CommandResult> results;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(AdmissionTopology.build(topics, registry, Duration.ofHours(1)),
                AdmissionProcessor.streamsConfig("unused:9092", topics, AdmissionProcessor.Settings.defaults(java.nio.file.Path.of("target/tt-state"))));
        commands = driver.createInputTopic(topics.commands(), new StringSerializer(), KronikaSerdes.avro(Command.class, registry).serializer());
        events = driver.createOutputTopic(topics.events(), new StringDeserializer(), KronikaSerdes.avro(ObjectEvent.class, registry).deserializer());
        results = driver.createOutputTopic(topics.results(), new StringDeserializer(), KronikaSerdes.avro(CommandResult.class, registry).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(Command command, Instant at) {
        commands.pipeInput(ObjectKeys.of(command.getTarget()), command, at);
    }

    @Test
    void eventTimeNeverGoesBackEvenWhenCommandClocksDo() {
        Instant later = Instant.parse("2026-11-25T10:00:00Z");
        send(Commands.create(ObjectKeys.ref("", "Namespace", "", "a"), "{\"metadata\":{\"name\":\"a\"}}", Commands.actor("u", "t")), later);
        send(Commands.create(ObjectKeys.ref("", "Namespace", "", "b"), "{\"metadata\":{\"name\":\"b\"}}", Commands.actor("u", "t")), later.minusSeconds(60));
        var appended = events.readValuesToList();
        assertThat(appended).extracting(ObjectEvent::getRevision).containsExactly(1L, 2L);
        assertThat(appended.get(1).getTimestamp()).isEqualTo(appended.get(0).getTimestamp());
    }

    @Test
    void aRetryIsAnsweredFromTheStoreWithoutANewEvent() {
        Command create = Commands.create(ObjectKeys.ref("", "Namespace", "", "a"), "{\"metadata\":{\"name\":\"a\"}}", Commands.actor("u", "t"));
        send(create, Instant.now());
        send(create, Instant.now());
        assertThat(events.readValuesToList()).hasSize(1);
        var answers = results.readValuesToList();
        assertThat(answers).hasSize(2);
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
    }

    @Test
    void anOperationFromANewerWriterIsRefusedAsUnknown() throws Exception {
        // A newer client's schema with an operation this processor has never heard of.
        String lastSymbol = "\"" + Operation.values()[Operation.values().length - 1].name() + "\"";
        String newer = Command.getClassSchema().toString().replace(lastSymbol + "]", lastSymbol + ",\"PURGE\"]");
        assertThat(newer).contains("\"PURGE\"");
        Schema writerSchema = new Schema.Parser().parse(newer);
        GenericRecord record = new GenericData.Record(writerSchema);
        GenericData.get().newRecord(null, writerSchema);
        Command template = Commands.create(ObjectKeys.ref("", "Namespace", "", "a"), "{\"metadata\":{\"name\":\"a\"}}", Commands.actor("u", "t"));
        for (Schema.Field field : writerSchema.getFields()) {
            Object value = template.get(field.name());
            if (value instanceof org.apache.avro.specific.SpecificRecord nested) {
                value = GenericData.get().deepCopy(writerSchema.getField(field.name()).schema(), nested);
            }
            record.put(field.name(), value);
        }
        record.put("operation", new GenericData.EnumSymbol(writerSchema.getField("operation").schema(), "PURGE"));
        record.put("requestedAt", Instant.now().toEpochMilli());

        int id = registry.register(AvroWireFormat.valueSubject(topics.commands()), writerSchema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writerSchema).write(record, encoder);
        encoder.flush();
        driver.createInputTopic(topics.commands(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("core/Namespace//a", out.toByteArray());

        CommandResult answer = results.readValue();
        assertThat(answer.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(answer.getCode()).isEqualTo(400);
        assertThat(answer.getMessage()).contains("unknown operation");
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void garbageOnTheCommandsTopicIsSkippedNotFatal() {
        driver.createInputTopic(topics.commands(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("x", new byte[]{1, 2, 3});
        send(Commands.create(ObjectKeys.ref("", "Namespace", "", "a"), "{\"metadata\":{\"name\":\"a\"}}", Commands.actor("u", "t")), Instant.now());
        assertThat(events.readValuesToList()).hasSize(1);
    }
}
