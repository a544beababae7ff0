package io.kronika.eventstore.admission;

import io.kronika.schemas.k8s.Quantity;
import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ResourceQuota accounting, shared by admission (which refuses what would exceed a quota) and the quota controller
 * (which reports usage in status): what one object consumes, and the usage of a namespace, always computed from the
 * objects themselves.
 */
public final class ResourceQuotas {
    private static final Set<String> LEGACY_COUNTED = Set.of("pods", "services", "configmaps", "secrets",
            "persistentvolumeclaims", "replicationcontrollers", "resourcequotas");
    /** Quota resource names that require every container of a pod to say how much it wants. */
    private static final Set<String> COMPUTE = Set.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory");

    private ResourceQuotas() {
    }

    /** Everything an object of {@code group}/{@code kind} consumes, by quota resource name; empty for objects that do not count. */
    public static Map<String, Quantity> usage(String group, String kind, JsonNode object, Instant now) {
        Map<String, Quantity> usage = new TreeMap<>();
        boolean core = group == null || group.isEmpty();
        if (core && "Pod".equals(kind) && !countsAsPod(object, now)) {
            return usage;
        }
        String resource = ResourceNames.qualifiedResource(group, kind);
        usage.put("count/" + resource, Quantity.count(1));
        if (core && LEGACY_COUNTED.contains(resource)) {
            usage.put(resource, Quantity.count(1));
        }
        if (core && "Pod".equals(kind)) {
            PodResources.requests(object).forEach((r, q) -> {
                usage.put("requests." + r, q);
                if (!r.contains("/") || r.startsWith("hugepages-")) {
                    usage.put(r, q);
                }
            });
            PodResources.limits(object).forEach((r, q) -> usage.put("limits." + r, q));
        }
        if (core && "PersistentVolumeClaim".equals(kind)) {
            JsonNode storage = object.path("spec").path("resources").path("requests").path("storage");
            if (storage.isTextual()) {
                usage.put("requests.storage", Quantity.parse(storage.asText().trim()));
            }
        }
        return usage;
    }

