package io.kronika.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.replay.Jsons;
import io.kronika.replay.Times;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code kronika history kubeconfig --revision R | --time T}: the cluster's kubeconfig (its credentials and CA kept)
 * with the server moved to the gateway's time-travel URL, so that every kubectl command reads the past.
 */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a kubeconfig whose server is the API as it was at a revision or a moment.",
                "%nkubectl then reads the past: get, describe, get -w (from that moment on), api-resources, explain. "
                        + "Writes are refused with 405.%n"})
public final class HistoryKubeconfigCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    Moment moment;

    static final class Moment {
        @Option(names = "--revision", required = true, description = "The revision (a resourceVersion of the cluster)")
        Long revision;
        @Option(names = "--time", required = true, description = "The moment: RFC 3339 (2026-01-02T03:04:05Z) or an age such as 15m; "
                + "the state after the last event at or before it")
        String time;
    }

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data dir of the running cluster: its status file names the API, "
            + "its kubeconfig the credentials (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the kubeconfig here (default: print it)")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (moment.revision != null && moment.revision < 0) {
            System.err.println("kronika history kubeconfig: --revision must be 0 or more");
            return HistoryCommand.BAD_USAGE;
        }
        String path;
        String suffix;
        if (moment.revision != null) {
            path = "/history/revision/" + moment.revision;
            suffix = "revision-" + moment.revision;
        } else {
            Instant time;
            try {
                time = Times.parse(moment.time, Instant.now());
            } catch (IllegalArgumentException e) {
                System.err.println("kronika history kubeconfig: " + e.getMessage());
                return HistoryCommand.BAD_USAGE;
            }
            path = "/history/time/" + time;
            suffix = "time-" + time.toString().replace(':', '-');
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Path live = dir.resolve(Kubeconfig.FILE);
        String apiUrl = ClusterStatus.readFrom(dir).map(ClusterStatus::apiUrl).orElse(null);
        if (!Files.exists(live) && apiUrl == null) {
            System.err.println("kronika history kubeconfig: no cluster with an API in " + dir + " (no kubeconfig, no status file). "
                    + "Start one with ./kronika up -d --data-dir " + dataDir + ", or pass the --data-dir of a running one.");
            return HistoryCommand.BAD_USAGE;
        }
        ObjectNode config = Files.exists(live) ? (ObjectNode) Jsons.YAML.readTree(live.toFile()) : minimal(apiUrl);
        String yaml = Jsons.YAML.writeValueAsString(pastOf(config, apiUrl, path, suffix));
        if (out == null) {
            System.out.print(yaml);
            return 0;
        }
        write(out, yaml);
        System.err.println("kronika history kubeconfig: wrote " + out + "; try: kubectl --kubeconfig " + out + " get pods -A");
        return 0;
    }

    /**
     * {@code config} with each cluster's server at {@code pastPath} under the API URL ({@code apiUrl}, else the
     * server it names), and cluster and context names suffixed so it can sit next to the live kubeconfig.
     */
    static ObjectNode pastOf(ObjectNode config, String apiUrl, String pastPath, String suffix) {
        ObjectNode past = config.deepCopy();
        for (JsonNode cluster : past.path("clusters")) {
            ObjectNode details = (ObjectNode) cluster.path("cluster");
            String base = apiUrl != null ? apiUrl : details.path("server").asText();
            details.put("server", base.replaceAll("/+$", "") + pastPath);
            ((ObjectNode) cluster).put("name", cluster.path("name").asText() + "-" + suffix);
        }
        for (JsonNode context : past.path("contexts")) {
            ((ObjectNode) context).put("name", context.path("name").asText() + "-" + suffix);
            ObjectNode details = (ObjectNode) context.path("context");
            details.put("cluster", details.path("cluster").asText() + "-" + suffix);
        }
        if (past.hasNonNull("current-context")) {
            past.put("current-context", past.get("current-context").asText() + "-" + suffix);
        }
        return past;
    }

    private static ObjectNode minimal(String apiUrl) {
        ObjectNode config = Jsons.object();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        ObjectNode cluster = config.putArray("clusters").addObject();
        cluster.put("name", "kronika");
        cluster.putObject("cluster").put("server", apiUrl);
        ObjectNode context = config.putArray("contexts").addObject();
        context.put("name", "kronika");
        context.putObject("context").put("cluster", "kronika").put("user", "kronika-admin").put("namespace", "default");
        config.put("current-context", "kronika");
        config.putArray("users").addObject().put("name", "kronika-admin").putObject("user");
        return config;
    }

    /** Owner-only, like the live kubeconfig: it may carry the admin's token. */
    private static void write(Path file, String yaml) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, yaml);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
