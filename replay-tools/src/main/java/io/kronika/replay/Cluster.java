package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.schemas.registry.HttpSchemaRegistryClient;
import io.kronika.schemas.registry.SchemaRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a cluster's log is: the Kafka bootstrap servers, the schema registry, the topic prefix, and (when known) the
 * API URL of its gateway. Found through {@code <data-dir>/kronika.status.json} or given directly.
 */
public record Cluster(String bootstrapServers, SchemaRegistry registry, TopicNames topics, String apiUrl, Path kubeconfig) {
    public static final String STATUS_FILE = "kronika.status.json";
    /** The admin kubeconfig {@code up} writes next to the status file: the API's CA and token (null: none known). */
    public static final String KUBECONFIG_FILE = "kubeconfig";

    public Cluster(String bootstrapServers, SchemaRegistry registry, TopicNames topics, String apiUrl) {
        this(bootstrapServers, registry, topics, apiUrl, null);
    }

    public static Cluster of(String bootstrapServers, String schemaRegistryUrl, String topicPrefix, String apiUrl) {
        return new Cluster(bootstrapServers, new HttpSchemaRegistryClient(schemaRegistryUrl),
                new TopicNames(topicPrefix == null ? TopicNames.DEFAULT_PREFIX : topicPrefix), apiUrl);
    }

    /** Reads the status file a running cluster writes into its data directory. */
    public static Cluster fromDataDir(Path dataDir) {
        Path file = dataDir.resolve(STATUS_FILE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("No " + STATUS_FILE + " in " + dataDir + ": is a cluster running there (kronika up -d --data-dir " + dataDir + ")?");
        }
        try {
            JsonNode status = Jsons.JSON.readTree(file.toFile());
            String bootstrap = text(status, "kafkaBootstrap");
            String registry = text(status, "schemaRegistryUrl");
            if (bootstrap == null || registry == null) {
                throw new IllegalArgumentException(file + " names no kafkaBootstrap or schemaRegistryUrl (state " + text(status, "state") + ")");
            }
            Cluster found = of(bootstrap, registry, text(status, "topicPrefix"), text(status, "apiUrl"));
            Path kubeconfig = dataDir.resolve(KUBECONFIG_FILE);
            return Files.exists(kubeconfig) ? found.withKubeconfig(kubeconfig) : found;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * The cluster named by the command line: {@code --data-dir} or {@code --bootstrap-servers} with
     * {@code --schema-registry-url}; explicit values override the status file's.
     */
    public static Cluster resolve(Path dataDir, String bootstrapServers, String schemaRegistryUrl, String topicPrefix, String apiUrl) {
        if (bootstrapServers != null && schemaRegistryUrl != null) {
            String prefix = topicPrefix;
            String api = apiUrl;
            if (dataDir != null && Files.exists(dataDir.resolve(STATUS_FILE))) {
                Cluster fromFile = fromDataDir(dataDir);
                prefix = prefix == null ? fromFile.topics().prefix() : prefix;
                api = api == null ? fromFile.apiUrl() : api;
            }
            Cluster given = of(bootstrapServers, schemaRegistryUrl, prefix, api);
            return dataDir != null && apiUrl == null && Files.exists(dataDir.resolve(KUBECONFIG_FILE))
                    ? given.withKubeconfig(dataDir.resolve(KUBECONFIG_FILE)) : given;
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("Name the cluster: --data-dir DIR, or --bootstrap-servers and --schema-registry-url");
        }
        Cluster c = fromDataDir(dataDir);
        return new Cluster(bootstrapServers != null ? bootstrapServers : c.bootstrapServers(),
                schemaRegistryUrl != null ? new HttpSchemaRegistryClient(schemaRegistryUrl) : c.registry(),
                topicPrefix != null ? new TopicNames(topicPrefix) : c.topics(), apiUrl != null ? apiUrl : c.apiUrl(),
                apiUrl != null ? null : c.kubeconfig());
    }

    public Cluster withKubeconfig(Path file) {
        return new Cluster(bootstrapServers, registry, topics, apiUrl, file);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
