package io.kronika.schemas.secrets;

/** A Secret value that can not be decrypted: its key is gone from the key file, or the text was altered. Never carries the value. */
public final class SecretDecryptionException extends IllegalStateException {
    public SecretDecryptionException(String message) {
        super(message);
    }
}
