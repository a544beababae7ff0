package io.kronika.schemas.serde;

import io.kronika.schemas.registry.SchemaRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serdes for the project's Avro records, in the Confluent wire format. */
public final class KronikaSerdes {
    private KronikaSerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> avro(Class<T> type, SchemaRegistry registry) {
        AvroWireFormat<T> format = new AvroWireFormat<>(type, registry);
        Serializer<T> serializer = format::serialize;
        Deserializer<T> deserializer = format::deserialize;
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
