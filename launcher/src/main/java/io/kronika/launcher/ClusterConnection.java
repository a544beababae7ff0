package io.kronika.launcher;

import io.kronika.eventstore.topics.TopicNames;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a component started on its own finds its cluster: explicit flags, else the status file that
 * {@code kronika up} wrote into {@code --data-dir}. Used as a picocli mixin.
 */
public final class ClusterConnection {
    @Option(names = "--bootstrap-servers", description = "Kafka of the cluster (default: from the status file in --data-dir)")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Schema registry of the cluster (default: from the status file in --data-dir)")
    String schemaRegistryUrl;

    @Option(names = "--topic-prefix", description = "Topic prefix of the cluster (default: from the status file, else kronika.)")
    String topicPrefix;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data directory of a cluster started with kronika up (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--secrets-key-file", description = "Key file Secrets are encrypted with (default: secrets-encryption.json in --data-dir)")
    Path secretsKeyFile;

    /** Where the cluster is, resolved, and the key file its Secrets are encrypted with. */
    public record Target(String bootstrapServers, String schemaRegistryUrl, TopicNames topics, Path secretsKeyFile) {
    }

    /** The cluster these options name, or empty when neither the flags nor a status file say where it is. */
    public Optional<Target> resolve() {
        Optional<ClusterStatus> status = ClusterStatus.readFrom(dataDir());
        String bootstrap = bootstrapServers != null ? bootstrapServers : status.map(ClusterStatus::kafkaBootstrap).orElse(null);
        String registry = schemaRegistryUrl != null ? schemaRegistryUrl : status.map(ClusterStatus::schemaRegistryUrl).orElse(null);
        String prefix = topicPrefix != null ? topicPrefix : status.map(ClusterStatus::topicPrefix).orElse(TopicNames.DEFAULT_PREFIX);
        if (bootstrap == null || registry == null) {
            return Optional.empty();
        }
        Path keyFile = secretsKeyFile != null ? secretsKeyFile.toAbsolutePath() : dataDir().resolve(io.kronika.schemas.secrets.SecretKeyRing.FILE);
        return Optional.of(new Target(bootstrap, registry, new TopicNames(prefix), keyFile));
    }

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    static String notFoundMessage(String component) {
        return "kronika " + component + ": no cluster found: give --bootstrap-servers and --schema-registry-url, "
                + "or --data-dir of a cluster started with kronika up";
    }
}
