package io.kronika.eventstore.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The real Kafka broker (KRaft, broker and controller in one node) running in this JVM, its log under a
 * data directory. A restart reuses the formatted directory, its cluster id and its ports; it never reformats.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String PORTS_FILE = "kronika-ports.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /**
     * Starts a broker whose data lives in {@code dir}. {@code port} 0 means: the port used last time in this
     * directory, or a free one on first start.
     */
    public static EmbeddedKafkaBroker start(Path dir, int port) throws IOException {
        return start(dir, port, null);
    }

    /**
     * Starts a broker as {@link #start(Path, int)} does; with {@code security} its listeners take TLS and SASL only
     * and ACLs decide who may do what ({@link BrokerSecurity}). A directory formatted without security keeps no super
     * user: secure a cluster from its first start.
     */
    public static EmbeddedKafkaBroker start(Path dir, int port, BrokerSecurity security) throws IOException {
        Files.createDirectories(dir);
        Path logDir = dir.toAbsolutePath();
        Ports ports = Ports.resolve(logDir.resolve(PORTS_FILE), port);

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + ports.controller);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.broker + ",CONTROLLER://127.0.0.1:" + ports.controller);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.broker);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Commands can carry large objects (a ConfigMap may hold 1 MiB); leave head-room for the envelope.
        props.put("message.max.bytes", String.valueOf(4 * 1024 * 1024));
        props.put("log.retention.hours", "-1");
        if (security != null) {
            props.put("listeners", "SASL_SSL://127.0.0.1:" + ports.broker + ",CONTROLLER://127.0.0.1:" + ports.controller);
            props.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + ports.broker);
            props.putAll(security.brokerProperties());
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(config, logDir, security);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + ports.broker;
        LOG.info("Embedded Kafka broker (KRaft) listening on {}, data in {}", bootstrap, logDir);
        return new EmbeddedKafkaBroker(server, bootstrap, logDir);
    }

    private static void format(KafkaConfig config, Path logDir, BrokerSecurity security) throws IOException {
        try {
            Formatter formatter = new Formatter();
            if (security != null) {
                formatter.setScramArguments(java.util.List.of(security.scramBootstrapArgument()));
            }
            formatter
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setClusterId(org.apache.kafka.common.Uuid.randomUuid().toString())
                    .setNodeId(config.nodeId())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(java.util.List.of(logDir.toString()))
                    .run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker stopped");
    }

    /** The broker and controller ports of one data directory, kept so that a restart reuses them. */
    private record Ports(int broker, int controller) {
        static Ports resolve(Path file, int requestedBrokerPort) throws IOException {
            Properties saved = new Properties();
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    saved.load(r);
                }
            }
            int broker = requestedBrokerPort != 0 ? requestedBrokerPort
                    : Integer.parseInt(saved.getProperty("broker", String.valueOf(freePort())));
            int controller = Integer.parseInt(saved.getProperty("controller", String.valueOf(freePort())));
            saved.setProperty("broker", String.valueOf(broker));
            saved.setProperty("controller", String.valueOf(controller));
            try (Writer w = Files.newBufferedWriter(file)) {
                saved.store(w, "Ports of the embedded Kafka broker of this data directory");
            }
            return new Ports(broker, controller);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
