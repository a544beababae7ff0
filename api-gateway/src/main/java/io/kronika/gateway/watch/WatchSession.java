package io.kronika.gateway.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.api.Status;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.http.GatewayContext;
import io.kronika.gateway.http.ObjectRenderer;
import io.kronika.gateway.selection.Selection;
import io.kronika.projections.EventFeed;
import io.kronika.projections.FeedEndedException;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One watch: optional synthetic ADDED events for the state at a revision, then every later event of the selection
 * from the feed, in order, once. With label or field selectors an object moving into the selection is ADDED and
 * one moving out is DELETED, as in Kubernetes. Bookmarks (when allowed) carry the last revision sent.
 */
final class WatchSession {
    private static final Logger LOG = LoggerFactory.getLogger(WatchSession.class);
    private static final int INITIAL_PAGE = 500;

    private final GatewayContext gateway;
    private final ResourceType type;
    private final Selection selection;
    private final WatchSink sink;
    private final boolean bookmarks;
    private final Runnable onClosed;
    private final UnaryOperator<String> present;
    /** Whether each key seen so far is in the selection (only kept when selectors need the object's body). */
    private final Map<String, Boolean> selected = new HashMap<>();
    private boolean stateKnownAtStart;
    private long lastRevision;
    private boolean closed;
    private EventFeed.Subscription subscription;
    private long bookmarkTimer = -1;
    private long timeoutTimer = -1;

    /** {@code present} turns each object's JSON into what the client asked to see (the object itself, or a Table). */
    WatchSession(GatewayContext gateway, ResourceType type, Selection selection, WatchSink sink, boolean bookmarks, Runnable onClosed,
                 UnaryOperator<String> present) {
        this.present = present;
        this.gateway = gateway;
        this.type = type;
        this.selection = selection;
        this.sink = sink;
        this.bookmarks = bookmarks;
        this.onClosed = onClosed;
    }

