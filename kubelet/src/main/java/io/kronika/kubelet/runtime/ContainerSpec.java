package io.kronika.kubelet.runtime;

import java.util.List;
import java.util.Map;

/**
 * One container to run, resolved by the kubelet: command and args as Kubernetes means them ({@code command}
 * replaces the image's entrypoint, {@code args} its cmd; null keeps the image's), the full environment, mounts,
 * and limits (0 = none).
 *
 * @param attempt       the restart count this container will have
 * @param init          an init container
 * @param restartPolicy the pod's (the sim runtime decides how its containers end from it)
 * @param podAnnotations the pod's annotations (the sim runtime reads its knobs from them)
 */
public record ContainerSpec(String podUid, String namespace, String podName, String name, int attempt, boolean init,
                            String image, List<String> command, List<String> args, String workingDir,
                            List<EnvVar> env, List<Mount> mounts, long cpuRequestMillis, long cpuLimitMillis,
                            long memoryRequestBytes, long memoryLimitBytes, boolean stdin, boolean stdinOnce, boolean tty,
                            String restartPolicy, Map<String, String> podAnnotations, Map<String, String> labels) {

    public record EnvVar(String name, String value) {
    }

    /** The whole command line as it will run: command (or entrypoint) then args. */
    public List<String> commandLine() {
        List<String> line = new java.util.ArrayList<>();
        if (command != null) {
            line.addAll(command);
        }
        if (args != null) {
            line.addAll(args);
        }
        return line;
    }
}
