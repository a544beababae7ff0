package io.kronika.schemas.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCodecTest {
    @TempDir
    Path dir;

    private static final String SECRET = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},"
            + "\"type\":\"Opaque\",\"data\":{\"password\":\"aHVudGVyMg==\",\"user\":\"YWRtaW4=\"}}";

    @Test
    void valuesAreEncryptedWithTheKeyNameAndDecryptBack() {
        SecretCodec codec = SecretCodec.of(SecretKeyRing.openOrCreate(dir.resolve(SecretKeyRing.FILE)));
        String sealed = codec.encrypt(SECRET);
        assertThat(sealed).doesNotContain("aHVudGVyMg==").doesNotContain("YWRtaW4=")
                .contains("\"password\":\"k8s:enc:aesgcm:v1:key1:").contains("\"name\":\"db\"");
        assertThat(SecretCodec.keyNames(sealed)).containsExactly("key1");
        assertThat(codec.decrypt(sealed)).isEqualTo(SECRET);
    }

    @Test
    void theSameValueEncryptsToTheSameTextSoNoOpUpdatesStayNoOps() {
        SecretCodec codec = SecretCodec.of(SecretKeyRing.openOrCreate(dir.resolve(SecretKeyRing.FILE)));
        assertThat(codec.encrypt(SECRET)).isEqualTo(codec.encrypt(SECRET));
        assertThat(codec.encrypt(SECRET.replace("aHVudGVyMg==", "aHVudGVyMw=="))).isNotEqualTo(codec.encrypt(SECRET));
    }

    @Test
    void aValueMovedToAnotherEntryDoesNotDecrypt() {
        SecretCodec codec = SecretCodec.of(SecretKeyRing.openOrCreate(dir.resolve(SecretKeyRing.FILE)));
        String sealed = codec.encrypt(SECRET);
        String swapped = sealed.replace("\"password\":", "\"x\":").replace("\"user\":", "\"password\":").replace("\"x\":", "\"user\":");
        assertThatThrownBy(() -> codec.decrypt(swapped)).isInstanceOf(SecretDecryptionException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rotationMakesANewPrimaryAndOldCiphertextStaysReadableUntilItsKeyIsRemoved() {
        SecretKeyRing ring = SecretKeyRing.openOrCreate(dir.resolve(SecretKeyRing.FILE));
        SecretCodec codec = SecretCodec.of(ring);
        String underOld = codec.encrypt(SECRET);

        // A second process holding the same file sees the rotation without restarting.
        SecretCodec other = SecretCodec.of(SecretKeyRing.open(dir.resolve(SecretKeyRing.FILE)));
        assertThat(ring.rotate()).isEqualTo("key2");
        assertThat(other.primaryKeyName()).isEqualTo("key2");
        String underNew = other.encrypt(codec.decrypt(underOld));
        assertThat(SecretCodec.keyNames(underNew)).containsExactly("key2");
        assertThat(other.decrypt(underOld)).isEqualTo(SECRET);
        assertThat(other.encrypt(underOld)).as("re-encrypting moves values to the primary key").isEqualTo(underNew);

        assertThatThrownBy(() -> ring.remove("key2")).hasMessageContaining("primary");
        ring.remove("key1");
        assertThatThrownBy(() -> other.decrypt(underOld)).isInstanceOf(SecretDecryptionException.class).hasMessageContaining("key1");
        assertThat(other.decrypt(underNew)).isEqualTo(SECRET);
    }

    @Test
    void thePlaintextCodecChangesNothing() {
        assertThat(SecretCodec.plaintext().encrypt(SECRET)).isEqualTo(SECRET);
        assertThat(SecretCodec.plaintext().decrypt(SECRET)).isEqualTo(SECRET);
    }
}
