package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child process of {@link AcknowledgedWritesSurviveSigkillTest}: runs a whole cluster and writes ConfigMaps without
 * pause, printing {@code ACK <name> <revision>} for every acknowledged write, until it is killed.
 */
public final class CrashingWriter {
    private static final int IN_FLIGHT = 16;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.kronika");
        ClusterOptions options = TestClusters.storeOnly(Path.of(args[0]));
        AllInOneCluster cluster = AllInOneCluster.start(options, line -> { });
        CommandClient client = cluster.commandClient();
        Actor actor = Commands.actor("crash-writer", "test");
        System.out.println("READY");
        System.out.flush();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger next = new AtomicInteger();
        while (true) {
            inFlight.acquire();
            String name = "w-" + next.getAndIncrement();
            String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"n\":\"" + name + "\"}}";
            client.submit(Commands.create(ObjectKeys.ref("", "ConfigMap", "default", name), json, actor))
                    .whenComplete((CommandResult result, Throwable error) -> {
                        if (error == null && result.getOutcome() == Outcome.ACCEPTED) {
                            synchronized (System.out) {
                                System.out.println("ACK " + name + " " + result.getRevision());
                                System.out.flush();
                            }
                        }
                        inFlight.release();
                    });
        }
    }
}
