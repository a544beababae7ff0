package io.kronika.kubelet.testing;

import io.kronika.kubelet.runtime.docker.DockerRuntime;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a Docker engine answers and the local images exist before the docker runtime's tests, by running the
 * project's {@code scripts/docker-engine.sh ensure} (it installs and starts dockerd when none answers). Tests fail,
 * never skip, when that is impossible.
 */
public final class DockerEngine {
    public static final String HOST = "unix:///var/run/docker.sock";
    public static final String BUSYBOX = "kronika/busybox:local";
    private static boolean ready;

    private DockerEngine() {
    }

    public static synchronized void ensure() throws Exception {
        if (ready) {
            return;
        }
        Path scripts = Path.of(System.getProperty("kronika.scripts.dir", "../scripts"));
        Process process = new ProcessBuilder("bash", scripts.resolve("docker-engine.sh").toString(), "ensure")
                .redirectErrorStream(true).directory(new File(".")).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("scripts/docker-engine.sh ensure failed:\n" + output);
        }
        if (!DockerRuntime.engineAnswers(HOST)) {
            throw new IllegalStateException("No Docker engine answers at " + HOST + " after scripts/docker-engine.sh:\n" + output);
        }
        ready = true;
    }
}
