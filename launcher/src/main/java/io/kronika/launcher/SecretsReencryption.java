package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.log.EventLogReader;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.secrets.SecretCodec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves every Secret to the primary key: the current Secrets are folded from the events topic and each is sent back
 * as an update of its decrypted self, which the client encrypts under the primary key. Admission appends an event only
 * where the stored text changes, so Secrets already under the primary key stay as they are. A Secret changed since it
 * was read fails its precondition; that change was written under the primary key already (the key file was rotated
 * before the log was read), so it needs nothing more.
 */
final class SecretsReencryption {
    static final Actor ACTOR = Commands.actor("system:kronika:secrets-rotation", "kronika-secrets", "system:masters");

    record Report(int reencrypted, int unchanged, int changedMeanwhile, int failed) {
    }

    private SecretsReencryption() {
    }

    /** {@code dataDir}: where the component master key is, to sign as the cluster's trusted component (unsigned without it). */
    static Report run(ClusterConnection.Target target, SchemaRegistry registry, SecretCodec secrets, java.nio.file.Path dataDir) throws Exception {
        Map<String, ObjectEvent> current = new LinkedHashMap<>();
        EventLogReader.readAll(target.bootstrapServers(), target.topics().events(), registry, event -> {
            if (!SecretCodec.isSecret(event.getRef())) {
                return;
            }
            String key = ObjectKeys.of(event.getRef());
            if (event.getType() == EventType.DELETED) {
                current.remove(key);
            } else {
                current.put(key, event);
            }
        });
        int reencrypted = 0;
        int unchanged = 0;
        int changedMeanwhile = 0;
        int failed = 0;
        try (CommandClient client = new CommandClient(target.bootstrapServers(), target.topics(), registry,
                "kronika-secrets-rotation", secrets)) {
            io.kronika.launcher.security.ComponentKeys.sign(client, io.kronika.schemas.auth.ComponentCredentials.TRUSTED, null, dataDir);
            for (ObjectEvent secret : current.values()) {
                String plain;
                try {
                    plain = secrets.decrypt(secret.getObject());
                } catch (IllegalStateException e) {
                    System.err.println("kronika secrets: " + ObjectKeys.of(secret.getRef()) + ": " + e.getMessage());
                    failed++;
                    continue;
                }
                CommandResult result = client.submit(Commands.update(secret.getRef(), plain, secret.getRevision(), ACTOR))
                        .get(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (result.getOutcome() == Outcome.ACCEPTED) {
                    if (result.getRevision() != null && result.getRevision() > secret.getRevision()) {
                        reencrypted++;
                    } else {
                        unchanged++;
                    }
                } else if (result.getCode() == 409 || result.getCode() == 404) {
                    changedMeanwhile++;
                } else {
                    System.err.println("kronika secrets: " + ObjectKeys.of(secret.getRef()) + " was refused: " + result.getMessage());
                    failed++;
                }
            }
        }
        return new Report(reencrypted, unchanged, changedMeanwhile, failed);
    }
}
