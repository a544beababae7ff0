package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.kubelet.pod.PodSpecs;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.FeedEndedException;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelets of one process learn their pods here: one subscription to the event feed for the events of pods,
 * routed by spec.nodeName to the kubelet of that node (list then watch, as Kubernetes' informers do). A kubelet
 * that registers gets the pods bound to it as of the last revision routed, then every later event: no gap, no
 * duplicate. When the feed ends a subscription (a slow reader, a revision gone from the log) the dispatcher lists
 * again and every kubelet resyncs.
 */
final class PodDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodDispatcher.class);
    private static final String POD_PREFIX = ObjectKeys.kindPrefix("", "Pod");
    private static final Duration VIEW_WAIT = Duration.ofSeconds(60);

    interface NodeHandler {
        /** Every pod bound to the node as of a revision; pods not in it are gone. */
        void resync(List<ObjectNode> pods, long revision);

        /** One event of a pod bound to the node. */
        void event(ObjectEvent event, ObjectNode pod);
    }

    private final EventFeed feed;
    private final ClusterView view;
    private final Object lock = new Object();
    private final Map<String, NodeHandler> handlers = new ConcurrentHashMap<>();
    private long lastRevision = -1;
    private EventFeed.Subscription subscription;
    private volatile boolean closed;

    PodDispatcher(EventFeed feed, ClusterView view) {
        this.feed = feed;
        this.view = view;
    }

    void register(String nodeName, NodeHandler handler) throws Exception {
        synchronized (lock) {
            if (subscription == null) {
                subscribe();
            }
            long at = lastRevision;
            view.awaitRevision(at, VIEW_WAIT);
            handler.resync(listByNode(at).getOrDefault(nodeName, List.of()), at);
            handlers.put(nodeName, handler);
        }
    }

    void unregister(String nodeName) {
        handlers.remove(nodeName);
    }

    private void subscribe() {
        lastRevision = view.appliedRevision();
        subscription = feed.subscribe(lastRevision, PodDispatcher::isPod, this::deliver, this::ended);
    }

    private static boolean isPod(ObjectEvent event) {
        return "Pod".equals(event.getRef().getKind()) && event.getRef().getGroup().isEmpty();
    }

    private void deliver(ObjectEvent event) {
        ObjectNode pod;
        try {
            pod = Json.parse(event.getObject());
        } catch (RuntimeException e) {
            LOG.warn("Pod event at revision {} is not readable JSON; skipped", event.getRevision());
            return;
        }
        String node = PodSpecs.nodeName(pod);
        NodeHandler handler;
        synchronized (lock) {
            lastRevision = event.getRevision();
            handler = node == null ? null : handlers.get(node);
            if (handler != null) {
                handler.event(event, pod);
            }
        }
    }

    private void ended(Throwable error) {
        if (closed) {
            return;
        }
        boolean shutdown = error instanceof FeedEndedException f && f.reason() == FeedEndedException.Reason.FEED_CLOSED;
        if (shutdown) {
            LOG.info("The event feed closed; kubelets learn no more pod changes");
            return;
        }
        LOG.warn("The pod watch ended ({}); listing again and resyncing every kubelet", error.toString());
        Thread relist = new Thread(this::relist, "kubelet-pod-relist");
        relist.setDaemon(true);
        relist.start();
    }

    private void relist() {
        for (int attempt = 0; !closed; attempt++) {
            try {
                synchronized (lock) {
                    subscribe();
                    long at = lastRevision;
                    Map<String, List<ObjectNode>> byNode = listByNode(at);
                    handlers.forEach((node, handler) -> handler.resync(byNode.getOrDefault(node, List.of()), at));
                }
                return;
            } catch (RuntimeException e) {
                LOG.warn("Relisting pods failed (attempt {}); retrying", attempt + 1, e);
                try {
                    Thread.sleep(Math.min(5_000, 200L << Math.min(attempt, 5)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Map<String, List<ObjectNode>> listByNode(long revision) {
        Map<String, List<ObjectNode>> byNode = new HashMap<>();
        String after = null;
        do {
            ListPage page = view.list(POD_PREFIX, revision, o -> true, 2000, after);
            for (StoredObject item : page.items()) {
                ObjectNode pod = Json.parse(item.json());
                String node = PodSpecs.nodeName(pod);
                if (node != null && !node.isEmpty()) {
                    byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
                }
            }
            after = page.continueAfterKey();
        } while (after != null);
        return byNode;
    }

    @Override
    public void close() {
        closed = true;
        EventFeed.Subscription sub = subscription;
        if (sub != null) {
            sub.close();
        }
    }
}
