package io.kronika.launcher;

import io.kronika.schemas.registry.HttpSchemaRegistryClient;
import io.kronika.schemas.secrets.SecretCodec;
import io.kronika.schemas.secrets.SecretKeyRing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kronika secrets rotate-key | remove-key NAME}: the keys Secrets are encrypted with in the log. */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Manage the keys Secrets are encrypted with in the log (secrets-encryption.json in the data dir).",
        subcommands = {SecretsCommand.RotateKey.class, SecretsCommand.RemoveKey.class})
public final class SecretsCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("kronika secrets: give a subcommand: rotate-key or remove-key NAME");
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Add a new primary key and re-encrypt every Secret with it by appending update events; older keys stay readable until removed.")
    static final class RotateKey implements Callable<Integer> {
        @Mixin
        ClusterConnection connection;

        @Override
        public Integer call() throws Exception {
            Optional<ClusterConnection.Target> target = connection.resolve();
            if (target.isEmpty()) {
                System.err.println(ClusterConnection.notFoundMessage("secrets rotate-key"));
                return 2;
            }
            SecretKeyRing ring = SecretKeyRing.open(target.get().secretsKeyFile());
            String key = ring.rotate();
            System.out.println("kronika secrets: " + key + " is the primary key in " + ring.file() + "; re-encrypting Secrets");
            SecretsReencryption.Report outcome = SecretsReencryption.run(target.get(),
                    new HttpSchemaRegistryClient(target.get().schemaRegistryUrl()), SecretCodec.of(ring), connection.dataDir());
            System.out.println("kronika secrets: " + outcome.reencrypted() + " Secret(s) re-encrypted, " + outcome.unchanged()
                    + " already under " + key + ", " + outcome.changedMeanwhile() + " changed meanwhile (written under " + key + ")"
                    + (outcome.failed() == 0 ? "" : ", " + outcome.failed() + " failed (see above); run rotate-key again"));
            return outcome.failed() == 0 ? 0 : 1;
        }
    }

    @Command(name = "remove-key", mixinStandardHelpOptions = true,
            description = "Remove a key that is no longer primary. Secrets still encrypted with it can no longer be read: rotate first.")
    static final class RemoveKey implements Callable<Integer> {
        @Mixin
        ClusterConnection connection;

        @Parameters(index = "0", description = "Name of the key, e.g. key1")
        String name;

        @Override
        public Integer call() {
            Optional<ClusterConnection.Target> target = connection.resolve();
            java.nio.file.Path file = target.map(ClusterConnection.Target::secretsKeyFile)
                    .orElse(connection.dataDir().resolve(SecretKeyRing.FILE));
            try {
                SecretKeyRing.open(file).remove(name);
            } catch (IllegalArgumentException | IllegalStateException e) {
                System.err.println("kronika secrets remove-key: " + e.getMessage());
                return 2;
            }
            System.out.println("kronika secrets: removed " + name + " from " + file);
            return 0;
        }
    }
}
