package io.kronika.kubelet.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.kronika.kubelet.util.QuietIo.deleteRecursively;

/**
 * The container logs of one node: {@code <root>/<namespace>_<pod>_<uid>/<container>/<attempt>.log}, as Kubernetes
 * lays out /var/log/pods; in memory when there is no root (sim nodes).
 */
public final class LogStore {
    private final Path root;
    private final long maxBytes;
    private final int maxFiles;
    private final int memoryLines;
    private final Map<String, ContainerLog> logs = new ConcurrentHashMap<>();

    public LogStore(Path root, long maxBytes, int maxFiles, int memoryLines) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.memoryLines = memoryLines;
    }

    /** The log of a container attempt, created when missing (reopening what a previous kubelet wrote). */
    public ContainerLog open(String namespace, String pod, String uid, String container, int attempt) {
        return logs.computeIfAbsent(key(uid, container, attempt), k -> root == null
                ? new ContainerLog(memoryLines)
                : new ContainerLog(podDir(namespace, pod, uid).resolve(container).resolve(attempt + ".log"), maxBytes, maxFiles));
    }

    /** An existing log: one this kubelet keeps, or one a previous kubelet left on disk. */
    public Optional<ContainerLog> find(String namespace, String pod, String uid, String container, int attempt) {
        ContainerLog log = logs.get(key(uid, container, attempt));
        if (log != null) {
            return Optional.of(log);
        }
        if (root != null && Files.exists(podDir(namespace, pod, uid).resolve(container).resolve(attempt + ".log"))) {
            ContainerLog reopened = open(namespace, pod, uid, container, attempt);
            return Optional.of(reopened);
        }
        return Optional.empty();
    }

    /** Forgets (and deletes) one attempt's log. */
    public void remove(String namespace, String pod, String uid, String container, int attempt) {
        ContainerLog log = logs.remove(key(uid, container, attempt));
        if (log != null) {
            log.close();
            for (Path file : log.files()) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Forgets and deletes every log of a pod. */
    public void removePod(String namespace, String pod, String uid) {
        logs.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(uid + "/")) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        if (root != null) {
            deleteRecursively(podDir(namespace, pod, uid));
        }
    }

    private Path podDir(String namespace, String pod, String uid) {
        return root.resolve(namespace + "_" + pod + "_" + uid);
    }

    private static String key(String uid, String container, int attempt) {
        return uid + "/" + container + "/" + attempt;
    }
}
