package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code history import --from-kubectl-dump FILE}: seeds a cluster from another cluster's
 * {@code kubectl get -A -o yaml} (a v1 List) by creating each object through the cluster's API, as kubectl create
 * would: new uids and revisions, the gateway's validation, defaulting and allocation (ClusterIPs) apply.
 * Namespaces first, then CustomResourceDefinitions (waiting until their kinds are served), then the rest. What a
 * cluster makes by itself is left out: objects a controller owns (their controller recreates them), nodes, events,
 * endpoints, leases and other per-cluster bookkeeping. Objects that exist already are counted, not changed.
 */
public final class KubectlDumpImport {
    public record Result(int created, int existing, Map<String, Integer> skipped, List<String> failed) {
        public boolean ok() {
            return failed.isEmpty();
        }
    }

    /** Kinds a cluster keeps for itself (made by kubelets, controllers or the API server). */
    static final Set<String> CLUSTER_OWN_KINDS = Set.of("Node", "Event", "Endpoints", "EndpointSlice", "Lease",
            "ComponentStatus", "ControllerRevision", "APIService", "CertificateSigningRequest", "PodMetrics", "NodeMetrics");
    private static final Duration CRD_SERVED_DEADLINE = Duration.ofSeconds(60);

    private KubectlDumpImport() {
    }

    public static Result run(String apiUrl, Path file, Progress progress, PrintStream log) {
        return run(apiUrl, null, file, progress, log);
    }

