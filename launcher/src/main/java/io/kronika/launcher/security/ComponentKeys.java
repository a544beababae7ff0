package io.kronika.launcher.security;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.schemas.auth.ComponentCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The component master key ({@code <data-dir>/pki/components.key}, made once by {@code up}) that the admission
 * processor verifies command signatures with, and the credential files of single components: a principal and its
 * derived key ({@code kronika certs component-key}), for a component running where the master key is not.
 */
public final class ComponentKeys {
    public static final String FILE = "components.key";

    private ComponentKeys() {
    }

    /** Where the master key of the cluster in {@code dataDir} is. */
    public static Path masterFile(Path dataDir) {
        return dataDir.resolve(ClusterPki.DIR).resolve(FILE);
    }

    public static byte[] ensureMaster(Path dataDir) {
        Path file = masterFile(dataDir);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                ClusterPki.writePrivate(file, Base64.getEncoder().encodeToString(key) + "\n");
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the component master key " + file, e);
        }
    }

    /** Writes {@code principal}'s credential (its derived key) to {@code file}, owner-readable only. */
    public static void writeCredential(Path file, String principal, byte[] masterKey) throws IOException {
        ClusterPki.writePrivate(file, principal + "\n"
                + Base64.getEncoder().encodeToString(ComponentCredentials.derive(masterKey, principal)) + "\n");
    }

    /**
     * Says on the console how {@code component}'s commands are signed ({@code signing} as {@link #sign} returned it), or
     * warns that they are unsigned, which a cluster requiring signatures refuses, and how to get a key.
     */
    public static void announce(String component, String principal, String signing, Path dataDir) {
        if (signing != null) {
            System.out.println("kronika " + component + ": commands signed as " + principal + " (" + signing + ")");
            return;
        }
        System.err.println("kronika " + component + ": WARNING commands unsigned: no --credential-file and no readable "
                + masterFile(dataDir) + "; a cluster started without --allow-unsigned-commands refuses them (make a "
                + "credential with: kronika certs component-key " + principal + " --out FILE)");
    }

    /**
     * Makes {@code client} sign each node's commands as {@code system:node:NAME}: one node as {@link #sign} does; several
     * (one process running a fleet) each with its key derived from the data dir's master key, since a credential file
     * holds one principal. Returns how, or null when no key is available (unsigned).
     */
    public static String signNodes(CommandClient client, List<String> nodeNames, Path credentialFile, Path dataDir) {
        if (nodeNames.size() == 1) {
            return sign(client, ComponentCredentials.NODE_PREFIX + nodeNames.get(0), credentialFile, dataDir);
        }
        if (credentialFile != null) {
            throw new IllegalArgumentException("--credential-file holds the key of one node: run one kubelet process per node "
                    + "with its own credential, or run the fleet where <data-dir>/pki/" + FILE + " is readable");
        }
        Path master = masterFile(dataDir);
        if (!Files.isReadable(master)) {
            return null;
        }
        byte[] masterKey = ensureMaster(dataDir);
        java.util.Map<String, byte[]> keys = new java.util.HashMap<>();
        for (String node : nodeNames) {
            String principal = ComponentCredentials.NODE_PREFIX + node;
            keys.put(principal, ComponentCredentials.derive(masterKey, principal));
        }
        client.signAsActors(keys);
        return "keys of " + nodeNames.size() + " nodes derived from " + master;
    }

    /**
     * Makes {@code client} sign as {@code principal}: with the key in {@code credentialFile} when given, else derived from
     * the data dir's master key when it is readable here. Returns how, or null when neither is available (unsigned).
     */
    public static String sign(CommandClient client, String principal, Path credentialFile, Path dataDir) {
        try {
            if (credentialFile != null) {
                List<String> lines = Files.readAllLines(credentialFile, StandardCharsets.UTF_8);
                if (lines.size() < 2 || !lines.get(0).trim().equals(principal)) {
                    throw new IllegalArgumentException(credentialFile + " is not the credential of " + principal
                            + " (make one with: kronika certs component-key " + principal + " --out FILE)");
                }
                client.signAs(principal, Base64.getDecoder().decode(lines.get(1).trim()));
                return "credential " + credentialFile;
            }
            Path master = masterFile(dataDir);
            if (Files.isReadable(master)) {
                client.signAs(principal, ComponentCredentials.derive(ensureMaster(dataDir), principal));
                return "key derived from " + master;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the credential " + credentialFile, e);
        }
    }
}
