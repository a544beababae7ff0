package io.kronika.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.log.RefusalJoin;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code history audit}: who did what, when, through which component, with what outcome. Accepted changes come from
 * the events (the truth, kept forever); refused attempts from the commands joined with their REJECTED results.
 */
public final class Audit {
    public record Entry(Instant time, String user, List<String> groups, String component, String verb, ObjectRef ref,
                        String outcome, int code, String reason, String message, Long revision, String commandId, String cause) {
        public ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("time", time.toString());
            n.put("user", user);
            ArrayNode g = n.putArray("groups");
            groups.forEach(g::add);
            n.put("component", component);
            n.put("verb", verb);
            n.put("kind", ref.getKind());
            n.put("group", ref.getGroup());
            n.put("namespace", ref.getNamespace());
            n.put("name", ref.getName());
            n.put("outcome", outcome);
            n.put("code", code);
            if (!reason.isEmpty()) {
                n.put("reason", reason);
            }
            if (!message.isEmpty()) {
                n.put("message", message);
            }
            if (revision != null) {
                n.put("revision", revision);
            }
            n.put("commandId", commandId);
            if (cause != null) {
                n.put("cause", cause);
            }
            return n;
        }

        List<String> row() {
            return List.of(time.toString(), user, component, verb, Replay.kindOf(ref),
                    ref.getNamespace().isEmpty() ? "" : ref.getNamespace(), ref.getName(),
                    outcome.equals("ACCEPTED") ? (revision == null ? "" : "rev " + revision)
                            : code + " " + reason + (message.isEmpty() ? "" : ": " + message));
        }
    }

    public static final List<String> HEADERS = List.of("TIME", "USER", "COMPONENT", "VERB", "KIND", "NAMESPACE", "NAME", "OUTCOME");

    /** The filters of the command line; null means any. Times bound [since, until]. */
    public record Filter(String user, String verb, KindMatcher kind, String namespace, String name, Instant since,
                         Instant until, boolean includeRefused) {
        public static Filter all() {
            return new Filter(null, null, null, null, null, null, null, true);
        }

        public boolean test(Entry e) {
            if (!includeRefused && !e.outcome().equals("ACCEPTED")) {
                return false;
            }
            if (user != null && !user.equals(e.user())) {
                return false;
            }
            if (verb != null && !verbMatches(verb, e.verb())) {
                return false;
            }
            if (kind != null && !kind.matches(e.ref())) {
                return false;
            }
            if (namespace != null && !namespace.equals(e.ref().getNamespace())) {
                return false;
            }
            if (name != null && !name.equals(e.ref().getName())) {
                return false;
            }
            if (since != null && e.time().isBefore(since)) {
                return false;
            }
            return until == null || !e.time().isAfter(until);
        }
    }

    private Audit() {
    }

    /** The Kubernetes verb of an operation. */
    public static String verb(Operation op) {
        return RefusalJoin.verb(op);
    }

    static boolean verbMatches(String wanted, String verb) {
        String w = wanted.toLowerCase(Locale.ROOT).replace('_', '-');
        // The gateway turns patches into updates, so "patch" finds them.
        return w.equals(verb) || (w.equals("patch") && verb.startsWith("update")) || (w.equals("update") && verb.equals("update-status"))
                || (w.equals("status") && verb.equals("update-status"));
    }

    static Entry accepted(ObjectEvent e) {
        Actor a = e.getActor();
        return new Entry(e.getTimestamp(), a.getUser(), a.getGroups(), a.getComponent(), verb(e.getOperation()), e.getRef(),
                "ACCEPTED", 200, "", "", e.getRevision(), e.getCommandId(), e.getCause());
    }

    /** A refused request: 401/403 at the gateway (its record in commands) or rejected by admission (its result). */
    static Entry refused(RefusalJoin.Refusal r) {
        Command c = r.command();
        Actor a = c.getActor();
        return new Entry(r.time(), a.getUser(), a.getGroups(), a.getComponent(), r.verb(), c.getTarget(),
                "REJECTED", r.code(), r.reason(), r.message(), null, c.getCommandId(), c.getCause());
    }

    /**
     * Reads the log and hands every matching entry to {@code sink}: in time order up to now, then (when following)
     * as they arrive until {@code stop} says so.
     */
    public static void run(LogReader reader, Cluster cluster, Filter filter, boolean follow, BooleanSupplier stop,
                           Progress progress, Consumer<Entry> sink) {
        RefusalJoin refusals = new RefusalJoin();
        List<Entry> backlog = new ArrayList<>();
        boolean[] live = {false};
        Consumer<Entry> emit = e -> {
            if (filter.test(e)) {
                if (live[0]) {
                    sink.accept(e);
                } else {
                    backlog.add(e);
                }
            }
        };
        List<String> topics = reader.isFile() ? List.of("events") : filter.includeRefused()
                ? List.of(cluster.topics().events(), cluster.topics().commands(), cluster.topics().results())
                : List.of(cluster.topics().events());
        if (reader.isFile() && (follow || filter.includeRefused())) {
            throw new IllegalArgumentException("An export file holds the accepted events only: --include-refused and --follow need the cluster");
        }
        reader.read(topics, follow, progress, stop, new LogReader.Handler() {
            @Override
            public boolean onRecord(String topic, Object value, long ts) {
                if (value instanceof ObjectEvent e) {
                    emit.accept(accepted(e));
                } else if (value instanceof Command c) {
                    refusals.onCommand(c).map(Audit::refused).ifPresent(emit);
                } else if (value instanceof CommandResult r) {
                    refusals.onResult(r).map(Audit::refused).ifPresent(emit);
                }
                return true;
            }

            @Override
            public void caughtUp() {
                backlog.sort(Comparator.comparing(Entry::time).thenComparing(e -> e.revision() == null ? Long.MAX_VALUE : e.revision()));
                backlog.forEach(sink);
                backlog.clear();
                live[0] = true;
            }
        });
    }

    public static List<Entry> query(LogReader reader, Cluster cluster, Filter filter, Progress progress) {
        List<Entry> out = new ArrayList<>();
        run(reader, cluster, filter, false, () -> false, progress, out::add);
        return out;
    }

    public static void print(List<Entry> entries, OutputFormat format, PrintStream out) {
        if (format == OutputFormat.TABLE) {
            OutputFormat.table(out, HEADERS, entries.stream().map(Entry::row).toList());
        } else {
            ObjectNode doc = Jsons.object();
            ArrayNode items = doc.putArray("items");
            entries.forEach(e -> items.add(e.toJson()));
            format.write(out, doc);
        }
    }

    /** One line per entry for --follow: a table row, or one JSON document per line. */
    public static Consumer<Entry> streamPrinter(OutputFormat format, PrintStream out) {
        if (format == OutputFormat.TABLE) {
            return e -> {
                out.println(String.join("  ", e.row()));
                out.flush();
            };
        }
        return e -> {
            if (format == OutputFormat.JSON) {
                out.println(Jsons.compact(e.toJson()));
            } else {
                format.write(out, e.toJson());
                out.println("---");
            }
            out.flush();
        };
    }
}
