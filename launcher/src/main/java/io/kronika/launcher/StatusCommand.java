package io.kronika.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kronika status}: what runs with a data directory and where it listens. Exit 0 when ready, 3 when not running. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show what runs with a data dir and where it listens.")
public final class StatusCommand implements Callable<Integer> {
    static final int NOT_RUNNING = 3;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data dir of the cluster (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Override
    public Integer call() {
        Path dir = dataDir.toAbsolutePath().normalize();
        Optional<ClusterStatus> status = ClusterStatus.readFrom(dir);
        if (status.isEmpty()) {
            System.out.println("kronika: no cluster has run with data dir " + dir + "; start one with ./kronika up --data-dir " + dir);
            return NOT_RUNNING;
        }
        ClusterStatus s = status.get();
        if (!s.processAlive()) {
            System.out.println("kronika: not running (last state " + s.state() + ": " + s.message() + "); data dir " + dir);
            return NOT_RUNNING;
        }
        System.out.println("kronika: " + s.state() + " (pid " + s.pid() + ", since " + s.startedAt() + ")");
        if (ClusterStatus.READY.equals(s.state())) {
            UpCommand.printEndpoints(s);
            return 0;
        }
        return 1;
    }
}
