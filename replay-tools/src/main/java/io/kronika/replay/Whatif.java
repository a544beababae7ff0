package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.scheduler.cache.SchedulerCache;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.model.Json;
import io.kronika.scheduler.model.NodeModel;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.Operation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * {@code history whatif}: replays the recorded nodes and pods through the scheduler's framework with another
 * KubeSchedulerConfiguration. Up to {@code from} the cluster is as recorded; from there every recorded scheduling
 * decision (a BIND in the log) is taken again by the other configuration, against the cluster as the whatif
 * placements before it left it, and the pod stays where the whatif scheduler put it for the rest of the run.
 * Deterministic: ties are broken by a seeded random, as the real scheduler breaks them by chance.
 */
public final class Whatif {
    /** One recorded decision taken again: where the log put the pod and where the other configuration would. */
    public record Placement(String pod, long revision, String recordedNode, String whatifNode, String reason) {
        public boolean differs() {
            return !recordedNode.equals(whatifNode == null ? "" : whatifNode);
        }
    }

    public record Result(long from, long to, List<Placement> decisions) {
        public List<Placement> differing() {
            return decisions.stream().filter(Placement::differs).toList();
        }

        public ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("fromRevision", from);
            n.put("toRevision", to);
            n.put("decisions", decisions.size());
            ArrayNode arr = n.putArray("differing");
            for (Placement p : differing()) {
                arr.addObject().put("pod", p.pod()).put("revision", p.revision()).put("recordedNode", p.recordedNode())
                        .put("whatifNode", p.whatifNode()).put("reason", p.reason());
            }
            return n;
        }
    }

    private final SchedulerCache cache = new SchedulerCache(Long.MAX_VALUE / 4);
    private final Map<String, Framework> frameworks;
    private final Map<String, PodInfo> pending = new HashMap<>();
    /** Pods placed by the whatif scheduler: key → its node (null: it found none). */
    private final Map<String, String> whatifNodes = new HashMap<>();
    private final List<Placement> decisions = new ArrayList<>();

    private Whatif(SchedulerConfiguration config) {
        this.frameworks = config.frameworks(new Random(0));
    }

    public static Result run(LogReader reader, SchedulerConfiguration config, long from, long to, Progress progress) {
        return run(reader, null, config, from, to, progress, null);
    }

    /**
     * With {@code snapshots} (and a cluster's log), the state at {@code from} is folded from the nearest snapshot
     * at or below it and handed to the scheduler's cache at once, so the cost is the events since that snapshot.
     */
    public static Result run(LogReader reader, SnapshotStore snapshots, SchedulerConfiguration config, long from, long to,
                             Progress progress, PrintStream log) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("whatif needs 0 <= --from <= --to (got " + from + ".." + to + ")");
        }
        Whatif w = new Whatif(config);
        long[] last = {0};
        if (snapshots == null || reader.isFile()) {
            reader.events(progress, e -> {
                if (e.getRevision() > to) {
                    return false;
                }
                w.apply(e, e.getRevision() > from);
                last[0] = e.getRevision();
                return e.getRevision() < to;
            });
        } else {
            boolean[] seeded = {false};
            StateFold start = SnapshotFold.run(reader, snapshots.nearestAtOrBelow(reader.eventsTopic(), from).orElse(null), false,
                    () -> false, progress, log, (fold, e, offset) -> {
                        if (e.getRevision() > to) {
                            return false;
                        }
                        if (e.getRevision() <= from) {
                            fold.apply(e);
                        } else {
                            if (!seeded[0]) {
                                w.seed(fold);
                                seeded[0] = true;
                            }
                            w.apply(e, true);
                        }
                        last[0] = e.getRevision();
                        return e.getRevision() < to;
                    });
            if (!seeded[0]) {
                w.seed(start);
            }
            last[0] = Math.max(last[0], start.revision());
        }
        if (last[0] < to && to != Long.MAX_VALUE) {
            throw new IllegalArgumentException("Revision " + to + " is not in the log: its last revision is " + last[0]);
        }
        return new Result(from, last[0], List.copyOf(w.decisions));
    }

    /** The cluster as recorded at the fold's revision: nodes, namespaces and priority classes before the pods. */
    private void seed(StateFold fold) {
        List<ObjectEvent> pods = new ArrayList<>();
        for (ObjectEvent e : fold.objects().values()) {
            if ("Pod".equals(e.getRef().getKind())) {
                pods.add(e);
            } else {
                apply(e, false);
            }
        }
        pods.forEach(e -> apply(e, false));
    }

    private void apply(ObjectEvent e, boolean simulate) {
        boolean deleted = e.getType() == EventType.DELETED;
        switch (e.getRef().getKind()) {
            case "Pod" -> applyPod(e, simulate);
            case "Node" -> {
                if (deleted) {
                    cache.removeNode(e.getRef().getName());
                } else {
                    cache.upsertNode(NodeModel.parse(e.getObject()));
                }
            }
            case "Namespace" -> {
                if (deleted) {
                    cache.removeNamespace(e.getRef().getName());
                } else {
                    cache.upsertNamespace(e.getRef().getName(), Json.stringMap(Jsons.parse(e.getObject()).path("metadata").get("labels")));
                }
            }
            case "PriorityClass" -> {
                if (deleted) {
                    cache.removePriorityClass(e.getRef().getName());
                } else if ("scheduling.k8s.io".equals(e.getRef().getGroup())) {
                    JsonNode pc = Jsons.parse(e.getObject());
                    cache.upsertPriorityClass(e.getRef().getName(), new SchedulerCache.PriorityClass(pc.path("value").asInt(0),
                            pc.path("globalDefault").asBoolean(false), Json.text(pc, "preemptionPolicy")));
                }
            }
            default -> {
            }
        }
    }

    private void applyPod(ObjectEvent e, boolean simulate) {
        PodInfo pod = cache.resolvePriority(PodInfo.parse(e.getObject()));
        String key = pod.key();
        if (e.getType() == EventType.DELETED) {
            cache.removePod(key);
            pending.remove(key);
            whatifNodes.remove(key);
            return;
        }
        if (!pod.isBound()) {
            pending.put(key, pod);
            return;
        }
        PodInfo unbound = pending.remove(key);
        if (whatifNodes.containsKey(key)) {
            place(pod, whatifNodes.get(key));
            return;
        }
        Framework framework = frameworks.get(pod.schedulerName());
        if (!simulate || e.getOperation() != Operation.BIND || unbound == null || framework == null) {
            place(pod, pod.nodeName()); // as recorded: before the window, or not a decision of a profile we replay
            return;
        }
        Framework.Result r = framework.schedule(unbound, cache, Framework.Nominator.NONE);
        String node = r.scheduled() ? r.node() : null;
        decisions.add(new Placement(key, e.getRevision(), pod.nodeName(), node, reason(r, e)));
        whatifNodes.put(key, node);
        place(pod, node);
    }

    private void place(PodInfo pod, String node) {
        if (node == null || pod.isTerminal()) {
            cache.removePod(pod.key());
        } else {
            cache.addOrUpdateBoundPod(node.equals(pod.nodeName()) ? pod : pod.boundTo(node));
        }
    }

    /** Why the whatif scheduler chose as it did, next to what the recorded decision said. */
    static String reason(Framework.Result r, ObjectEvent bind) {
        StringBuilder why = new StringBuilder();
        if (!r.scheduled()) {
            why.append("unschedulable: ").append(r.fitError().message());
        } else if (r.chosen() == null) {
            why.append(r.feasibleNodes() == 1 ? "the only feasible node" : "nominated node");
        } else {
            why.append("score ").append(r.chosen().total()).append(" (").append(plugins(r.chosen().byPlugin())).append(")");
            if (r.runnerUp() != null) {
                why.append(" vs ").append(r.runnerUp().node()).append(" ").append(r.runnerUp().total());
            }
        }
        JsonNode recorded = bind.getCause() == null ? null : parseQuietly(bind.getCause());
        if (recorded != null && recorded.path("chosen").has("score")) {
            why.append("; recorded: score ").append(recorded.path("chosen").path("score").asLong())
                    .append(recorded.path("chosen").has("plugins") ? " (" + plugins(recorded.path("chosen").path("plugins")) + ")" : "");
        }
        return why.toString();
    }

    private static String plugins(Map<String, Long> byPlugin) {
        return byPlugin.entrySet().stream().map(p -> p.getKey() + " " + p.getValue()).collect(Collectors.joining(", "));
    }

    private static String plugins(JsonNode byPlugin) {
        List<String> parts = new ArrayList<>();
        byPlugin.fields().forEachRemaining(f -> parts.add(f.getKey() + " " + f.getValue().asText()));
        return String.join(", ", parts);
    }

    private static JsonNode parseQuietly(String json) {
        try {
            return Jsons.parse(json);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static void print(Result result, OutputFormat format, PrintStream out) {
        if (format != OutputFormat.TABLE) {
            format.write(out, result.toJson());
            return;
        }
        List<Placement> differing = result.differing();
        out.printf("whatif: revisions %d..%d, %d scheduling decisions replayed, %d would differ%n", result.from(), result.to(),
                result.decisions().size(), differing.size());
        List<List<String>> rows = new ArrayList<>();
        for (Placement p : differing) {
            rows.add(List.of(p.pod(), String.valueOf(p.revision()), p.recordedNode(), p.whatifNode() == null ? "<none>" : p.whatifNode(), p.reason()));
        }
        if (!rows.isEmpty()) {
            OutputFormat.table(out, List.of("POD", "REVISION", "RECORDED NODE", "WHATIF NODE", "REASON"), rows);
        }
    }
}
