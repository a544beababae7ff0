package io.kronika.launcher.bench;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Kronika through its command client: each write is an UPDATE of the writer's ConfigMap with
 * {@code expectedResourceVersion} = the revision of its last accepted write, decided by the admission processor.
 */
final class KronikaDriver implements WorkloadDriver {
    private static final Actor ACTOR = Commands.actor("system:kronika-bench", "bench", "system:masters");

    private final CommandClient client;
    private final String namePrefix;
    private ObjectRef[] refs = new ObjectRef[0];
    private long[] revisions = new long[0];
    private long[] sequences = new long[0];

    /** {@code namePrefix} keeps the ConfigMaps of different runs apart when they share a Kafka. */
    KronikaDriver(CommandClient client, String namePrefix) {
        this.client = client;
        this.namePrefix = namePrefix;
    }

    @Override
    public String system() {
        return "kronika";
    }

    @Override
    public void prepare(int writers) throws Exception {
        refs = new ObjectRef[writers];
        revisions = new long[writers];
        sequences = new long[writers];
        List<CompletableFuture<CommandResult>> created = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String name = namePrefix + String.format("%04d", i);
            refs[i] = ObjectKeys.ref("", "ConfigMap", ConfigMapBodies.NAMESPACE, name);
            created.add(client.submit(Commands.create(refs[i], ConfigMapBodies.json(name, 0), ACTOR)));
        }
        for (int i = 0; i < writers; i++) {
            CommandResult result = created.get(i).get(60, TimeUnit.SECONDS);
            if (result.getOutcome() != Outcome.ACCEPTED) {
                throw new IllegalStateException("Creating ConfigMap " + refs[i].getName() + " was rejected: "
                        + result.getReason() + " " + result.getMessage());
            }
            revisions[i] = result.getRevision();
        }
    }

    @Override
    public CompletableFuture<WriteOutcome> write(int writer) {
        long sequence = ++sequences[writer];
        String json = ConfigMapBodies.json(refs[writer].getName(), sequence);
        return client.submit(Commands.update(refs[writer], json, revisions[writer], ACTOR)).thenApply(result -> {
            if (result.getOutcome() == Outcome.ACCEPTED) {
                revisions[writer] = result.getRevision();
                return WriteOutcome.ACCEPTED;
            }
            return WriteOutcome.rejected(result.getReason() + ": " + result.getMessage());
        });
    }

    /** Deletes the writers' ConfigMaps (used on a shared Kafka); best effort. */
    void deleteObjects() {
        List<CompletableFuture<CommandResult>> deleted = new ArrayList<>();
        for (int i = 0; i < refs.length; i++) {
            deleted.add(client.submit(Commands.delete(refs[i], revisions[i], null, ACTOR)));
        }
        CompletableFuture.allOf(deleted.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
