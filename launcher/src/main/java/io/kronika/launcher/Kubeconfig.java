package io.kronika.launcher;

import io.kronika.launcher.security.ClusterCredentials;
import io.kronika.launcher.security.ClusterCredentials.KubeconfigUser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes kubeconfig files for kubectl and client libraries: {@code <data-dir>/kubeconfig} once the API answers (the
 * admin token, and the cluster CA when the API serves TLS), and those of users issued a client certificate.
 */
final class Kubeconfig {
    static final String FILE = "kubeconfig";

    private Kubeconfig() {
    }

    /** {@code caPem} null: plain HTTP. {@code user} null: no credentials (an API that does not authenticate). */
    static Path write(Path file, String clusterName, String apiUrl, String caPem, KubeconfigUser user) throws IOException {
        String userName = user == null ? clusterName + "-admin" : user.name();
        // The admin's context keeps the cluster's name (scripts select it); other users' contexts are user@cluster.
        String context = user == null || user.name().equals(ClusterCredentials.ADMIN_USER) ? clusterName : userName + "@" + clusterName;
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                %3$scontexts:
                - name: %6$s
                  context:
                    cluster: %1$s
                    user: %4$s
                    namespace: default
                current-context: %6$s
                users:
                - name: %4$s
                  user:%5$s""".formatted(clusterName, apiUrl,
                caPem == null ? "" : "    certificate-authority-data: " + ClusterCredentials.base64(caPem) + "\n",
                userName, user == null ? " {}\n" : "\n" + user.yaml(), context);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