    /**
     * Starts streaming: with {@code initialState}, ADDED for every selected object as of {@code revision} (and the
     * initial-events-end bookmark when asked); then the events after {@code revision}.
     */
    void start(boolean initialState, long revision, boolean initialEventsEnd, Duration timeout) {
        sink.onClose(this::close);
        if (initialState) {
            sendInitialState(revision);
            stateKnownAtStart = true;
            if (initialEventsEnd) {
                sendBookmark(revision, true);
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            lastRevision = revision;
        }
        EventFeed.Subscription started = gateway.feed().subscribe(revision, selection::inScope, this::onEvent, this::onError);
        synchronized (this) {
            if (closed) {
                started.close();
                return;
            }
            subscription = started;
            if (bookmarks) {
                long every = Math.max(1, gateway.settings().bookmarkInterval().toMillis());
                bookmarkTimer = gateway.vertx().setPeriodic(every, id -> periodicBookmark());
            }
            timeoutTimer = gateway.vertx().setTimer(Math.max(1, timeout.toMillis()), id -> timedOut());
        }
    }

    /** Ends the stream with an ERROR event carrying {@code error}'s Status. */
    void fail(ApiException error) {
        sink.send("{\"type\":\"ERROR\",\"object\":" + Json.write(Status.failure(error)) + "}");
        sink.close();
        close();
    }

    private void sendInitialState(long revision) {
        String after = null;
        do {
            ListPage page = gateway.view().list(selection.keyPrefix(), revision, selection.storedFilter(), INITIAL_PAGE, after);
            synchronized (this) {
                if (closed) {
                    return;
                }
                for (StoredObject object : page.items()) {
                    if (selection.needsBody()) {
                        selected.put(object.key(), true);
                    }
                    sink.send(event("ADDED", present.apply(ObjectRenderer.render(type, object.json()))));
                }
            }
            after = page.continueAfterKey();
        } while (after != null);
    }

    private void onEvent(ObjectEvent event) {
        synchronized (this) {
            if (closed || event.getRevision() <= lastRevision) {
                return;
            }
            lastRevision = event.getRevision();
            String kind = eventType(event);
            if (kind != null) {
                sink.send(event(kind, present.apply(ObjectRenderer.render(type, event.getObject()))));
            }
        }
    }

    /** The watch event type for this selection, or null when the event is not for it. */
    private String eventType(ObjectEvent event) {
        if (!selection.needsBody()) {
            return event.getType().name();
        }
        String key = ObjectKeys.of(event.getRef());
        boolean matches = selection.matches(event.getRef(), event.getObject());
        if (event.getType() == EventType.DELETED) {
            boolean was = selected.getOrDefault(key, false) || matches;
            selected.remove(key);
            return was ? "DELETED" : null;
        }
        boolean was = event.getType() == EventType.ADDED ? false : previouslySelected(key, event);
        selected.put(key, matches);
        if (matches) {
            return was ? "MODIFIED" : "ADDED";
        }
        return was ? "DELETED" : null;
    }

    private boolean previouslySelected(String key, ObjectEvent event) {
        Boolean known = selected.get(key);
        if (known != null) {
            return known;
        }
        if (stateKnownAtStart || event.getPreviousRevision() == null) {
            return false;
        }
        try {
            gateway.readYourWrites().await(event.getPreviousRevision());
            Optional<StoredObject> previous = gateway.view().getAt(key, event.getPreviousRevision());
            return previous.map(p -> selection.matches(p.ref(), p.json())).orElse(false);
        } catch (RuntimeException e) {
            LOG.debug("Could not read the previous version of {} at {}", key, event.getPreviousRevision(), e);
            return false;
        }
    }

    /**
     * The feed ended this subscription. GONE is Kubernetes' 410 (the client re-lists); a watcher that fell behind or
     * a feed that is closing just sees the stream end, and resumes from its last revision; anything else is a 500.
     */
    private void onError(Throwable error) {
        FeedEndedException.Reason reason = error instanceof FeedEndedException ended ? ended.reason() : null;
        if (reason == FeedEndedException.Reason.TOO_SLOW || reason == FeedEndedException.Reason.FEED_CLOSED) {
            LOG.debug("Watch of {} ended by the feed: {}", type.qualifiedResource(), error.getMessage());
            sink.close();
            close();
            return;
        }
        long oldest = gateway.feed().oldestRevision();
        ApiException status = reason == FeedEndedException.Reason.GONE || lastRevision < oldest - 1
                ? new ApiException(410, "Expired", "too old resource version: " + lastRevision + " (" + Math.max(0, oldest - 1) + ")")
                : new ApiException(500, "InternalError", "Internal error occurred: the watch can not go on: " + error.getMessage());
        fail(status);
    }

    private void periodicBookmark() {
        synchronized (this) {
            if (!closed) {
                sendBookmark(lastRevision, false);
            }
        }
    }

    private void timedOut() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (bookmarks) {
                sendBookmark(lastRevision, false);
            }
        }
        sink.close();
        close();
    }

    private void sendBookmark(long revision, boolean initialEventsEnd) {
        ObjectNode object = Json.newObject();
        object.put("kind", type.kind());
        object.put("apiVersion", type.apiVersion());
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("resourceVersion", String.valueOf(revision));
        if (initialEventsEnd) {
            metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
        }
        sink.send(event("BOOKMARK", Json.write(object)));
    }

    private static String event(String type, String objectJson) {
        return "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";
    }

    /** Ends the stream normally (the gateway is stopping): the client re-watches from its last revision. */
    void end() {
        sink.close();
        close();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Stops the subscription and timers; idempotent. */
    void close() {
        EventFeed.Subscription toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = subscription;
            if (bookmarkTimer >= 0) {
                gateway.vertx().cancelTimer(bookmarkTimer);
            }
            if (timeoutTimer >= 0) {
                gateway.vertx().cancelTimer(timeoutTimer);
            }
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a feed subscription failed", e);
            }
        }
        onClosed.run();
    }
}
