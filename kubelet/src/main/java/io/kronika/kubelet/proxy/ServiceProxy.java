package io.kronika.kubelet.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kube-proxy role, in userspace: for every TCP port of every Service with a ClusterIP it listens on
 * ClusterIP:port, and for every nodePort on {@code nodePortHost}:nodePort, and joins each connection to a ready
 * endpoint ({@link EndpointSource}), round-robin. It follows Services, Endpoints and Pods from the {@link EventFeed}:
 * each event (after the view has applied it) triggers one coalesced resync from the view, so changes are followed
 * within milliseconds; a periodic resync (every second) also retries binds that failed.
 *
 * <p>ClusterIPs default to 127.96.0.0/16: Linux routes all of 127.0.0.0/8 to the loopback interface, so these
 * addresses bind without any route or interface change and the host and process-runtime pods reach them (docker-runtime
 * pods through a route of the range to their bridge gateway: {@code LoopbackServiceRoutes}). On a real
 * network kube-proxy's iptables or IPVS mode replaces this: DNAT rules (or IPVS virtual servers) per ClusterIP:port
 * and NodePort, rewritten on each endpoints change, so packets go to pods in the kernel with no proxy process in the
 * data path; ClusterIPs are then not bound at all.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
    private static final Set<String> WATCHED_KINDS = Set.of("Service", "Endpoints", "Pod");

    /**
     * @param nodePortHost where NodePorts listen (0.0.0.0: every address of the node; 127.0.0.1 in tests)
     * @param resync       the periodic full resync
     */
    public record Settings(String nodePortHost, Duration resync) {
        public static Settings defaults() {
            return new Settings("0.0.0.0", Duration.ofSeconds(1));
        }
    }

    private final ClusterView view;
    private final EndpointSource endpoints;
    private final Settings settings;
    private final ExecutorService threads;
    private final ScheduledExecutorService sync;
    private final Map<InetSocketAddress, TcpForwarder> forwarders = new ConcurrentHashMap<>();
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private final AtomicLong wantedRevision = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private volatile EventFeed.Subscription subscription;
    private volatile boolean closed;

    private ServiceProxy(ClusterView view, EventFeed feed, EndpointSource endpoints, Settings settings) {
        this.view = view;
        this.endpoints = endpoints;
        this.settings = settings;
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kube-proxy-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kube-proxy-sync");
            t.setDaemon(true);
            return t;
        });
        long from = view.appliedRevision();
        this.subscription = feed.subscribe(from, event -> WATCHED_KINDS.contains(event.getRef().getKind()),
                this::onEvent, error -> LOG.warn("service proxy: event feed ended ({}); relying on periodic resync", error.toString()));
        sync.scheduleWithFixedDelay(this::syncNow, 0, settings.resync().toMillis(), TimeUnit.MILLISECONDS);
    }

    public static ServiceProxy start(ClusterView view, EventFeed feed, EndpointSource endpoints, Settings settings) {
        return new ServiceProxy(view, feed, endpoints, settings);
    }

    private void onEvent(ObjectEvent event) {
        wantedRevision.accumulateAndGet(event.getRevision(), Math::max);
        if (syncPending.compareAndSet(false, true)) {
            sync.execute(() -> {
                syncPending.set(false);
                try {
                    view.awaitRevision(wantedRevision.get(), Duration.ofSeconds(5));
                } catch (Exception e) {
                    LOG.debug("service proxy: view behind the feed: {}", e.toString());
                }
                syncNow();
            });
        }
    }

    /** Number of completed resyncs (for tests and metrics). */
    public long syncCount() {
        return syncs.get();
    }

    /** The backends the proxy currently sends {@code address} to (empty when it does not listen there). */
    public List<InetSocketAddress> backendsOf(String host, int port) {
        TcpForwarder forwarder = forwarders.get(new InetSocketAddress(host, port));
        return forwarder == null ? List.of() : forwarder.backends();
    }

    private synchronized void syncNow() {
        if (closed) {
            return;
        }
        try {
            Map<InetSocketAddress, List<InetSocketAddress>> desired = new HashMap<>();
            long revision = view.appliedRevision();
            for (StoredObject stored : view.list(ObjectKeys.kindPrefix("", "Service"), revision, o -> true, 0, null).items()) {
                JsonNode service = Json.parse(stored.json());
                JsonNode spec = service.path("spec");
                String clusterIP = spec.path("clusterIP").asText("");
                boolean hasIp = !clusterIP.isEmpty() && !clusterIP.equals("None");
                for (JsonNode port : spec.path("ports")) {
                    if (!port.path("protocol").asText("TCP").equals("TCP")) {
                        continue;  // UDP / SCTP are not proxied
                    }
                    List<InetSocketAddress> backends = null;
                    if (hasIp) {
                        backends = endpoints.backends(service, port);
                        desired.put(new InetSocketAddress(clusterIP, port.path("port").asInt()), backends);
                    }
                    int nodePort = port.path("nodePort").asInt(0);
                    if (nodePort > 0) {
                        desired.put(new InetSocketAddress(settings.nodePortHost(), nodePort),
                                backends != null ? backends : endpoints.backends(service, port));
                    }
                }
            }
            for (InetSocketAddress address : new HashSet<>(forwarders.keySet())) {
                if (!desired.containsKey(address)) {
                    forwarders.remove(address).close();
                    LOG.info("service proxy: stopped listening on {}", address);
                }
            }
            for (Map.Entry<InetSocketAddress, List<InetSocketAddress>> entry : desired.entrySet()) {
                TcpForwarder existing = forwarders.get(entry.getKey());
                if (existing != null) {
                    existing.backends(entry.getValue());
                    continue;
                }
                try {
                    forwarders.put(entry.getKey(), new TcpForwarder(entry.getKey(), entry.getValue(), threads));
                    LOG.info("service proxy: listening on {}", entry.getKey());
                } catch (IOException e) {
                    LOG.warn("service proxy: can not listen on {}: {} (retrying)", entry.getKey(), e.toString());
                }
            }
            syncs.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("service proxy: sync failed", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        EventFeed.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        sync.shutdownNow();
        forwarders.values().forEach(TcpForwarder::close);
        forwarders.clear();
        threads.shutdownNow();
    }
}
