package io.kronika.projections.secrets;

import io.kronika.schemas.secrets.SecretCodec;
import io.kronika.schemas.secrets.SecretDecryptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decrypting for readers: a value whose key is gone stays encrypted (readers see ciphertext, never a failure loop). */
final class SecretReads {
    private static final Logger LOG = LoggerFactory.getLogger(SecretReads.class);

    private SecretReads() {
    }

    static String decrypt(SecretCodec secrets, String json, String key) {
        try {
            return secrets.decrypt(json);
        } catch (SecretDecryptionException e) {
            LOG.warn("Secret {} is served encrypted: {}", key, e.getMessage());
            return json;
        }
    }
}
