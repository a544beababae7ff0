package io.kronika.launcher;

import io.kronika.controllers.ControllerManager;
import io.kronika.controllers.ControllerOptions;
import io.kronika.controllers.core.NodeLifecycleController;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import io.kronika.launcher.security.ComponentKeys;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code kronika controllers}: the controller manager as its own process against any Kronika cluster; several may run,
 * one leads (leader election through Kafka group membership).
 */
@Command(name = "controllers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the controllers (workloads, jobs, garbage collector, namespaces, nodes, endpoints, quotas, "
                + "volumes, service accounts) against a Kronika cluster.%n"})
public final class ControllersCommand implements Callable<Integer> {
    static final String PRINCIPAL = "system:kube-controller-manager";

    @Mixin
    ClusterConnection connection;

    @Option(names = "--credential-file", description = "Component credential of system:kube-controller-manager (kronika certs "
            + "component-key); default: derived from <data-dir>/pki/components.key when readable")
    Path credentialFile;

    @Option(names = "--state-dir", description = "State of this process's view (default: <data-dir>/controllers-<id>)")
    Path stateDir;

    @Option(names = "--id", defaultValue = "controllers-${env:HOSTNAME:-local}", description = "Member name in the leader election (default: ${DEFAULT-VALUE})")
    String id;

    @Option(names = "--leader-elect", defaultValue = "true", negatable = true, description = "Act only while leading (default: ${DEFAULT-VALUE})")
    boolean leaderElect;

    @Option(names = "--controllers", split = ",", description = "Controllers to run, by name (default: all; an unknown name lists them)")
    String[] controllers;

    @Option(names = "--node-monitor-grace-period", defaultValue = "PT40S", description = "Lease silence before a node is Unknown (default: ${DEFAULT-VALUE})")
    Duration nodeMonitorGracePeriod;

    @Option(names = "--node-monitor-period", defaultValue = "PT5S", description = "How often nodes are checked (default: ${DEFAULT-VALUE})")
    Duration nodeMonitorPeriod;

    @Option(names = "--default-toleration-seconds", defaultValue = "300", description = "Eviction delay of pods without a toleration of the unreachable taint (default: ${DEFAULT-VALUE})")
    long defaultTolerationSeconds;

    @Override
    public Integer call() throws Exception {
        Optional<ClusterConnection.Target> target = connection.resolve();
        if (target.isEmpty()) {
            System.err.println(ClusterConnection.notFoundMessage("controllers"));
            return 2;
        }
        Set<String> enabled = controllers == null ? ControllerManager.ALL : new LinkedHashSet<>(Arrays.asList(controllers));
        for (String name : enabled) {
            if (!ControllerManager.ALL.contains(name)) {
                System.err.println("kronika controllers: unknown controller " + name + "; known: " + ControllerManager.ALL);
                return 2;
            }
        }
        Path state = (stateDir != null ? stateDir : connection.dataDir().resolve(id)).toAbsolutePath().normalize();
        Files.createDirectories(state);
        ComponentProcess process = ComponentProcess.start("controllers", id, target.get(), state);
        try {
            String signing = ComponentKeys.sign(process.client(), PRINCIPAL, credentialFile, connection.dataDir());
            ComponentKeys.announce("controllers", PRINCIPAL, signing, connection.dataDir());
            process.add(ControllerManager.start(process.client(), process.view(), process.feed(), target.get().bootstrapServers(),
                    target.get().topics(), ControllerOptions.defaults()
                            .withInstanceId(id).withLeaderElection(leaderElect).withEnabled(enabled).withRootCa(rootCa(connection.dataDir()))
                            .withNodeLifecycle(new NodeLifecycleController.Settings(nodeMonitorPeriod, nodeMonitorGracePeriod, defaultTolerationSeconds))));
            System.out.println("kronika controllers: " + String.join(", ", enabled) + " running as " + id
                    + (leaderElect ? " (acting while it leads the controller-manager election)" : " (no leader election)"));
        } catch (Exception | Error e) {
            process.close();
            throw e;
        }
        return process.runUntilStopped();
    }

    /** The cluster CA that {@code up} keeps in the data dir, for kube-root-ca.crt; null (not published) when there is none. */
    private static String rootCa(Path dataDir) throws java.io.IOException {
        Path ca = dataDir.resolve(io.kronika.launcher.security.ClusterPki.DIR).resolve("ca.crt");
        return Files.isRegularFile(ca) ? Files.readString(ca) : null;
    }
}
