package io.kronika.gateway.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.http.Reply;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Read-only: who changed what — {@code GET /history/audit?user=U&namespace=N&kind=K&name=X&limit=L&window=W}, the
 * newest {@code limit} accepted changes among the last {@code window} revisions, newest first, from the events'
 * actors (authenticated user, groups, component). Reads the events through the {@link EventFeed} from the log, so
 * its cost is the window, not the log. Refused attempts are in the commands topic: {@code kronika history audit
 * --include-refused}.
 */
public final class AuditTrail {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5000;
    static final long DEFAULT_WINDOW = 50_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ClusterView view;
    private final EventFeed feed;

    public AuditTrail(ClusterView view, EventFeed feed) {
        this.view = view;
        this.feed = feed;
    }

    /** The filters of a request; null means any. */
    record Filter(String user, String namespace, String kind, String name) implements Predicate<ObjectEvent> {
        @Override
        public boolean test(ObjectEvent event) {
            ObjectRef ref = event.getRef();
            return (user == null || user.equals(event.getActor().getUser()))
                    && (namespace == null || namespace.equals(ref.getNamespace()))
                    && (kind == null || kind.equalsIgnoreCase(ref.getKind()))
                    && (name == null || name.equals(ref.getName()));
        }
    }

    public Reply list(Filter filter, String limitParam, String windowParam) {
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
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        synchronized (newest) {
            for (Iterator<ObjectEvent> it = newest.descendingIterator(); it.hasNext(); ) {
                items.add(entry(it.next()));
            }
        }
        list.set("items", items);
        return Reply.json(200, list);
    }

    private static ObjectNode entry(ObjectEvent event) {
        ObjectNode entry = Json.newObject();
        entry.put("revision", event.getRevision());
        entry.put("time", event.getTimestamp().toString());
        entry.put("user", event.getActor().getUser());
        ArrayNode groups = entry.putArray("groups");
        event.getActor().getGroups().forEach(groups::add);
        entry.put("component", event.getActor().getComponent());
        entry.put("verb", event.getOperation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        ObjectRef ref = event.getRef();
        entry.put("group", ref.getGroup());
        entry.put("kind", ref.getKind());
        entry.put("namespace", ref.getNamespace());
        entry.put("name", ref.getName());
        return entry;
    }
}