    /** {@code kubeconfig} (nullable): credentials for a secured API. */
    public static Result run(String apiUrl, Path kubeconfig, Path file, Progress progress, PrintStream log) {
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalArgumentException("import --from-kubectl-dump creates objects through the API: run with --data-dir of a running cluster or --api-url");
        }
        List<JsonNode> items = items(file);
        ApiClient api = new ApiClient(apiUrl, kubeconfig);
        Map<String, ApiClient.Resource> resources = api.discover();
        Map<String, Integer> skipped = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        int created = 0;
        int existing = 0;
        int done = 0;
        Set<String> definedKinds = new java.util.HashSet<>();
        for (JsonNode item : items) {
            if ("CustomResourceDefinition".equals(item.path("kind").asText())) {
                definedKinds.add(item.path("spec").path("group").asText() + "/" + item.path("spec").path("names").path("kind").asText());
            }
        }
        for (JsonNode item : ordered(items)) {
            progress.update(++done, items.size());
            String why = skipReason(item);
            if (why != null) {
                skipped.merge(why, 1, Integer::sum);
                continue;
            }
            String kind = item.path("kind").asText();
            String group = groupOf(item.path("apiVersion").asText());
            String name = Jsons.text(item, "metadata", "name");
            String namespace = item.path("metadata").path("namespace").asText("");
            ApiClient.Resource resource = resources.get(group + "/" + kind);
            if (resource == null && definedKinds.contains(group + "/" + kind)) {
                // A custom resource whose definition was created a moment ago: wait until the API serves it.
                resources = awaitServed(api, group + "/" + kind, resources);
                resource = resources.get(group + "/" + kind);
            }
            String label = kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
            if (resource == null) {
                failed.add(label + ": the cluster serves no " + kind + " in group '" + group + "' (is its CustomResourceDefinition in the dump?)");
                continue;
            }
            HttpResponse<String> response = api.post(resource.collectionPath(namespace), Jsons.compact(cleaned(item)));
            if (response.statusCode() == 201 || response.statusCode() == 200) {
                created++;
            } else if (response.statusCode() == 409 && response.body().contains("AlreadyExists")) {
                existing++;
            } else {
                failed.add(label + ": " + response.statusCode() + " " + Jsons.parse(response.body()).path("message").asText(response.body()));
            }
        }
        progress.done(done);
        return new Result(created, existing, skipped, failed);
    }

    static List<JsonNode> items(Path file) {
        JsonNode root;
        try {
            root = Jsons.YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " is not a Kubernetes object or List (kubectl get -A -o yaml > FILE)");
        }
        List<JsonNode> out = new ArrayList<>();
        if (root.path("kind").asText().endsWith("List") && root.has("items")) {
            root.path("items").forEach(out::add);
        } else {
            out.add(root);
        }
        for (JsonNode item : out) {
            if (!item.hasNonNull("apiVersion") || !item.hasNonNull("kind") || Jsons.text(item, "metadata", "name") == null) {
                throw new IllegalArgumentException(file + ": an item has no apiVersion, kind or metadata.name: " + Jsons.brief(item));
            }
        }
        return out;
    }

    /** Namespaces, then CustomResourceDefinitions, then everything else, each in the dump's order. */
    static List<JsonNode> ordered(List<JsonNode> items) {
        List<JsonNode> out = new ArrayList<>(items);
        out.sort(Comparator.comparingInt(i -> switch (i.path("kind").asText()) {
            case "Namespace" -> 0;
            case "CustomResourceDefinition" -> 1;
            default -> 2;
        }));
        return out;
    }

    /** Why the item is left out, or null to create it. */
    static String skipReason(JsonNode item) {
        String kind = item.path("kind").asText();
        if (CLUSTER_OWN_KINDS.contains(kind)) {
            return kind + " (kept by the cluster itself)";
        }
        for (JsonNode owner : item.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return "owned by a " + owner.path("kind").asText() + " (its controller recreates it)";
            }
        }
        String name = item.path("metadata").path("name").asText();
        if ("Secret".equals(kind) && "kubernetes.io/service-account-token".equals(item.path("type").asText())) {
            return "service account token Secret (issued by the cluster)";
        }
        if ("ConfigMap".equals(kind) && "kube-root-ca.crt".equals(name)) {
            return "kube-root-ca.crt ConfigMap (published by the cluster)";
        }
        if ("Service".equals(kind) && "kubernetes".equals(name) && "default".equals(item.path("metadata").path("namespace").asText())) {
            return "the default/kubernetes Service (the cluster's own)";
        }
        return null;
    }

    /** The object as a create request: what the source cluster assigned (identity, revision, status, allocations) removed. */
    static ObjectNode cleaned(JsonNode item) {
        ObjectNode o = item.deepCopy();
        o.remove("status");
        if (o.path("metadata") instanceof ObjectNode meta) {
            for (String f : List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink",
                    "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences")) {
                meta.remove(f);
            }
            if (meta.path("annotations") instanceof ObjectNode annotations) {
                annotations.remove(List.of("pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller",
                        "deployment.kubernetes.io/revision"));
                if (annotations.isEmpty()) {
                    meta.remove("annotations");
                }
            }
        }
        if (o.path("spec") instanceof ObjectNode spec) {
            switch (o.path("kind").asText()) {
                case "Pod" -> spec.remove("nodeName");
                case "PersistentVolumeClaim" -> spec.remove("volumeName");
                case "PersistentVolume" -> spec.remove("claimRef");
                case "Service" -> {
                    if (!"None".equals(spec.path("clusterIP").asText())) {
                        spec.remove(List.of("clusterIP", "clusterIPs"));
                    }
                }
                default -> {
                }
            }
        }
        return o;
    }

    private static Map<String, ApiClient.Resource> awaitServed(ApiClient api, String groupKind, Map<String, ApiClient.Resource> known) {
        long deadline = System.nanoTime() + CRD_SERVED_DEADLINE.toNanos();
        Map<String, ApiClient.Resource> resources = known;
        while (!resources.containsKey(groupKind) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250); // polling discovery, as kubectl does after applying a CRD
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            resources = api.discover();
        }
        return resources;
    }

    static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public static void print(Result r, PrintStream out) {
        out.printf("created %d objects, %d existed already, %d left out, %d failed%n", r.created(), r.existing(),
                r.skipped().values().stream().mapToInt(Integer::intValue).sum(), r.failed().size());
        r.skipped().forEach((why, n) -> out.println("  left out " + n + ": " + why));
        r.failed().forEach(f -> out.println("  FAILED " + f));
    }
}
