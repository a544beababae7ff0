package io.kronika.launcher;

import io.kronika.eventstore.admission.AdmissionProcessor;
import io.kronika.eventstore.broker.EmbeddedKafkaBroker;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.registry.EmbeddedSchemaRegistry;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.controllers.ControllerManager;
import io.kronika.controllers.ControllerOptions;
import io.kronika.gateway.ApiGateway;
import io.kronika.gateway.GatewaySettings;
import io.kronika.eventstore.admission.CommandAuthorization;
import io.kronika.launcher.security.ApiSecurity;
import io.kronika.launcher.security.ComponentKeys;
import io.kronika.schemas.auth.ComponentCredentials;
import io.kronika.launcher.security.DefaultPolicy;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.projections.ClusterView;
import io.kronika.replay.Cluster;
import io.kronika.replay.HistoryImport;
import io.kronika.replay.LogReader;
import io.kronika.replay.Progress;
import io.kronika.replay.SnapshotStore;
import io.kronika.replay.Snapshotter;
import io.kronika.scheduler.Scheduler;
import io.kronika.projections.EventFeed;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.secrets.DecryptingClusterView;
import io.kronika.projections.secrets.DecryptingEventFeed;
import io.kronika.schemas.secrets.SecretCodec;
import io.kronika.schemas.secrets.SecretKeyRing;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.registry.HttpSchemaRegistryClient;
import io.kronika.schemas.registry.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Every part of a cluster in this process, started in dependency order and stopped in reverse:
 * Kafka (embedded unless external), topics, schema registry, admission processor, default namespaces.
 */
