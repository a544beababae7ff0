package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.runtime.Mount;
import io.kronika.kubelet.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pod's volumes on the node's disk under {@code <podDir>/volumes}: emptyDir, hostPath, configMap, secret,
 * downwardAPI and projected (configMap, secret, downwardAPI and serviceAccountToken sources); and the mounts a container gets from its
 * volumeMounts. Contents are written when the pod starts.
 */
public final class PodVolumes {
    private final ObjectLookup objects;
    private final PodTokens tokens;

    public PodVolumes(ObjectLookup objects) {
        this.objects = objects;
        this.tokens = new PodTokens(objects, java.time.Clock.systemUTC());
    }

    /** Prepares every volume of the pod; returns volume name → host path. */
    public Map<String, Path> prepare(JsonNode pod, Path podDir, EnvResolver.PodFacts facts) throws ConfigError {
        String namespace = Json.text(pod, "metadata", "namespace");
        Map<String, Path> paths = new HashMap<>();
        try {
            for (JsonNode volume : Json.list(pod, "spec", "volumes")) {
                String name = Json.text(volume, "name");
                Path dir;
                if (volume.has("hostPath")) {
                    dir = Path.of(Json.text(volume.get("hostPath"), "path"));
                    String type = Json.textOr(volume.get("hostPath"), "type", "");
                    if (type.equals("DirectoryOrCreate")) {
                        Files.createDirectories(dir);
                    } else if (type.equals("FileOrCreate") && !Files.exists(dir)) {
                        Files.createDirectories(dir.getParent());
                        Files.createFile(dir);
                    } else if ((type.equals("Directory") && !Files.isDirectory(dir)) || (type.equals("File") && !Files.isRegularFile(dir))) {
                        throw new ConfigError("hostPath type check failed: " + dir + " is not a " + type);
                    }
                } else if (volume.has("configMap")) {
                    dir = fresh(podDir, "configmap", name);
                    JsonNode source = volume.get("configMap");
                    Optional<JsonNode> cm = objects.get("ConfigMap", namespace, Json.text(source, "name"));
                    if (cm.isEmpty() && !Json.bool(source, "optional")) {
                        throw new ConfigError("configmap \"" + Json.text(source, "name") + "\" not found");
                    }
                    writeItems(dir, cm.map(PodVolumes::configMapBytes).orElse(Map.of()), source, "ConfigMap", namespace);
                } else if (volume.has("secret")) {
                    dir = fresh(podDir, "secret", name);
                    JsonNode source = volume.get("secret");
                    Optional<JsonNode> secret = objects.get("Secret", namespace, Json.text(source, "secretName"));
                    if (secret.isEmpty() && !Json.bool(source, "optional")) {
                        throw new ConfigError("secret \"" + Json.text(source, "secretName") + "\" not found");
                    }
                    writeItems(dir, secret.map(EnvResolver::secretBytes).orElse(Map.of()), source, "Secret", namespace);
                } else if (volume.has("downwardAPI")) {
                    dir = fresh(podDir, "downward-api", name);
                    writeDownward(dir, pod, volume.get("downwardAPI"), facts);
                } else if (volume.has("projected")) {
                    dir = fresh(podDir, "projected", name);
                    for (JsonNode source : Json.list(volume, "projected", "sources")) {
                        if (source.has("configMap")) {
                            JsonNode s = source.get("configMap");
                            Optional<JsonNode> cm = objects.get("ConfigMap", namespace, Json.text(s, "name"));
                            if (cm.isEmpty() && !Json.bool(s, "optional")) {
                                throw new ConfigError("configmap \"" + Json.text(s, "name") + "\" not found");
                            }
                            writeItems(dir, cm.map(PodVolumes::configMapBytes).orElse(Map.of()), s, "ConfigMap", namespace);
                        } else if (source.has("secret")) {
                            JsonNode s = source.get("secret");
                            Optional<JsonNode> secret = objects.get("Secret", namespace, Json.text(s, "name"));
                            if (secret.isEmpty() && !Json.bool(s, "optional")) {
                                throw new ConfigError("secret \"" + Json.text(s, "name") + "\" not found");
                            }
                            writeItems(dir, secret.map(EnvResolver::secretBytes).orElse(Map.of()), s, "Secret", namespace);
                        } else if (source.has("downwardAPI")) {
                            writeDownward(dir, pod, source.get("downwardAPI"), facts);
                        } else if (source.has("serviceAccountToken")) {
                            JsonNode s = source.get("serviceAccountToken");
                            write(dir.resolve(Json.textOr(s, "path", "token")), tokens.token(pod, s),
                                    (int) Json.longAt(volume.get("projected"), 0644, "defaultMode"));
                        }
                    }
                } else {
                    // emptyDir, and kinds this node does not know: an empty directory of the pod.
                    dir = podDir.resolve("volumes").resolve("empty-dir").resolve(name);
                    Files.createDirectories(dir);
                }
                paths.put(name, dir);
            }
        } catch (IOException e) {
            throw new ConfigError("preparing volumes failed: " + e.getMessage());
        }
        return paths;
    }