    /** A pod counts while it is not finished and not past its deletion time, as Kubernetes' quota evaluator has it. */
    static boolean countsAsPod(JsonNode pod, Instant now) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return false;
        }
        String deletion = pod.path("metadata").path("deletionTimestamp").asText("");
        return deletion.isEmpty() || Instant.parse(deletion).isAfter(now);
    }

    /** The usage of each of {@code quota}'s hard resources over {@code objects} (pairs of ref and object) in its scope, 0 where nothing uses it. */
    public static Map<String, Quantity> used(JsonNode quota, Iterable<Map.Entry<ObjectRef, JsonNode>> objects, Instant now) {
        return used(hard(quota).keySet(), quota, objects, now);
    }

    private static Map<String, Quantity> used(Set<String> resources, JsonNode quota, Iterable<Map.Entry<ObjectRef, JsonNode>> objects, Instant now) {
        Map<String, Quantity> used = new TreeMap<>();
        resources.forEach(r -> used.put(r, Quantity.ZERO));
        for (Map.Entry<ObjectRef, JsonNode> o : objects) {
            if (!inScope(quota, o.getKey().getGroup(), o.getKey().getKind(), o.getValue())) {
                continue;
            }
            usage(o.getKey().getGroup(), o.getKey().getKind(), o.getValue(), now).forEach((r, q) -> {
                if (resources.contains(r)) {
                    used.merge(r, q, (a, b) -> a.isZero() ? b : a.add(b));
                }
            });
        }
        return used;
    }

    /**
     * Whether an object falls in a quota's scopes ({@code spec.scopes} and {@code spec.scopeSelector}): a quota without
     * scopes covers everything; scoped quotas cover pods only. Scopes: Terminating, NotTerminating, BestEffort,
     * NotBestEffort and PriorityClass (In, NotIn, Exists, DoesNotExist); an unknown scope matches nothing.
     */
    public static boolean inScope(JsonNode quota, String group, String kind, JsonNode object) {
        List<JsonNode> selectors = new ArrayList<>();
        for (JsonNode scope : quota.path("spec").path("scopes")) {
            selectors.add(ObjectJson.MAPPER.createObjectNode().put("scopeName", scope.asText()).put("operator", "Exists"));
        }
        quota.path("spec").path("scopeSelector").path("matchExpressions").forEach(selectors::add);
        if (selectors.isEmpty()) {
            return true;
        }
        if (!(group == null || group.isEmpty()) || !"Pod".equals(kind)) {
            return false;
        }
        for (JsonNode selector : selectors) {
            if (!scopeMatches(selector, object)) {
                return false;
            }
        }
        return true;
    }

    private static boolean scopeMatches(JsonNode selector, JsonNode pod) {
        String operator = selector.path("operator").asText("Exists");
        boolean terminating = pod.path("spec").path("activeDeadlineSeconds").canConvertToLong();
        boolean bestEffort = PodResources.containers(pod).stream().allMatch(c -> c.requests().isEmpty() && c.limits().isEmpty());
        Boolean flag = switch (selector.path("scopeName").asText()) {
            case "Terminating" -> terminating;
            case "NotTerminating" -> !terminating;
            case "BestEffort" -> bestEffort;
            case "NotBestEffort" -> !bestEffort;
            default -> null;
        };
        if (flag != null) {
            return operator.equals("DoesNotExist") != flag;
        }
        if (!"PriorityClass".equals(selector.path("scopeName").asText())) {
            return false;
        }
        String priorityClass = pod.path("spec").path("priorityClassName").asText("");
        List<String> values = new ArrayList<>();
        selector.path("values").forEach(v -> values.add(v.asText()));
        return switch (operator) {
            case "In" -> values.contains(priorityClass);
            case "NotIn" -> !values.contains(priorityClass);
            case "Exists" -> !priorityClass.isEmpty();
            case "DoesNotExist" -> priorityClass.isEmpty();
            default -> false;
        };
    }

    /** The hard limits of a quota's spec. */
    public static Map<String, Quantity> hard(JsonNode quota) {
        return PodResources.quantities(quota.path("spec").path("hard"), "hard");
    }

    /**
     * Admission: refuses (403) when {@code requested} on top of what the namespace's other objects of the same kind use
     * exceeds any quota. {@code others} are the other objects of {@code ref}'s kind in its namespace.
     */
    static void check(ObjectRef ref, JsonNode object, Map<String, Quantity> requested, List<JsonNode> quotas,
                      List<JsonNode> others, Instant now) {
        for (JsonNode quota : quotas) {
            if (!inScope(quota, ref.getGroup(), ref.getKind(), object)) {
                continue;
            }
            String name = quota.path("metadata").path("name").asText();
            Map<String, Quantity> hard = hard(quota);
            if (ref.getGroup().isEmpty() && "Pod".equals(ref.getKind()) && !requested.isEmpty()) {
                requireCompute(ref, name, hard.keySet(), object);
            }
            Set<String> relevant = new TreeSet<>(hard.keySet());
            relevant.retainAll(requested.keySet());
            relevant.removeIf(r -> !requested.get(r).isPositive());
            if (relevant.isEmpty()) {
                continue;
            }
            List<Map.Entry<ObjectRef, JsonNode>> same = new ArrayList<>();
            others.forEach(o -> same.add(Map.entry(ref, o)));
            Map<String, Quantity> used = used(relevant, quota, same, now);
            Map<String, Quantity> exceeded = new LinkedHashMap<>();
            for (String r : relevant) {
                if (used.get(r).add(requested.get(r)).compareTo(hard.get(r)) > 0) {
                    exceeded.put(r, hard.get(r));
                }
            }
            if (!exceeded.isEmpty()) {
                throw forbidden(ref, "exceeded quota: " + name + ", requested: " + list(exceeded.keySet(), requested)
                        + ", used: " + list(exceeded.keySet(), used) + ", limited: " + list(exceeded.keySet(), hard));
            }
        }
    }

    private static void requireCompute(ObjectRef ref, String quota, Set<String> hard, JsonNode pod) {
        List<String> missing = new ArrayList<>();
        for (String r : new TreeSet<>(hard)) {
            if (!COMPUTE.contains(r)) {
                continue;
            }
            boolean limit = r.startsWith("limits.");
            String resource = r.contains(".") ? r.substring(r.indexOf('.') + 1) : r;
            List<String> lacking = new ArrayList<>();
            for (PodResources.Container c : PodResources.containers(pod)) {
                if (!(limit ? c.limits() : c.requests()).containsKey(resource)) {
                    lacking.add(c.name());
                }
            }
            if (!lacking.isEmpty()) {
                missing.add(r + " for: " + String.join(",", lacking));
            }
        }
        if (!missing.isEmpty()) {
            throw forbidden(ref, "failed quota: " + quota + ": must specify " + String.join("; ", missing));
        }
    }

    private static String list(Set<String> resources, Map<String, Quantity> values) {
        List<String> parts = new ArrayList<>();
        resources.forEach(r -> parts.add(r + "=" + values.get(r)));
        return String.join(",", parts);
    }

    static InvalidObjectException forbidden(ObjectRef ref, String message) {
        return new InvalidObjectException(403, "Forbidden", ResourceNames.qualifiedResource(ref.getGroup(), ref.getKind())
                + " \"" + ref.getName() + "\" is forbidden: " + message);
    }

    static String quotaPrefix(String namespace) {
        return ObjectKeys.namespacePrefix("", "ResourceQuota", namespace);
    }
}
