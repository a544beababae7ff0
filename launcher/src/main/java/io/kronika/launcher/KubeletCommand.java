package io.kronika.launcher;

import io.kronika.kubelet.KubeletConfig;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.runtime.sim.SimRuntime;
import io.kronika.launcher.security.NodeEndpointCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import io.kronika.launcher.security.ComponentKeys;
import io.kronika.schemas.auth.ComponentCredentials;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code kronika kubelet}: node agents as their own process against any Kronika cluster. Finds the cluster from the
 * options, or from the status file of a cluster started with {@code kronika up} in {@code --data-dir}.
 */
@Command(name = "kubelet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run node agents (kubelets) against a Kronika cluster.",
                "%nRegisters the node(s), heartbeats, and runs the pods bound to them with the chosen runtime: docker (a "
                        + "Docker engine), process (host processes) or sim (simulated, thousands per process).%n"})
public final class KubeletCommand implements Callable<Integer> {
    @Option(names = "--node", defaultValue = "${env:HOSTNAME:-node}", description = "Node name; with --nodes N > 1 the prefix of N names (default: the host name)")
    String node;

    @Option(names = "--credential-file", description = "Component credential of system:node:<node> (kronika certs component-key); "
            + "default: derived from <data-dir>/pki/components.key when readable")
    Path credentialFile;

    @Option(names = "--nodes", defaultValue = "1", description = "How many nodes to run in this process (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "docker, process, sim, or auto: docker when a Docker engine answers, else process (default: ${DEFAULT-VALUE})")
    String runtime;

    @Mixin
    ClusterConnection connection;

    @Option(names = "--root-dir", description = "Kubelet state: volumes, logs, process records (default: <data-dir>/kubelet)")
    Path rootDir;

    @Option(names = "--endpoint-host", defaultValue = "127.0.0.1", description = "Address of the node endpoint (logs, exec, port-forward) (default: ${DEFAULT-VALUE})")
    String endpointHost;

    @Option(names = "--endpoint-port", defaultValue = "0", description = "Port of the node endpoint (default: a free one)")
    int endpointPort;

    @Option(names = "--advertise-address", defaultValue = "127.0.0.1", description = "Address announced in the Node (default: ${DEFAULT-VALUE})")
    String advertiseAddress;

    @Option(names = "--insecure-http", description = "Serve the node endpoint over plain HTTP without authentication, for a cluster "
            + "started with --insecure-http (default: HTTPS with a certificate from the data dir's cluster CA when it has one)")
    boolean insecureHttp;

    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock", description = "Docker engine (default: ${DEFAULT-VALUE})")
    String dockerHost;

    @Option(names = "--max-pods", defaultValue = "110", description = "Pods per node (default: ${DEFAULT-VALUE})")
    int maxPods;

    @Option(names = "--sim-cpu", defaultValue = "32", description = "sim: cores per node (default: ${DEFAULT-VALUE})")
    int simCpu;

    @Option(names = "--sim-memory-gi", defaultValue = "256", description = "sim: memory per node in GiB (default: ${DEFAULT-VALUE})")
    long simMemoryGi;

    @Option(names = "--sim-start-delay", defaultValue = "PT0.2S", description = "sim: created → running (default: ${DEFAULT-VALUE})")
    Duration simStartDelay;

    @Option(names = "--sim-run-duration", defaultValue = "PT5S", description = "sim: how long ending containers run (default: ${DEFAULT-VALUE})")
    Duration simRunDuration;

    @Option(names = "--sim-crash-rate", defaultValue = "0", description = "sim: probability that a container crashes (default: ${DEFAULT-VALUE})")
    double simCrashRate;

    @Option(names = "--sim-pull-failure-rate", defaultValue = "0", description = "sim: probability that a pull fails (default: ${DEFAULT-VALUE})")
    double simPullFailureRate;

    @Override
    public Integer call() throws Exception {
        Optional<ClusterConnection.Target> target = connection.resolve();
        if (target.isEmpty()) {
            System.err.println(ClusterConnection.notFoundMessage("kubelet"));
            return 2;
        }
        if (nodes < 1) {
            System.err.println("kronika kubelet: --nodes must be at least 1");
            return 2;
        }
        String chosen = KubeletFleet.resolveRuntime(runtime, dockerHost);
        Path root = (rootDir != null ? rootDir : connection.dataDir().resolve("kubelet")).toAbsolutePath().normalize();
        Files.createDirectories(root);
        ComponentProcess process = ComponentProcess.start("kubelet", "kubelet-" + node, target.get(), root);
        try {
            // Each node's commands are signed as that node (system:node:NAME), also when one process runs a fleet.
            String signing = ComponentKeys.signNodes(process.client(), KubeletFleet.names(node, nodes), credentialFile,
                    connection.dataDir());
            ComponentKeys.announce("kubelet", ComponentCredentials.NODE_PREFIX + node, signing,
                    connection.dataDir());
            KubeletServices services = process.add(KubeletServices.start(target.get().bootstrapServers(), target.get().topics(),
                    process.registry(), process.client(), process.feed(), process.view(),
                    KubeletServices.Settings.defaults().withServer(endpointHost, endpointPort, advertiseAddress)
                            .withTls(insecureHttp ? null : NodeEndpointCertificates.forKubeletProcess(connection.dataDir(),
                                    List.of(endpointHost, advertiseAddress)).orElse(null))));
            SimRuntime.Settings sim = SimRuntime.Settings.defaults().withCapacity(simCpu * 1000L, simMemoryGi << 30)
                    .withDelays(simStartDelay, simRunDuration).withFailureRates(simCrashRate, simPullFailureRate);
            process.add(KubeletFleet.start(services, KubeletFleet.Options.of(chosen, KubeletFleet.names(node, nodes), root)
                    .withDockerHost(dockerHost).withSim(sim)
                    .withConfig((name, dir) -> KubeletConfig.defaults(name, dir).withCapacity(0, 0, maxPods))));
            System.out.println("kronika kubelet: " + nodes + " node(s) " + KubeletFleet.names(node, nodes).get(0)
                    + (nodes > 1 ? " …" : "") + " running with the " + chosen + " runtime"
                    + (KubeletFleet.AUTO.equals(runtime) ? " (auto: " + (KubeletFleet.DOCKER.equals(chosen)
                    ? "a Docker engine answers at " + dockerHost : "no Docker engine answers at " + dockerHost) + ")" : ""));
            System.out.println("kronika kubelet: node endpoint " + services.endpoint() + "; Ctrl-C stops (containers keep running)");
        } catch (Exception | Error e) {
            process.close();
            throw e;
        }
        return process.runUntilStopped();
    }
}
