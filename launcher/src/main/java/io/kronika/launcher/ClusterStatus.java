package io.kronika.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a running cluster writes to {@code <data-dir>/kronika.status.json}: its process, its state and where each
 * part listens. {@code down} and {@code status} read it; {@code up -d} waits for state READY.
 */
public record ClusterStatus(long pid, String state, String dataDir, String kafkaBootstrap, boolean embeddedKafka,
                            String schemaRegistryUrl, boolean embeddedSchemaRegistry, String topicPrefix,
                            String apiUrl, String startedAt, String message) {
    public static final String FILE = "kronika.status.json";
    public static final String STARTING = "STARTING";
    public static final String READY = "READY";
    public static final String STOPPING = "STOPPING";
    public static final String STOPPED = "STOPPED";
    public static final String FAILED = "FAILED";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ClusterStatus withState(String newState, String newMessage) {
        return new ClusterStatus(pid, newState, dataDir, kafkaBootstrap, embeddedKafka, schemaRegistryUrl,
                embeddedSchemaRegistry, topicPrefix, apiUrl, startedAt, newMessage);
    }

    public void writeTo(Path dataDir) throws IOException {
        Path tmp = dataDir.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Optional<ClusterStatus> readFrom(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ClusterStatus.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
