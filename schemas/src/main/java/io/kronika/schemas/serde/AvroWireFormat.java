package io.kronika.schemas.serde;

import io.kronika.schemas.registry.SchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro records in the Confluent wire format: byte 0 = 0, a 4-byte big-endian schema id, then Avro binary.
 * Writes with the record class's schema, registered under {@code <topic>-value}; reads any registered writer
 * schema into the class's schema (Avro schema resolution).
 */
public final class AvroWireFormat<T extends SpecificRecord> {
    static final byte MAGIC = 0;

    private final Class<T> type;
    private final Schema readerSchema;
    private final SchemaRegistry registry;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> writerIdBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    public AvroWireFormat(Class<T> type, SchemaRegistry registry) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.registry = registry;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = writerIdBySubject.computeIfAbsent(valueSubject(topic), s -> registry.register(s, readerSchema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName() + " for " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 5 || data[0] != MAGIC) {
            throw new SerializationException("Not in the Confluent wire format (magic byte 0 and a schema id expected) on " + topic);
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        DatumReader<T> reader = readersByWriterId.computeIfAbsent(id,
                i -> new SpecificDatumReader<>(registry.schemaById(i), readerSchema));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read " + type.getSimpleName() + " (schema id " + id + ") from " + topic + ": " + e.getMessage(), e);
        }
    }
}
