package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.k8s.JsonTrees;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * Kubernetes' ServiceAccount admission plugin for a pod being created: {@code spec.serviceAccountName} defaults to
 * {@code default}, and unless the pod (or, when the pod does not say, its account) sets automountServiceAccountToken
 * false, a projected volume {@code kube-api-access-xxxxx} (a bound token expiring after 3607 s, the cluster CA from the
 * {@code kube-root-ca.crt} ConfigMap, the namespace) is mounted read-only at {@link #MOUNT_PATH} in every container and
 * init container that does not already mount something there. Unlike Kubernetes, a pod whose account does not exist is
 * admitted without the volume (clusters without the serviceaccount controller still run pods). Applied by the gateway to
 * pods created through the API and by the controller manager to the pods it creates.
 */
public final class ServiceAccountAdmission {
    public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static final String VOLUME_PREFIX = "kube-api-access-";
    public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    public static final long TOKEN_EXPIRATION_SECONDS = 3607;
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceAccountAdmission() {
    }

    /** The account the pod runs as (defaulted to {@code default} in the pod). */
    public static String accountName(ObjectNode pod) {
        ObjectNode spec = spec(pod);
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            String deprecated = spec.path("serviceAccount").asText("");
            name = deprecated.isEmpty() ? "default" : deprecated;
            spec.put("serviceAccountName", name);
        }
        return name;
    }

    /** Mounts the API access volume into {@code pod} if it should have one; {@code account} is its ServiceAccount, if it exists. */
    public static void admit(ObjectNode pod, Optional<JsonNode> account, String volumeSuffix) {
        ObjectNode spec = spec(pod);
        JsonNode podSetting = spec.get("automountServiceAccountToken");
        boolean automount = podSetting != null && podSetting.isBoolean() ? podSetting.asBoolean()
                : account.map(sa -> sa.path("automountServiceAccountToken").asBoolean(true)).orElse(true);
        if (account.isEmpty() || !automount) {
            return;
        }
        String volumeName = VOLUME_PREFIX + volumeSuffix;
        boolean mounted = false;
        for (String field : new String[]{"initContainers", "containers"}) {
            for (JsonNode container : spec.path(field)) {
                if (container instanceof ObjectNode c && !mountsAt(c, MOUNT_PATH)) {
                    ArrayNode mounts = c.has("volumeMounts") && c.get("volumeMounts").isArray() ? (ArrayNode) c.get("volumeMounts")
                            : c.putArray("volumeMounts");
                    mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", MOUNT_PATH);
                    mounted = true;
                }
            }
        }
        if (mounted) {
            ArrayNode volumes = spec.has("volumes") && spec.get("volumes").isArray() ? (ArrayNode) spec.get("volumes") : spec.putArray("volumes");
            volumes.add(volume(volumeName));
        }
    }

    /** Five characters of the suffix alphabet Kubernetes' names use (as for generateName). */
    public static String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private static ObjectNode spec(ObjectNode pod) {
        return pod.get("spec") instanceof ObjectNode spec ? spec : pod.putObject("spec");
    }

    private static boolean mountsAt(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode volume(String name) {
        ObjectNode volume = JsonTrees.object();
        volume.put("name", name);
        ObjectNode projected = volume.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS).put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap").put("name", ROOT_CA_CONFIG_MAP);
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", 420);
        return volume;
    }
}
