package io.kronika.schemas.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AES-256 keys Secrets are encrypted with, kept in a JSON key file ({@code {"primary":"key2","keys":{"key1":
 * "<base64>","key2":"<base64>"}}}, mode 0600). New values are encrypted with the primary key; every key in the file
 * still decrypts. The file is re-read when it changes, so a running cluster picks up a rotation made by
 * {@code kronika secrets rotate-key} before the re-encrypting updates reach it.
 */
public final class SecretKeyRing {
    /** The key file's name inside a cluster's data directory. */
    public static final String FILE = "secrets-encryption.json";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One loaded version of the file. */
    public record Keys(String primary, Map<String, byte[]> byName) {
        public byte[] key(String name) {
            return byName.get(name);
        }
    }

    private final Path file;
    private volatile Keys keys;
    private volatile FileTime loadedModified;
    private volatile long loadedSize;

    private SecretKeyRing(Path file) {
        this.file = file;
        reload();
    }

    /** The ring of {@code file}, creating the file with one fresh key when it does not exist. */
    public static synchronized SecretKeyRing openOrCreate(Path file) {
        if (!Files.exists(file)) {
            Map<String, byte[]> keys = new LinkedHashMap<>();
            keys.put("key1", newKey());
            write(file, new Keys("key1", keys));
        }
        return open(file);
    }

    /** The ring of an existing key file. */
    public static SecretKeyRing open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No secrets key file at " + file + "; start the cluster with kronika up "
                    + "(it creates one) or give the file of the cluster");
        }
        return new SecretKeyRing(file);
    }

    public Path file() {
        return file;
    }

    /** The keys as the file holds them now. */
    public Keys keys() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(loadedModified) || Files.size(file) != loadedSize) {
                reload();
            }
        } catch (IOException e) {
            // The file vanished or is unreadable for a moment (being replaced): keep the keys already loaded.
        }
        return keys;
    }

    /** Adds a fresh key, makes it primary and returns its name; older keys stay and keep decrypting. */
    public synchronized String rotate() {
        Keys current = keys();
        int next = current.byName().size() + 1;
        while (current.byName().containsKey("key" + next)) {
            next++;
        }
        String name = "key" + next;
        Map<String, byte[]> updated = new LinkedHashMap<>(current.byName());
        updated.put(name, newKey());
        write(file, new Keys(name, updated));
        reload();
        return name;
    }

    /** Removes a key no Secret uses any more; the primary key can not be removed. */
    public synchronized void remove(String name) {
        Keys current = keys();
        if (name.equals(current.primary())) {
            throw new IllegalArgumentException("key " + name + " is the primary key; rotate first");
        }
        if (!current.byName().containsKey(name)) {
            throw new IllegalArgumentException("no key named " + name + " in " + file);
        }
        Map<String, byte[]> updated = new LinkedHashMap<>(current.byName());
        updated.remove(name);
        write(file, new Keys(current.primary(), updated));
        reload();
    }

    private synchronized void reload() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            JsonNode root = JsonTrees.MAPPER.readTree(Files.readAllBytes(file));
            Map<String, byte[]> byName = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = root.path("keys").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                byte[] key = Base64.getDecoder().decode(field.getValue().asText());
                if (key.length != KEY_BYTES) {
                    throw new IllegalStateException("key " + field.getKey() + " in " + file + " is not " + KEY_BYTES + " bytes");
                }
                byName.put(field.getKey(), key);
            }
            String primary = root.path("primary").asText();
            if (!byName.containsKey(primary)) {
                throw new IllegalStateException("the primary key '" + primary + "' is not among the keys of " + file);
            }
            keys = new Keys(primary, Map.copyOf(byName));
            loadedModified = modified;
            loadedSize = size;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the secrets key file " + file + " failed", e);
        }
    }

    private static void write(Path file, Keys keys) {
        ObjectNode root = JsonTrees.object();
        root.put("primary", keys.primary());
        ObjectNode byName = root.putObject("keys");
        keys.byName().forEach((name, key) -> byName.put(name, Base64.getEncoder().encodeToString(key)));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".secrets", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(temp, JsonTrees.write(root));
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the secrets key file " + file + " failed", e);
        }
    }

    private static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }
}
