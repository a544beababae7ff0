package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code history timeline KIND/NAME}: every version of one object (across delete and re-create) with the field diffs
 * between consecutive versions, the scheduling decisions recorded with its BINDs, its owners, the objects it owns and
 * the Kubernetes Events about it.
 */
public final class Timeline {
    public record Version(ObjectEvent event, List<JsonDiff.Change> changes, JsonNode decision) {
    }

    public record Result(String target, List<Version> versions, Map<String, String> owners, Map<String, String> owned,
                         List<ObjectEvent> events) {
        public ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("object", target);
            ArrayNode vs = n.putArray("versions");
            for (Version v : versions) {
                ObjectEvent e = v.event();
                ObjectNode o = vs.addObject();
                o.put("resourceVersion", String.valueOf(e.getRevision()));
                o.put("type", e.getType().name());
                o.put("time", e.getTimestamp().toString());
                o.put("uid", e.getUid());
                o.put("verb", Audit.verb(e.getOperation()));
                o.put("user", e.getActor().getUser());
                o.put("component", e.getActor().getComponent());
                if (v.decision() != null) {
                    o.set("schedulingDecision", v.decision());
                } else if (e.getCause() != null) {
                    o.put("cause", e.getCause());
                }
                o.set("changes", JsonDiff.toJson(v.changes()));
            }
            ObjectNode ow = n.putObject("owners");
            owners.forEach(ow::put);
            ObjectNode od = n.putObject("owned");
            owned.forEach(od::put);
            ArrayNode ev = n.putArray("events");
            for (ObjectEvent e : events) {
                JsonNode o = Jsons.parse(e.getObject());
                ObjectNode x = ev.addObject();
                x.put("time", e.getTimestamp().toString());
                x.put("type", Jsons.text(o, "type"));
                x.put("reason", Jsons.text(o, "reason"));
                x.put("message", Jsons.text(o, "message"));
                String component = Jsons.text(o, "source", "component");
                x.put("source", component != null ? component : Jsons.text(o, "reportingController"));
            }
            return n;
        }
    }

    private Timeline() {
    }

    /** {@code kind/name} with an optional namespace; without one, the default namespace or a cluster-scoped object. */
    public static Result of(LogReader reader, String kindSlashName, String namespace, Progress progress) {
        int slash = kindSlashName.indexOf('/');
        if (slash <= 0 || slash == kindSlashName.length() - 1) {
            throw new IllegalArgumentException("Name the object as KIND/NAME (e.g. pod/web-0), not '" + kindSlashName + "'");
        }
        KindMatcher kind = KindMatcher.parse(kindSlashName.substring(0, slash));
        String name = kindSlashName.substring(slash + 1);
        Accumulator acc = new Accumulator(kind, name, namespace);
        reader.events(progress, e -> {
            acc.accept(e);
            return true;
        });
        return acc.result();
    }

    /** Pure: the timeline from the events given. */
    public static Result of(Iterable<ObjectEvent> events, KindMatcher kind, String name, String namespace) {
        Accumulator acc = new Accumulator(kind, name, namespace);
        events.forEach(acc::accept);
        return acc.result();
    }

    private static final class Accumulator {
        final KindMatcher kind;
        final String name;
        final String namespace;
        String key;
        final List<ObjectEvent> versions = new ArrayList<>();
        final Set<String> uids = new LinkedHashSet<>();
        final Map<String, String> keyByUid = new HashMap<>();
        final Map<String, List<String>> ownerUidsByKey = new TreeMap<>();
        final List<ObjectEvent> k8sEvents = new ArrayList<>();

        Accumulator(KindMatcher kind, String name, String namespace) {
            this.kind = kind;
            this.name = name;
            this.namespace = namespace;
        }

        void accept(ObjectEvent e) {
            ObjectRef r = e.getRef();
            String k = ObjectKeys.of(r);
            keyByUid.put(e.getUid(), k);
            if (r.getName().equals(name) && kind.matches(r) && namespaceMatches(r.getNamespace())) {
                if (key == null) {
                    key = k;
                }
                if (key.equals(k)) {
                    versions.add(e);
                    uids.add(e.getUid());
                }
            }
            JsonNode object = null;
            if (e.getObject().contains("ownerReferences")) {
                object = Jsons.parse(e.getObject());
                List<String> owners = new ArrayList<>();
                for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
                    owners.add(ref.path("uid").asText());
                }
                ownerUidsByKey.put(k, owners);
            }
            if (r.getKind().equals("Event") && (r.getGroup().isEmpty() || r.getGroup().equals("events.k8s.io"))) {
                JsonNode o = object != null ? object : Jsons.parse(e.getObject());
                String about = o.path("involvedObject").path("uid").asText(o.path("regarding").path("uid").asText(""));
                if (!about.isEmpty() && uids.contains(about) && e.getType() != io.kronika.schemas.EventType.DELETED) {
                    k8sEvents.add(e);
                }
            }
        }

        boolean namespaceMatches(String ns) {
            return namespace != null ? namespace.equals(ns) : (ns.isEmpty() || ns.equals("default"));
        }

        Result result() {
            String target = kind.kind() + (kind.group() == null ? "" : "." + kind.group()) + "/" + name;
            if (key == null) {
                throw new IllegalArgumentException("No " + target + (namespace != null ? " in namespace " + namespace : " in namespace default or cluster-wide")
                        + " anywhere in the log");
            }
            List<Version> out = new ArrayList<>();
            JsonNode previous = null;
            for (ObjectEvent e : versions) {
                JsonNode current = Jsons.parse(e.getObject());
                // A creation is the object itself and a deletion its last state: no field diff for either.
                List<JsonDiff.Change> changes = e.getType() != io.kronika.schemas.EventType.MODIFIED || previous == null
                        ? List.of() : JsonDiff.diff(previous, current, HistoryDiff.IGNORED);
                JsonNode decision = null;
                if (e.getCause() != null && e.getCause().startsWith("{")
                        && (e.getOperation() == Operation.BIND || e.getCause().contains("SchedulingDecision"))) {
                    try {
                        decision = Jsons.parse(e.getCause());
                    } catch (RuntimeException ignored) {
                        decision = null;
                    }
                }
                out.add(new Version(e, changes, decision));
                previous = e.getType() == io.kronika.schemas.EventType.DELETED ? null : current;
            }
            Map<String, String> owners = new TreeMap<>();
            for (String uid : ownerUidsByKey.getOrDefault(key, List.of())) {
                owners.put(keyByUid.getOrDefault(uid, "<unknown>"), uid);
            }
            Map<String, String> owned = new TreeMap<>();
            ownerUidsByKey.forEach((k, ownerUids) -> ownerUids.stream().filter(uids::contains).findFirst()
                    .ifPresent(uid -> owned.put(k, uid)));
            return new Result(key, out, owners, owned, k8sEvents);
        }
    }

    public static void print(Result r, OutputFormat format, PrintStream out) {
        if (format != OutputFormat.TABLE) {
            format.write(out, r.toJson());
            return;
        }
        out.println("# " + r.target() + ": " + r.versions().size() + " versions");
        for (Version v : r.versions()) {
            ObjectEvent e = v.event();
            out.printf("%s  rev %d  %-8s %s by %s (%s)  uid %s%n", e.getTimestamp(), e.getRevision(), e.getType(),
                    Audit.verb(e.getOperation()), e.getActor().getUser(), e.getActor().getComponent(), e.getUid());
            if (v.decision() != null) {
                out.println("    scheduling: " + decisionSummary(v.decision()));
            } else if (e.getCause() != null && !e.getCause().isEmpty()) {
                out.println("    cause: " + e.getCause());
            }
            v.changes().forEach(c -> out.println("    " + c));
        }
        if (!r.owners().isEmpty()) {
            out.println("owners:");
            r.owners().forEach((k, uid) -> out.println("    " + k + "  (uid " + uid + ")"));
        }
        if (!r.owned().isEmpty()) {
            out.println("owned:");
            r.owned().forEach((k, uid) -> out.println("    " + k));
        }
        if (!r.events().isEmpty()) {
            out.println("events:");
            for (ObjectEvent e : r.events()) {
                JsonNode o = Jsons.parse(e.getObject());
                out.println("    " + e.getTimestamp() + "  " + Jsons.text(o, "type") + "  " + Jsons.text(o, "reason") + "  " + Jsons.text(o, "message"));
            }
        }
    }

    static String decisionSummary(JsonNode d) {
        StringBuilder b = new StringBuilder();
        b.append(d.path("result").asText("?"));
        if (d.hasNonNull("node")) {
            b.append(" on ").append(d.get("node").asText());
        }
        JsonNode nodes = d.path("nodes");
        if (!nodes.isMissingNode()) {
            b.append(" (").append(nodes.path("feasible").asText("?")).append(" feasible of ").append(nodes.path("total").asText("?")).append(")");
        }
        if (d.has("chosen")) {
            b.append(" score ").append(d.path("chosen").path("score").asText());
        }
        if (d.has("runnerUp")) {
            b.append("; runner-up ").append(d.path("runnerUp").path("node").asText()).append(" score ").append(d.path("runnerUp").path("score").asText());
        }
        if (d.has("filtered") && d.get("filtered").size() > 0) {
            b.append("; filtered ").append(Jsons.compact(d.get("filtered")));
        }
        if (d.has("message")) {
            b.append("; ").append(d.get("message").asText());
        }
        return b.toString();
    }
}
