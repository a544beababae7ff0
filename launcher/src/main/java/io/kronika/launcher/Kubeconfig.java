package io.kronika.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code <data-dir>/kubeconfig} for kubectl and client libraries once the API answers. */
final class Kubeconfig {
    static final String FILE = "kubeconfig";

    private Kubeconfig() {
    }

    static Path write(Path dataDir, String clusterName, String apiUrl) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-admin
                    namespace: default
                current-context: %1$s
                users:
                - name: %1$s-admin
                  user: {}
                """.formatted(clusterName, apiUrl);
        Path file = dataDir.resolve(FILE);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
