package io.kronika.kubelet;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.kubelet.dns.ClusterDns;
import io.kronika.kubelet.ingress.IngressProxy;
import io.kronika.kubelet.proxy.EndpointSource;
import io.kronika.kubelet.proxy.ServiceProxy;
import io.kronika.kubelet.proxy.ViewEndpointSource;
import io.kronika.kubelet.server.NodeServer;
import io.kronika.kubelet.server.NodeTls;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.schemas.LogLine;
import io.kronika.schemas.NodeHeartbeat;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every kubelet of one process shares: the command client, the view and the event feed (through one pod
 * dispatcher), a producer for heartbeats and log lines, timers, worker threads, and the node endpoint (one HTTP
 * server; requests are routed to the kubelet that runs the pod). Start it once, start any number of
 * {@link Kubelet}s on it, close them, then close this.
 */
public final class KubeletServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletServices.class);

    /**
     * @param workerThreads  threads that sync pods (runtime calls may block on them)
     * @param serverHost     address the node endpoint listens on; null starts no endpoint
     * @param serverPort     its port (0: any free one)
     * @param advertisedHost the address announced in Node objects and the endpoint URL
     * @param serviceProxy   the service proxy (kube-proxy role) of this process; null: none (the default)
     * @param clusterDns     the cluster DNS server of this process; null: none (the default)
     * @param ingress        the ingress proxy (IngressClass kronika) of this process; null: none (the default)
     * @param tls            HTTPS and client certificates for the node endpoint; null: plain HTTP without authentication
     */
    public record Settings(int workerThreads, String serverHost, int serverPort, String advertisedHost,
                           ServiceProxy.Settings serviceProxy, ClusterDns.Settings clusterDns, IngressProxy.Settings ingress,
                           NodeTls tls) {
        public Settings(int workerThreads, String serverHost, int serverPort, String advertisedHost,
                        ServiceProxy.Settings serviceProxy, ClusterDns.Settings clusterDns, IngressProxy.Settings ingress) {
            this(workerThreads, serverHost, serverPort, advertisedHost, serviceProxy, clusterDns, ingress, null);
        }

        public static Settings defaults() {
            return new Settings(Math.max(16, Runtime.getRuntime().availableProcessors() * 4), "127.0.0.1", 0, "127.0.0.1", null, null, null);
        }

        public Settings withoutServer() {
            return new Settings(workerThreads, null, 0, advertisedHost, serviceProxy, clusterDns, ingress, tls);
        }

        public Settings withServer(String host, int port, String advertised) {
            return new Settings(workerThreads, host, port, advertised, serviceProxy, clusterDns, ingress, tls);
        }

        /** Runs the service proxy (one per process, shared by its kubelets). */
        public Settings withServiceProxy(ServiceProxy.Settings value) {
            return new Settings(workerThreads, serverHost, serverPort, advertisedHost, value, clusterDns, ingress, tls);
        }

        /** Runs the ingress proxy (one per process). */
        public Settings withIngress(IngressProxy.Settings value) {
            return new Settings(workerThreads, serverHost, serverPort, advertisedHost, serviceProxy, clusterDns, value, tls);
        }

        /** Runs the cluster DNS server (one per process). */
        public Settings withClusterDns(ClusterDns.Settings value) {
            return new Settings(workerThreads, serverHost, serverPort, advertisedHost, serviceProxy, value, ingress, tls);
        }

        /** Serves the node endpoint over HTTPS with client certificates (null: plain HTTP). */
        public Settings withTls(NodeTls value) {
            return new Settings(workerThreads, serverHost, serverPort, advertisedHost, serviceProxy, clusterDns, ingress, value);
        }
    }

    private final CommandClient commands;
    private final ClusterView view;
    private final TopicNames topics;
    private final Settings settings;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final ExecutorService blocking;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<NodeHeartbeat> heartbeatSerializer;
    private final Serializer<LogLine> logSerializer;
    private final PodDispatcher dispatcher;
    private final Map<String, Kubelet> kubelets = new ConcurrentHashMap<>();
    private final NodeServer server;
    private final EndpointSource endpoints;
    private final ServiceProxy serviceProxy;
    private final ClusterDns clusterDns;
    private final IngressProxy ingress;

    private KubeletServices(String bootstrapServers, TopicNames topics, SchemaRegistry registry, CommandClient commands,
                            EventFeed feed, ClusterView view, Settings settings) {
        this.commands = commands;
        this.view = view;
        this.topics = topics;
        this.settings = settings;
        ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(2, daemon("kubelet-timer-"));
        scheduled.setRemoveOnCancelPolicy(true);
        this.timers = scheduled;
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("kubelet-worker-"));
        this.blocking = Executors.newCachedThreadPool(daemon("kubelet-blocking-"));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, topics.prefix() + "kubelet-" + Integer.toHexString(System.identityHashCode(this)),
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer());
        this.heartbeatSerializer = KronikaSerdes.avro(NodeHeartbeat.class, registry).serializer();
        this.logSerializer = KronikaSerdes.avro(LogLine.class, registry).serializer();
        this.dispatcher = new PodDispatcher(feed, view);
        this.server = settings.serverHost() == null ? null : NodeServer.start(settings.serverHost(), settings.serverPort(), this, settings.tls());
        this.endpoints = new ViewEndpointSource(view);
        this.serviceProxy = settings.serviceProxy() == null ? null : ServiceProxy.start(view, feed, endpoints, settings.serviceProxy());
        this.clusterDns = settings.clusterDns() == null ? null : ClusterDns.start(view, endpoints, settings.clusterDns());
        this.ingress = settings.ingress() == null ? null : IngressProxy.start(view, feed, endpoints, settings.ingress());
    }

    /** The ingress proxy of this process, if it runs one. */
    public java.util.Optional<IngressProxy> ingress() {
        return java.util.Optional.ofNullable(ingress);
    }

    /** The service proxy of this process, if it runs one. */
    public java.util.Optional<ServiceProxy> serviceProxy() {
        return java.util.Optional.ofNullable(serviceProxy);
    }

    /** The cluster DNS server of this process, if it runs one. */
    public java.util.Optional<ClusterDns> clusterDns() {
        return java.util.Optional.ofNullable(clusterDns);
    }

    public static KubeletServices start(String bootstrapServers, TopicNames topics, SchemaRegistry registry,
                                        CommandClient commands, EventFeed feed, ClusterView view, Settings settings) {
        return new KubeletServices(bootstrapServers, topics, registry, commands, feed, view, settings);
    }

    public CommandClient commands() {
        return commands;
    }

    public ClusterView view() {
        return view;
    }

    public TopicNames topics() {
        return topics;
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    /** Threads for pod syncs. */
    public ExecutorService workers() {
        return workers;
    }

    /** Threads for calls that wait long (stopping containers within their grace period, probes, streams). */
    public ExecutorService blocking() {
        return blocking;
    }

    /** The node endpoint's base URL, or null when there is none. */
    public String endpoint() {
        return server == null ? null : (settings.tls() == null ? "http://" : "https://") + settings.advertisedHost() + ":" + server.port();
    }

    public int endpointPort() {
        return server == null ? 0 : server.port();
    }

    public String advertisedHost() {
        return settings.advertisedHost();
    }

    PodDispatcher dispatcher() {
        return dispatcher;
    }

    void heartbeat(NodeHeartbeat heartbeat) {
        send(topics.heartbeats(), heartbeat.getNodeName(), heartbeatSerializer.serialize(topics.heartbeats(), heartbeat));
    }

    void shipLog(LogLine line) {
        String key = line.getNamespace() + "/" + line.getPod() + "/" + line.getContainer();
        send(topics.logs(), key, logSerializer.serialize(topics.logs(), line));
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    LOG.debug("Sending to {} failed: {}", topic, error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("Sending to {} failed: {}", topic, e.toString());
        }
    }

    void add(Kubelet kubelet) {
        kubelets.put(kubelet.nodeName(), kubelet);
    }

    void remove(Kubelet kubelet) {
        kubelets.remove(kubelet.nodeName(), kubelet);
    }

    /** The kubelets running on these services. */
    public Collection<Kubelet> kubelets() {
        return kubelets.values();
    }

    /** The kubelet that runs a pod, if one of these does. */
    public java.util.Optional<Kubelet> kubeletOfPod(String namespace, String name) {
        for (Kubelet kubelet : kubelets.values()) {
            if (kubelet.hasPod(namespace, name)) {
                return java.util.Optional.of(kubelet);
            }
        }
        return java.util.Optional.empty();
    }

    public java.util.Optional<Kubelet> kubelet(String nodeName) {
        return java.util.Optional.ofNullable(kubelets.get(nodeName));
    }

    @Override
    public void close() {
        for (Kubelet kubelet : kubelets.values()) {
            kubelet.close();
        }
        dispatcher.close();
        if (serviceProxy != null) {
            serviceProxy.close();
        }
        if (clusterDns != null) {
            clusterDns.close();
        }
        if (ingress != null) {
            ingress.close();
        }
        if (server != null) {
            server.close();
        }
        timers.shutdownNow();
        workers.shutdown();
        blocking.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
