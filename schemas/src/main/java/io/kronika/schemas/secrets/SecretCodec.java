package io.kronika.schemas.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.k8s.JsonTrees;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Encrypts the values of a Secret's {@code data} and {@code stringData} before they are written to the log, and
 * decrypts them for the readers that need plaintext. Each value becomes
 * {@code k8s:enc:aesgcm:v1:<key name>:<base64(nonce ‖ ciphertext ‖ tag)>} (AES-256-GCM, the entry's field and key
 * as associated data, so a value can not be moved to another entry). Metadata, type and the entry names stay readable:
 * admission, quotas, selectors and tables work on them.
 * <p>
 * The 96-bit nonce is synthetic: HMAC-SHA256 of the associated data and the plaintext under a key derived from the
 * AES key. The same value under the same key therefore encrypts to the same text, so an update that changes nothing
 * still writes nothing (admission compares objects), and distinct values never share a nonce. The cost is that
 * equal values of the same entry are recognisably equal in the log.
 */
public final class SecretCodec {
    public static final String PREFIX = "k8s:enc:aesgcm:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] NONCE_LABEL = "kronika secret nonce v1".getBytes(StandardCharsets.UTF_8);
    private static final String[] FIELDS = {"data", "stringData"};
    private static final SecretCodec PLAINTEXT = new SecretCodec(null);

    private final SecretKeyRing ring;

    private SecretCodec(SecretKeyRing ring) {
        this.ring = ring;
    }

    public static SecretCodec of(SecretKeyRing ring) {
        return new SecretCodec(ring);
    }

    /** Writes values as they are and leaves encrypted ones as they are: for tests and tools that hold no keys. */
    public static SecretCodec plaintext() {
        return PLAINTEXT;
    }

    public boolean encrypts() {
        return ring != null;
    }

    /** The key new values are encrypted with, or null for the plaintext codec. */
    public String primaryKeyName() {
        return ring == null ? null : ring.keys().primary();
    }

    /** Whether objects of this ref carry secret values (core/v1 Secret). */
    public static boolean isSecret(ObjectRef ref) {
        return ref != null && "Secret".equals(ref.getKind()) && (ref.getGroup() == null || ref.getGroup().isEmpty());
    }

    /** {@code json} with its data values encrypted under the primary key (already encrypted values are re-encrypted only if under another key). */
    public String encrypt(String json) {
        if (ring == null || json == null) {
            return json;
        }
        SecretKeyRing.Keys keys = ring.keys();
        return transform(json, false, (aad, value) -> {
            if (value.startsWith(PREFIX)) {
                if (value.startsWith(PREFIX + keys.primary() + ":")) {
                    return value;
                }
                value = open(keys, aad, value);
            }
            return seal(keys, aad, value);
        });
    }

    /** {@code json} with every encrypted value decrypted (the text itself when nothing is encrypted). */
    public String decrypt(String json) {
        if (json == null || !json.contains(PREFIX)) {
            return json;
        }
        if (ring == null) {
            return json;
        }
        SecretKeyRing.Keys keys = ring.keys();
        return transform(json, true, (aad, value) -> value.startsWith(PREFIX) ? open(keys, aad, value) : value);
    }

    /** The names of the keys the values of {@code json} are encrypted with (empty when none is encrypted). */
    public static java.util.Set<String> keyNames(String json) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        if (json == null || !json.contains(PREFIX)) {
            return names;
        }
        ObjectNode object = parse(json);
        for (String field : FIELDS) {
            object.path(field).forEach(value -> {
                String text = value.asText("");
                if (text.startsWith(PREFIX)) {
                    int end = text.indexOf(':', PREFIX.length());
                    names.add(end < 0 ? text.substring(PREFIX.length()) : text.substring(PREFIX.length(), end));
                }
            });
        }
        return names;
    }

    private interface ValueTransform {
        String apply(byte[] aad, String value);
    }

    private static String transform(String json, boolean onlyIfEncrypted, ValueTransform transform) {
        ObjectNode object = parse(json);
        boolean changed = false;
        for (String field : FIELDS) {
            JsonNode values = object.get(field);
            if (!(values instanceof ObjectNode entries)) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> it = entries.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    continue;
                }
                String value = entry.getValue().asText();
                if (onlyIfEncrypted && !value.startsWith(PREFIX)) {
                    continue;
                }
                String out = transform.apply(aad(field, entry.getKey()), value);
                if (!out.equals(value)) {
                    entry.setValue(object.textNode(out));
                    changed = true;
                }
            }
        }
        return changed ? JsonTrees.write(object) : json;
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode node = JsonTrees.MAPPER.readTree(json);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException("a Secret must be a JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("a Secret is not valid JSON", e);
        }
    }

    private static byte[] aad(String field, String entry) {
        return (field + "/" + entry).getBytes(StandardCharsets.UTF_8);
    }

    private static String seal(SecretKeyRing.Keys keys, byte[] aad, String value) {
        byte[] key = keys.key(keys.primary());
        byte[] plaintext = value.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] nonce = nonce(key, aad, plaintext);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + keys.primary() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private static String open(SecretKeyRing.Keys keys, byte[] aad, String value) {
        int colon = value.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new SecretDecryptionException("an encrypted Secret value has no key name");
        }
        String name = value.substring(PREFIX.length(), colon);
        byte[] key = keys.key(name);
        if (key == null) {
            throw new SecretDecryptionException("a Secret is encrypted with key '" + name
                    + "', which the key file no longer holds; restore the key or recreate the Secret");
        }
        try {
            byte[] in = Base64.getDecoder().decode(value.substring(colon + 1));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SecretDecryptionException("an encrypted Secret value is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(in, 0, NONCE_BYTES)));
            cipher.updateAAD(aad);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretDecryptionException("a Secret value encrypted with key '" + name + "' does not decrypt (wrong key or altered text)");
        }
    }

    private static byte[] nonce(byte[] key, byte[] aad, byte[] plaintext) throws GeneralSecurityException {
        Mac derive = Mac.getInstance("HmacSHA256");
        derive.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] nonceKey = derive.doFinal(NONCE_LABEL);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
        mac.update(aad);
        mac.update((byte) 0);
        return Arrays.copyOf(mac.doFinal(plaintext), NONCE_BYTES);
    }
}