    /** The container's volumeMounts as host paths (subPath included). */
    public static List<Mount> mounts(JsonNode container, Map<String, Path> volumes) throws ConfigError {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode mount : Json.list(container, "volumeMounts")) {
            String name = Json.text(mount, "name");
            Path host = volumes.get(name);
            if (host == null) {
                throw new ConfigError("volume \"" + name + "\" of volumeMount is not defined in the pod");
            }
            String subPath = Json.text(mount, "subPath");
            if (subPath != null && !subPath.isEmpty()) {
                host = host.resolve(subPath);
                try {
                    if (!Files.exists(host)) {
                        Files.createDirectories(host);
                    }
                } catch (IOException e) {
                    throw new ConfigError("subPath " + subPath + ": " + e.getMessage());
                }
            }
            mounts.add(new Mount(host.toString(), Json.text(mount, "mountPath"), Json.bool(mount, "readOnly")));
        }
        return mounts;
    }

    private static Map<String, byte[]> configMapBytes(JsonNode cm) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        Json.stringMap(cm, "data").forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        Json.stringMap(cm, "binaryData").forEach((k, v) -> data.put(k, java.util.Base64.getDecoder().decode(v)));
        return data;
    }

    private static void writeItems(Path dir, Map<String, byte[]> data, JsonNode source, String kind, String namespace)
            throws IOException, ConfigError {
        int defaultMode = (int) Json.longAt(source, 0644, "defaultMode");
        List<JsonNode> items = Json.list(source, "items");
        if (items.isEmpty()) {
            for (Map.Entry<String, byte[]> entry : data.entrySet()) {
                write(dir.resolve(entry.getKey()), entry.getValue(), defaultMode);
            }
            return;
        }
        for (JsonNode item : items) {
            String key = Json.text(item, "key");
            byte[] value = data.get(key);
            if (value == null) {
                if (Json.bool(source, "optional")) {
                    continue;
                }
                throw new ConfigError("configmap references non-existent config key: " + key + " (" + kind + " " + namespace + ")");
            }
            write(dir.resolve(Json.textOr(item, "path", key)), value, (int) Json.longAt(item, defaultMode, "mode"));
        }
    }

    private static void writeDownward(Path dir, JsonNode pod, JsonNode source, EnvResolver.PodFacts facts) throws IOException, ConfigError {
        int defaultMode = (int) Json.longAt(source, 0644, "defaultMode");
        for (JsonNode item : Json.list(source, "items")) {
            String value;
            if (item.has("fieldRef")) {
                value = EnvResolver.fieldRef(pod, Json.text(item.get("fieldRef"), "fieldPath"), facts);
            } else if (item.has("resourceFieldRef")) {
                JsonNode ref = item.get("resourceFieldRef");
                JsonNode container = PodSpecs.containers(pod).stream()
                        .filter(c -> Json.textOr(c, "name", "").equals(Json.textOr(ref, "containerName", ""))).findFirst()
                        .orElse(Json.object());
                value = EnvResolver.resourceFieldRef(pod, container, ref);
            } else {
                continue;
            }
            write(dir.resolve(Json.text(item, "path")), (value == null ? "" : value).getBytes(StandardCharsets.UTF_8),
                    (int) Json.longAt(item, defaultMode, "mode"));
        }
    }

    private static Path fresh(Path podDir, String type, String name) throws IOException {
        Path dir = podDir.resolve("volumes").resolve(type).resolve(name);
        Files.createDirectories(dir);
        return dir;
    }

    private static void write(Path file, byte[] content, int mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        try {
            Files.setPosixFilePermissions(file, permissions(mode));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
