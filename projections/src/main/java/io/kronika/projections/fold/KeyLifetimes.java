package io.kronika.projections.fold;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * When one object key existed: the revisions at which it came into existence and went away, alternating and
 * ascending ({@code created, deleted, created, …}; an odd count means it exists now). A key exists at revision R
 * exactly when its latest version at or before R is not a deletion, i.e. when an odd number of boundaries are ≤ R,
 * so a list as of R can skip a key that did not exist then without seeking its history.
 */
public record KeyLifetimes(long[] boundaries) {
    private static final KeyLifetimes NEVER = new KeyLifetimes(new long[0]);

    public static KeyLifetimes never() {
        return NEVER;
    }

    public boolean existsAt(long revision) {
        int found = Arrays.binarySearch(boundaries, revision);
        int atOrBelow = found >= 0 ? found + 1 : -found - 1;
        return atOrBelow % 2 == 1;
    }

    public boolean existsNow() {
        return boundaries.length % 2 == 1;
    }

    /** These lifetimes after a version at {@code revision} (above every boundary) that is or is not a deletion. */
    public KeyLifetimes after(long revision, boolean deleted) {
        if (existsNow() != deleted) {
            return this; // no change of existence: a modification, or a deletion of what is already gone
        }
        long[] more = Arrays.copyOf(boundaries, boundaries.length + 1);
        more[boundaries.length] = revision;
        return new KeyLifetimes(more);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyLifetimes other && Arrays.equals(boundaries, other.boundaries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "KeyLifetimes" + Arrays.toString(boundaries);
    }

    /** Local state only: the boundaries as big-endian longs. */
    public static Serde<KeyLifetimes> serde() {
        Serializer<KeyLifetimes> serializer = (topic, l) -> l == null ? null : write(l);
        Deserializer<KeyLifetimes> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    static byte[] write(KeyLifetimes lifetimes) {
        ByteBuffer out = ByteBuffer.allocate(lifetimes.boundaries.length * Long.BYTES);
        out.asLongBuffer().put(lifetimes.boundaries);
        return out.array();
    }

    static KeyLifetimes read(byte[] bytes) {
        if (bytes.length % Long.BYTES != 0) {
            throw new SerializationException("Key lifetimes of " + bytes.length + " bytes; rebuild the projections' state");
        }
        long[] boundaries = new long[bytes.length / Long.BYTES];
        ByteBuffer.wrap(bytes).asLongBuffer().get(boundaries);
        return new KeyLifetimes(boundaries);
    }
}
