package io.kronika.kubelet;

import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.docker.DockerRuntime;
import io.kronika.kubelet.runtime.process.ProcessRuntime;
import io.kronika.kubelet.runtime.sim.SimRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * N kubelets of one runtime in this process, started in parallel on shared {@link KubeletServices}: what
 * {@code kronika kubelet} and {@code kronika up --nodes N --runtime …} run. Closing stops the kubelets (containers of
 * real runtimes keep running, as they do when a kubelet stops) and closes the runtimes.
 */
public final class KubeletFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletFleet.class);
    public static final String DOCKER = "docker";
    public static final String PROCESS = "process";
    public static final String SIM = "sim";
    public static final String AUTO = "auto";

    /**
     * @param runtime    docker, process, sim, or auto (docker when an engine answers, else process)
     * @param nodeNames  the nodes to run
     * @param rootDir    kubelet state (volumes, logs, process-runtime records): one directory per node below it
     * @param dockerHost the engine of the docker runtime
     * @param sim        settings of sim nodes
     * @param config     turns a node name and its directory into its configuration (defaults: Kubernetes')
     * @param serviceClusterIpRange the ClusterIP range docker-runtime pods route to the node (when it is loopback)
     */
    public record Options(String runtime, List<String> nodeNames, Path rootDir, String dockerHost, SimRuntime.Settings sim,
                          java.util.function.BiFunction<String, Path, KubeletConfig> config, String serviceClusterIpRange) {
        public static Options of(String runtime, List<String> nodeNames, Path rootDir) {
            return new Options(runtime, nodeNames, rootDir, DockerRuntime.Settings.defaults().dockerHost(), SimRuntime.Settings.defaults(),
                    KubeletConfig::defaults, DockerRuntime.Settings.defaults().serviceClusterIpRange());
        }

        public Options withSim(SimRuntime.Settings settings) {
            return new Options(runtime, nodeNames, rootDir, dockerHost, settings, config, serviceClusterIpRange);
        }

        public Options withConfig(java.util.function.BiFunction<String, Path, KubeletConfig> newConfig) {
            return new Options(runtime, nodeNames, rootDir, dockerHost, sim, newConfig, serviceClusterIpRange);
        }

        public Options withDockerHost(String host) {
            return new Options(runtime, nodeNames, rootDir, host, sim, config, serviceClusterIpRange);
        }

        public Options withServiceClusterIpRange(String range) {
            return new Options(runtime, nodeNames, rootDir, dockerHost, sim, config, range);
        }
    }

    private final String runtime;
    private final List<Kubelet> kubelets;
    private final List<ContainerRuntime> runtimes;

    private KubeletFleet(String runtime, List<Kubelet> kubelets, List<ContainerRuntime> runtimes) {
        this.runtime = runtime;
        this.kubelets = kubelets;
        this.runtimes = runtimes;
    }

    /** The runtime {@code auto} means here: docker when an engine answers at {@code dockerHost}, else process. */
    public static String resolveRuntime(String requested, String dockerHost) {
        if (requested == null || requested.isBlank() || AUTO.equals(requested)) {
            return DockerRuntime.engineAnswers(dockerHost) ? DOCKER : PROCESS;
        }
        if (!List.of(DOCKER, PROCESS, SIM).contains(requested)) {
            throw new IllegalArgumentException("unknown runtime " + requested + ": use docker, process, sim or auto");
        }
        return requested;
    }

    /** Node names: {@code prefix} alone for one node, else prefix-1 … prefix-N. */
    public static List<String> names(String prefix, int count) {
        if (count == 1) {
            return List.of(prefix);
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(prefix + "-" + i);
        }
        return names;
    }

    public static KubeletFleet start(KubeletServices services, Options options) throws Exception {
        String runtime = resolveRuntime(options.runtime(), options.dockerHost());
        Function<String, ContainerRuntime> factory = switch (runtime) {
            case DOCKER -> node -> new DockerRuntime(node, new DockerRuntime.Settings(options.dockerHost(),
                    DockerRuntime.Settings.defaults().sandboxImage(), "10m", 3, options.serviceClusterIpRange()));
            case PROCESS -> node -> new ProcessRuntime(node, ProcessRuntime.Settings.defaults(options.rootDir().resolve(node).resolve("runtime")));
            default -> node -> new SimRuntime(node, options.sim(), services.timers());
        };
        List<ContainerRuntime> runtimes = new ArrayList<>();
        List<Kubelet> kubelets = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(Math.min(16, Math.max(1, options.nodeNames().size())));
        try {
            List<Future<Kubelet>> starting = new ArrayList<>();
            for (String node : options.nodeNames()) {
                ContainerRuntime containerRuntime = factory.apply(node);
                runtimes.add(containerRuntime);
                Path dir = SIM.equals(runtime) ? null : options.rootDir().resolve(node);
                KubeletConfig config = options.config().apply(node, dir);
                if (SIM.equals(runtime) && config.rootDir() != null) {
                    config = config.withRootDir(null);
                }
                KubeletConfig finalConfig = config;
                starting.add(starter.submit(() -> Kubelet.start(services, finalConfig, containerRuntime)));
            }
            for (Future<Kubelet> f : starting) {
                kubelets.add(f.get());
            }
        } catch (Exception e) {
            kubelets.forEach(Kubelet::close);
            runtimes.forEach(ContainerRuntime::close);
            throw e;
        } finally {
            starter.shutdown();
        }
        LOG.info("{} kubelet(s) running with the {} runtime", kubelets.size(), runtime);
        return new KubeletFleet(runtime, kubelets, runtimes);
    }

    /** The runtime the fleet runs (auto resolved). */
    public String runtime() {
        return runtime;
    }

    public List<Kubelet> kubelets() {
        return kubelets;
    }

    @Override
    public void close() {
        kubelets.forEach(Kubelet::close);
        runtimes.forEach(ContainerRuntime::close);
    }
}
