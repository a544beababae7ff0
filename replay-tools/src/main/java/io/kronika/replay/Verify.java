package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@code history verify}: folds the log from scratch and compares the result, object by object and field by field,
 * with what the gateway serves from its projections (a second, independent path to the same state). The cluster may
 * be live: an object that differs because it changed after the fold is checked again against a fresh fold.
 */
public final class Verify {
    public enum Problem { MISSING_IN_API, EXTRA_IN_API, DIFFERENT, NOT_SERVED, LOG_ANOMALY }

    public record Difference(Problem problem, String key, String detail, List<JsonDiff.Change> changes) {
        ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("problem", problem.name());
            n.put("object", key);
            n.put("detail", detail);
            if (!changes.isEmpty()) {
                n.set("fields", JsonDiff.toJson(changes));
            }
            return n;
        }
    }

    public record Report(long revision, int objectsChecked, int resourcesListed, List<Difference> differences) {
        public boolean ok() {
            return differences.isEmpty();
        }

        public ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("ok", ok());
            n.put("revision", revision);
            n.put("objectsChecked", objectsChecked);
            n.put("resourcesListed", resourcesListed);
            ArrayNode arr = n.putArray("differences");
            differences.forEach(d -> arr.add(d.toJson()));
            return n;
        }
    }


    private static final int ROUNDS = 5;
    /** API groups computed on the fly rather than stored in the log (resource metrics): nothing to compare. */
    public static final java.util.Set<String> SYNTHETIC_GROUPS = java.util.Set.of("metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io");

    private final LogReader reader;
    private final ApiClient api;

    public Verify(LogReader reader, String apiUrl) {
        this(reader, apiUrl, null);
    }

    /** {@code kubeconfig} (nullable): credentials for a secured API. */
    public Verify(LogReader reader, String apiUrl, java.nio.file.Path kubeconfig) {
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalArgumentException("verify needs the API URL: run with --data-dir of a running cluster or --api-url");
        }
        this.reader = reader;
        this.api = new ApiClient(apiUrl, kubeconfig);
    }

    public Report run(Progress progress, PrintStream log) {
        Map<String, ApiClient.Resource> resources = api.discover();
        StateFold fold = foldAll(progress);
        Map<String, Difference> first = new TreeMap<>();
        int checked = 0;
        for (ObjectEvent e : fold.objects().values()) {
            checked++;
            check(e.getRef(), fold.objects(), resources).ifPresent(d -> first.put(d.key(), d));
        }
        int listed = 0;
        for (ApiClient.Resource r : new LinkedHashMap<>(resources).values()) {
            if (!r.listable()) {
                continue;
            }
            listed++;
            JsonNode list = api.get(r.base() + "/" + r.plural());
            if (list == null) {
                continue;
            }
            for (JsonNode item : list.path("items")) {
                ObjectRef ref = new ObjectRef(r.group(), r.kind(), item.path("metadata").path("namespace").asText(""),
                        item.path("metadata").path("name").asText());
                String key = io.kronika.schemas.ObjectKeys.of(ref);
                if (!fold.objects().containsKey(key)) {
                    first.put(key, new Difference(Problem.EXTRA_IN_API, key, "served by the API at resourceVersion "
                            + item.path("metadata").path("resourceVersion").asText() + " but absent from the log's state at revision " + fold.revision(), List.of()));
                }
            }
        }
        Map<String, Difference> problems = first;
        // A live cluster moves on while we look: check the differing objects again against a fresh fold.
        for (int round = 1; round < ROUNDS && problems.values().stream().anyMatch(d -> d.problem() != Problem.NOT_SERVED); round++) {
            log.println("verify: " + problems.size() + " differences at revision " + fold.revision() + "; checking them again against a fresh fold (round " + (round + 1) + ")");
            long before = fold.revision();
            fold = foldAll(Progress.NONE);
            boolean logMoved = fold.revision() != before;
            Map<String, Difference> again = new TreeMap<>();
            for (String key : problems.keySet()) {
                ObjectRef ref = io.kronika.schemas.ObjectKeys.parse(key);
                check(ref, fold.objects(), resources).ifPresent(d -> again.put(key, d));
            }
            if (!logMoved || again.equals(problems)) {
                problems = again;
                break;
            }
            problems = again;
        }
        List<Difference> out = new ArrayList<>();
        fold.anomalies().forEach(a -> out.add(new Difference(Problem.LOG_ANOMALY, "", a, List.of())));
        out.addAll(problems.values());
        return new Report(fold.revision(), checked, listed, out);
    }

    private StateFold foldAll(Progress progress) {
        StateFold fold = new StateFold();
        reader.events(progress, e -> {
            fold.apply(e);
            return true;
        });
        return fold;
    }

    private java.util.Optional<Difference> check(ObjectRef ref, NavigableMap<String, ObjectEvent> state, Map<String, ApiClient.Resource> resources) {
        String key = io.kronika.schemas.ObjectKeys.of(ref);
        ApiClient.Resource r = resources.get(ref.getGroup() + "/" + ref.getKind());
        if (r == null) {
            return java.util.Optional.of(new Difference(Problem.NOT_SERVED, key, "the API's discovery lists no resource of kind "
                    + Replay.kindOf(ref), List.of()));
        }
        ObjectEvent e = state.get(key);
        JsonNode served = api.get(r.objectPath(ref));
        if (e == null && served == null) {
            return java.util.Optional.empty();
        }
        if (e == null) {
            return java.util.Optional.of(new Difference(Problem.EXTRA_IN_API, key, "served at resourceVersion "
                    + served.path("metadata").path("resourceVersion").asText() + " but deleted or never created in the log", List.of()));
        }
        if (served == null) {
            return java.util.Optional.of(new Difference(Problem.MISSING_IN_API, key, "in the log at resourceVersion " + e.getRevision()
                    + " but the API answers 404 for " + r.objectPath(ref), List.of()));
        }
        JsonNode folded = Jsons.parse(e.getObject());
        if (io.kronika.schemas.secrets.SecretCodec.isSecret(ref)) {
            folded = withServedPlaintext(folded, served);
        }
        if (folded.equals(served)) {
            return java.util.Optional.empty();
        }
        List<JsonDiff.Change> changes = JsonDiff.diff(folded, served);
        return java.util.Optional.of(new Difference(Problem.DIFFERENT, key, "log at resourceVersion " + e.getRevision() + ", API at "
                + served.path("metadata").path("resourceVersion").asText() + ": " + changes.size() + " fields differ (from = log, to = API)", changes));
    }


    /**
     * The log holds Secret values encrypted (this tool has no keys): where a logged value is ciphertext, the served
     * plaintext stands in for it, so the entry names and everything else are still compared.
     */
    private static JsonNode withServedPlaintext(JsonNode folded, JsonNode served) {
        if (!(folded instanceof ObjectNode object)) {
            return folded;
        }
        ObjectNode copy = object.deepCopy();
        for (String field : new String[]{"data", "stringData"}) {
            if (copy.get(field) instanceof ObjectNode values) {
                values.fieldNames().forEachRemaining(name -> {
                    JsonNode plain = served.path(field).get(name);
                    if (values.get(name).asText("").startsWith(io.kronika.schemas.secrets.SecretCodec.PREFIX) && plain != null) {
                        values.set(name, plain);
                    }
                });
            }
        }
        return copy;
    }

    public static void print(Report report, OutputFormat format, PrintStream out) {
        if (format != OutputFormat.TABLE) {
            format.write(out, report.toJson());
            return;
        }
        out.printf("verify: revision %d, %d objects checked, %d resources listed: %s%n", report.revision(), report.objectsChecked(),
                report.resourcesListed(), report.ok() ? "OK, the API serves exactly the log's state" : report.differences().size() + " DIFFERENCES");
        for (Difference d : report.differences()) {
            out.println(d.problem() + "  " + d.key() + "  " + d.detail());
            d.changes().forEach(c -> out.println("    " + c));
        }
    }
}
