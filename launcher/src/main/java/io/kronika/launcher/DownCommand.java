package io.kronika.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kronika down}: stops the cluster of a data directory cleanly (SIGTERM, then waits). */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the cluster running with a data dir.")
public final class DownCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "./data", description = "Data dir of the cluster (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "PT1M", description = "How long to wait for a clean stop before killing (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath().normalize();
        Optional<ClusterStatus> status = ClusterStatus.readFrom(dir);
        Optional<ProcessHandle> process = status.flatMap(s -> ProcessHandle.of(s.pid())).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            System.out.println("kronika: no cluster runs with data dir " + dir);
            return 0;
        }
        System.out.println("kronika: stopping the cluster (pid " + process.get().pid() + ")");
        process.get().destroy();
        try {
            process.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("kronika: no clean stop after " + timeout + "; killing it (no acknowledged write is lost)");
            process.get().destroyForcibly();
            process.get().onExit().get();
        }
        System.out.println("kronika: stopped");
        return 0;
    }
}
