package io.kronika.gateway.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.log.RecentRefusals;
import io.kronika.eventstore.log.RefusalJoin;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.http.Reply;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Read-only: who changed what — {@code GET /history/audit?user=U&namespace=N&kind=K&name=X&limit=L&window=W}, the
 * newest {@code limit} accepted changes among the last {@code window} revisions, newest first, from the events'
 * actors (authenticated user, groups, component). Reads the events through the {@link EventFeed} from the log, so
 * its cost is the window, not the log. With {@code includeRefused=true} also the refused requests among the last
 * {@code window} records of the commands and results topics ({@link RecentRefusals}): 401/403 at the gateway and
 * admission's rejections (conflict, invalid, quota…) with code and reason, merged by time.
 */
public final class AuditTrail {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5000;
    static final long DEFAULT_WINDOW = 50_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ClusterView view;
    private final EventFeed feed;
    private final RecentRefusals refusals;

    public AuditTrail(ClusterView view, EventFeed feed, RecentRefusals refusals) {
        this.view = view;
        this.feed = feed;
        this.refusals = refusals;
    }

    /** The filters of a request; null means any. */
    record Filter(String user, String namespace, String kind, String name) implements Predicate<ObjectEvent> {
        @Override
        public boolean test(ObjectEvent event) {
            return test(event.getActor(), event.getRef());
        }

        boolean test(Actor actor, ObjectRef ref) {
            return (user == null || user.equals(actor.getUser()))
                    && (namespace == null || namespace.equals(ref.getNamespace()))
                    && (kind == null || kind.equalsIgnoreCase(ref.getKind()))
                    && (name == null || name.equals(ref.getName()));
        }
    }

    public Reply list(Filter filter, String limitParam, String windowParam, boolean includeRefused) {
        int limit = (int) ObjectVersions.number("limit", limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT);
        long window = ObjectVersions.number("window", windowParam, DEFAULT_WINDOW, 1, Long.MAX_VALUE);
        long head = view.appliedRevision();
        long after = Math.max(Math.max(0, feed.oldestRevision() - 1), head - window);
        Deque<ObjectEvent> newest = new ArrayDeque<>();
        if (after < head) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try (EventFeed.Subscription ignored = feed.subscribe(after, e -> true, event -> {
                if (event.getRevision() <= head && filter.test(event)) {
                    synchronized (newest) {
                        newest.addLast(event);
                        if (newest.size() > limit) {
                            newest.removeFirst();
                        }
                    }
                }
                if (event.getRevision() >= head) {
                    done.complete(null);
                }
            }, done::completeExceptionally)) {
                done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw ApiErrors.timeout("reading revisions " + (after + 1) + ".." + head + " of the log took over " + TIMEOUT.toSeconds()
                        + "s; ask for a smaller ?window=");
            } catch (ExecutionException e) {
                throw new ApiException(410, "Gone", "the log can not be read from revision " + (after + 1) + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiErrors.internal("interrupted");
            }
        }
        ObjectNode list = Json.newObject();
        list.put("kind", "AuditEntryList");
        list.put("apiVersion", "kronika.io/v1");
        ObjectNode metadata = list.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(head));
        metadata.put("fromRevision", after + 1);
        List<Row> rows = new ArrayList<>();
        synchronized (newest) {
            newest.forEach(event -> rows.add(new Row(event.getTimestamp(), event.getRevision(), entry(event))));
        }
        if (includeRefused) {
            if (refusals == null) {
                throw ApiErrors.internal("this gateway has no reader of the commands topic; refused requests: kronika history audit --include-refused");
            }
            metadata.put("refusalWindow", window);
            for (RefusalJoin.Refusal refusal : refusals.read(window)) {
                if (filter.test(refusal.command().getActor(), refusal.command().getTarget())) {
                    rows.add(new Row(refusal.time(), Long.MAX_VALUE, entry(refusal)));
                }
            }
        }
        rows.sort(Comparator.comparing(Row::time).thenComparingLong(Row::revision).reversed());
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        rows.stream().limit(limit).forEach(row -> items.add(row.entry()));
        list.set("items", items);
        return Reply.json(200, list);
    }

    /** An entry with its sort keys: time, then revision (refusals, having none, after the changes of the same instant). */
    private record Row(Instant time, long revision, ObjectNode entry) {
    }

    private static ObjectNode entry(ObjectEvent event) {
        ObjectNode entry = entry(event.getTimestamp(), event.getActor(), RefusalJoin.verb(event.getOperation()), event.getRef());
        entry.put("revision", event.getRevision());
        entry.put("outcome", "ACCEPTED");
        return entry;
    }

    private static ObjectNode entry(RefusalJoin.Refusal refusal) {
        Command command = refusal.command();
        ObjectNode entry = entry(refusal.time(), command.getActor(), refusal.verb(), command.getTarget());
        entry.put("outcome", "REJECTED");
        entry.put("code", refusal.code());
        entry.put("reason", refusal.reason());
        entry.put("message", refusal.message());
        entry.put("refusedBy", refusal.atGateway() ? "gateway" : "admission");
        entry.put("commandId", command.getCommandId());
        return entry;
    }

    private static ObjectNode entry(Instant time, Actor actor, String verb, ObjectRef ref) {
        ObjectNode entry = Json.newObject();
        entry.put("time", time.toString());
        entry.put("user", actor.getUser());
        ArrayNode groups = entry.putArray("groups");
        actor.getGroups().forEach(groups::add);
        entry.put("component", actor.getComponent());
        entry.put("verb", verb);
        entry.put("group", ref.getGroup());
        entry.put("kind", ref.getKind());
        entry.put("namespace", ref.getNamespace());
        entry.put("name", ref.getName());
        return entry;
    }
}