public final class AllInOneCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AllInOneCluster.class);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private ClusterStatus status;
    private CommandClient commandClient;
    private SchemaRegistry registry;
    private KafkaStreamsClusterView view;
    private KafkaEventFeed feed;
    private ClusterView readView;
    private EventFeed readFeed;
    private String apiUrl;

    private AllInOneCluster() {
    }

    public static AllInOneCluster start(ClusterOptions options, Consumer<String> progress) throws Exception {
        AllInOneCluster cluster = new AllInOneCluster();
        try {
            cluster.startParts(options, progress);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startParts(ClusterOptions options, Consumer<String> progress) throws Exception {
        Path dataDir = options.dataDir();
        Files.createDirectories(dataDir);
        TopicNames topics = options.topics();
        // Secret values are encrypted before they reach Kafka; only the readers below (wrapped) see plaintext.
        SecretCodec secrets = SecretCodec.of(SecretKeyRing.openOrCreate(dataDir.resolve(SecretKeyRing.FILE)));

        String bootstrap = options.bootstrapServers;
        boolean embeddedKafka = bootstrap == null;
        short replicationFactor = options.replicationFactor;
        if (embeddedKafka) {
            progress.accept("Starting the embedded Kafka broker (KRaft) in " + dataDir.resolve("kafka"));
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), options.kafkaPort);
            parts.push(broker);
            bootstrap = broker.bootstrapServers();
            replicationFactor = 1;
        }
        progress.accept("Kafka: " + bootstrap + "; ensuring topics with prefix '" + topics.prefix() + "'");
        TopicProvisioner.ensureTopics(bootstrap, topics, replicationFactor);

        String registryUrl = options.schemaRegistryUrl;
        boolean embeddedRegistry = registryUrl == null;
        if (embeddedRegistry) {
            EmbeddedSchemaRegistry embedded = EmbeddedSchemaRegistry.start(bootstrap, topics, "127.0.0.1", options.schemaRegistryPort);
            parts.push(embedded);
            registryUrl = embedded.url();
        }
        progress.accept("Schema registry: " + registryUrl + (embeddedRegistry ? " (embedded)" : ""));
        registry = new HttpSchemaRegistryClient(registryUrl);

        // Commands written straight to Kafka are verified with this key (docs/decisions/010-authentication-and-rbac.md).
        byte[] componentKey = ComponentKeys.ensureMaster(dataDir);
        progress.accept("Starting the admission processor (restoring its state if needed)");
        AdmissionProcessor admission = AdmissionProcessor.start(bootstrap, topics, registry,
                AdmissionProcessor.Settings.defaults(dataDir.resolve("state")).withReplicationFactor(replicationFactor > 0 ? replicationFactor : -1)
                        .withAuthorization(new CommandAuthorization(componentKey, options.requireSignedCommands)));
        parts.push(admission);
        admission.awaitRunning(Duration.ofMinutes(5));

        commandClient = new CommandClient(bootstrap, topics, registry, "kronika-up", secrets);
        // This process authorizes its users itself (the gateway) or is a trusted component: it signs as system:kronika.
        commandClient.signAs(ComponentCredentials.TRUSTED, ComponentCredentials.derive(componentKey, ComponentCredentials.TRUSTED));
        parts.push(commandClient);
        if (options.importFile != null) {
            progress.accept("Importing the history in " + options.importFile + " (it needs an empty log)");
            long imported = HistoryImport.fromExport(new Cluster(bootstrap, registry, topics, null), commandClient, options.importFile, Progress.NONE);
            progress.accept("Imported " + imported + " events with their original revisions");
        }
        DefaultObjects.ensure(commandClient);

        progress.accept("Starting the projections (folding the log into the read views)");
        view = KafkaStreamsClusterView.start(bootstrap, topics, registry,
                KafkaStreamsClusterView.Settings.forInstance(topics, "all-in-one", dataDir.resolve("view")));
        parts.push(view);
        view.awaitRunning(Duration.ofMinutes(10));
        feed = KafkaEventFeed.start(bootstrap, topics, registry, view::offsetOfRevision,
                KafkaEventFeed.Settings.defaults("all-in-one"));
        DefaultPolicy.ensure(commandClient);
        ApiSecurity apiSecurity = ApiSecurity.of(dataDir, options.apiHost, options.insecureHttp);
        parts.push(feed);
        feed.awaitRunning(Duration.ofSeconds(60));
        readView = DecryptingClusterView.wrap(view, secrets);
        readFeed = DecryptingEventFeed.wrap(feed, secrets);
        if (options.snapshotEvery > 0) {
            parts.push(Snapshotter.start(new LogReader(new Cluster(bootstrap, registry, topics, null)),
                    SnapshotStore.inDataDir(dataDir), options.snapshotEvery));
        }

        ApiGateway gateway = ApiGateway.start(GatewaySettings.defaults().withHost(options.apiHost).withPort(options.apiPort)
                        .withServiceClusterIpRange(options.serviceClusterIpRange)
                        .withLimits(options.gatewayLimits()).withWatchTimeout(Duration.ofSeconds(options.minRequestTimeoutSeconds)),
                apiSecurity.gatewaySecurity(), commandClient, readView, readFeed);
        parts.push(gateway);
        apiUrl = gateway.url();
        KubernetesService.ensure(apiUrl, commandClient, apiSecurity);
        if (options.controllers) {
            ControllerManager controllers = ControllerManager.start(commandClient, readView, readFeed, bootstrap, topics,
                    ControllerOptions.defaults().withInstanceId("all-in-one").withLocalPathDir(dataDir.resolve("local-path"))
                            .withRootCa(apiSecurity.caPem()));
            parts.push(controllers);
            progress.accept("Controllers: replicaset, replicationcontroller, deployment, garbage collector, namespace, node lifecycle");
        }
        if (options.scheduler) {
            Scheduler scheduler = Scheduler.start(commandClient, readView, readFeed, bootstrap, topics, options.schedulerConfig);
            parts.push(scheduler);
            progress.accept("Scheduler: default-scheduler" + (options.schedulerConfig == null ? "" : " with " + options.schedulerConfig));
        }
        if (options.nodes > 0) {
            KubeletServices kubeletServices = KubeletServices.start(bootstrap, topics, registry, commandClient, readFeed, readView,
                    NodeNetworking.settings(options));
            parts.push(kubeletServices);
            KubeletFleet fleet = KubeletFleet.start(kubeletServices, KubeletFleet.Options.of(options.runtime,
                    KubeletFleet.names("node", options.nodes), dataDir.resolve("kubelet"))
                    .withServiceClusterIpRange(options.serviceClusterIpRange));
            parts.push(fleet);
            NodeNetworking.describe(kubeletServices).forEach(progress);
            progress.accept("Kubelets: " + options.nodes + " node(s) with the " + fleet.runtime() + " runtime"
                    + ("auto".equals(options.runtime) ? " (auto: " + ("docker".equals(fleet.runtime())
                    ? "a Docker engine answers)" : "no Docker engine answers)") : ""));
        }
        Path kubeconfig = Kubeconfig.write(dataDir.resolve(Kubeconfig.FILE), "kronika", apiUrl, apiSecurity.caPem(), apiSecurity.adminUser());
        progress.accept("Kubernetes API: " + apiUrl + "; kubeconfig: " + kubeconfig);

        status = new ClusterStatus(ProcessHandle.current().pid(), ClusterStatus.READY, dataDir.toString(), bootstrap,
                embeddedKafka, registryUrl, embeddedRegistry, topics.prefix(), apiUrl, Instant.now().toString(),
                "kubectl --kubeconfig " + dataDir.resolve(Kubeconfig.FILE) + " get namespaces");
        LOG.info("Cluster ready: Kafka {}, schema registry {}", bootstrap, registryUrl);
    }

    public ClusterStatus status() {
        return status;
    }

    public CommandClient commandClient() {
        return commandClient;
    }

    public SchemaRegistry schemaRegistry() {
        return registry;
    }

    /** The read side as components see it (Secrets decrypted). */
    public ClusterView view() {
        return readView;
    }

    public EventFeed feed() {
        return readFeed;
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
