package io.kronika.projections.fold;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A compact local encoding of {@link ObjectVersion}: format byte, revision, flags, uid, JSON. Local state only
 * (never on a topic), so it needs no schema registry and can change with a format byte and a rebuild.
 */
public final class ObjectVersionSerde {
    private static final byte FORMAT = 1;
    private static final byte DELETED = 1;

    private ObjectVersionSerde() {
    }

    public static Serde<ObjectVersion> serde() {
        Serializer<ObjectVersion> serializer = (topic, v) -> v == null ? null : write(v);
        Deserializer<ObjectVersion> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    static byte[] write(ObjectVersion v) {
        byte[] uid = v.uid() == null ? new byte[0] : v.uid().getBytes(StandardCharsets.UTF_8);
        byte[] json = v.json() == null ? new byte[0] : v.json().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + 1 + 4 + uid.length + 4 + json.length)
                .put(FORMAT)
                .putLong(v.revision())
                .put(v.deleted() ? DELETED : 0)
                .putInt(uid.length).put(uid)
                .putInt(json.length).put(json)
                .array();
    }

    static ObjectVersion read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT) {
            throw new SerializationException("Unknown object version format " + format + "; rebuild the projections' state");
        }
        long revision = in.getLong();
        boolean deleted = (in.get() & DELETED) != 0;
        String uid = string(in);
        String json = string(in);
        return new ObjectVersion(revision, deleted, uid, json);
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
