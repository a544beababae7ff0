package io.kronika.launcher;

import io.kronika.eventstore.topics.TopicNames;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a cluster keeps its data and where it listens; shared by the commands that start parts of it. */
public final class ClusterOptions {
    @Option(names = "--data-dir", defaultValue = "./data", description = "Directory of the cluster's data (default: ${DEFAULT-VALUE})")
    public Path dataDir;

    @Option(names = "--api-port", defaultValue = "6443", description = "Port of the Kubernetes API (default: ${DEFAULT-VALUE})")
    public int apiPort;

    @Option(names = "--api-host", defaultValue = "127.0.0.1", description = "Address the Kubernetes API listens on (default: ${DEFAULT-VALUE})")
    public String apiHost;

    @Option(names = "--insecure-http", description = "Serve the API over plain HTTP without authentication (loopback --api-host only; "
            + "default: HTTPS with the cluster CA under <data-dir>/pki, tokens, client certificates and RBAC)")
    public boolean insecureHttp;

    /** Commands written to Kafka without a component credential are refused (default); see --allow-unsigned-commands. */
    public boolean requireSignedCommands = true;

    @Option(names = "--allow-unsigned-commands", description = "For development only: admit commands written to Kafka "
            + "without a component credential (default: refuse them with 401; signed ones are verified either way)")
    void allowUnsignedCommands(boolean allow) {
        requireSignedCommands = !allow;
    }

    @Option(names = "--nodes", defaultValue = "1", description = "Kubelets to run in the all-in-one process (default: ${DEFAULT-VALUE}; 0 for none)")
    public int nodes;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "Container runtime of those kubelets: docker, process, sim or auto (docker when an engine answers, else process)")
    public String runtime;

    @Option(names = "--scheduler", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the scheduler in the all-in-one process (default: ${DEFAULT-VALUE}; --no-scheduler to leave pods pending)")
    public boolean scheduler;

    @Option(names = "--controllers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the controllers in the all-in-one process (default: ${DEFAULT-VALUE})")
    public boolean controllers;

    @Option(names = "--scheduler-config", description = "KubeSchedulerConfiguration-style profile file (default: kube-scheduler's defaults)")
    public Path schedulerConfig;

    @Option(names = "--service-proxy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the service proxy (ClusterIPs and NodePorts) with the kubelets (default: ${DEFAULT-VALUE})")
    public boolean serviceProxy;

    @Option(names = "--service-cluster-ip-range", defaultValue = "127.96.0.0/16",
            description = "ClusterIPs of Services; loopback by default so the host reaches them without routes (default: ${DEFAULT-VALUE})")
    public String serviceClusterIpRange;

    @Option(names = "--cluster-dns-port", defaultValue = "0", description = "UDP port of the cluster DNS on 127.0.0.1 (default: a free port; -1 for none)")
    public int clusterDnsPort;

    @Option(names = "--ingress-port", defaultValue = "-1", description = "Port of the ingress proxy for IngressClass kronika (default: none)")
    public int ingressPort;

    @Option(names = "--kafka-port", defaultValue = "0",
            description = "Port of the embedded Kafka broker (default: the one used last time with this data dir, else a free port)")
    public int kafkaPort;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of the embedded broker")
    public String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Use this Confluent-compatible schema registry instead of the embedded one")
    public String schemaRegistryUrl;

    @Option(names = "--schema-registry-port", defaultValue = "0", description = "Port of the embedded schema registry (default: a free port)")
    public int schemaRegistryPort;

    @Option(names = "--topic-prefix", defaultValue = TopicNames.DEFAULT_PREFIX,
            description = "Prefix of the cluster's topics, so several clusters can share a Kafka (default: ${DEFAULT-VALUE})")
    public String topicPrefix;

    @Option(names = "--replication-factor", defaultValue = "0",
            description = "Replication factor of new topics on an external Kafka (default: the brokers' default; 1 when embedded)")
    public short replicationFactor;

    @Option(names = "--snapshot-every", defaultValue = "50000",
            description = "Write a snapshot of the folded state to <data-dir>/snapshots every N events, so history replay starts from the nearest one (default: ${DEFAULT-VALUE}; 0 for none)")
    public long snapshotEvery;

    @Option(names = "--import", paramLabel = "FILE",
            description = "On the first start of an empty data dir, import this history export (kronika history export) before anything else writes")
    public Path importFile;

    /** Options with every default, as {@code up --data-dir DIR} would have them; every port free. */
    public static ClusterOptions defaults(Path dataDir) {
        ClusterOptions options = new ClusterOptions();
        picocli.CommandLine.populateCommand(new Holder(options), "--data-dir", dataDir.toString(), "--api-port", "0");
        return options;
    }

    /** Lets picocli fill the defaults exactly as the real commands do. */
    @picocli.CommandLine.Command
    private static final class Holder {
        @picocli.CommandLine.Mixin
        final ClusterOptions options;

        Holder(ClusterOptions options) {
            this.options = options;
        }
    }

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    @Option(names = "--max-request-body-bytes", defaultValue = "3145728", description = "Largest request body the API takes; larger ones get 413 (default: ${DEFAULT-VALUE})")
    public int maxRequestBodyBytes;

    @Option(names = "--max-requests-inflight", defaultValue = "600", description = "Requests served at once, watches and streams not counted; more get 429 with Retry-After; 0: no limit (default: ${DEFAULT-VALUE})")
    public int maxRequestsInflight;

    @Option(names = "--user-requests-per-second", defaultValue = "0", description = "Sustained requests per second per user (client address without authentication), a token bucket; 0: no limit (default: ${DEFAULT-VALUE})")
    public double userRequestsPerSecond;

    @Option(names = "--user-burst", defaultValue = "100", description = "Requests a user may send at once above --user-requests-per-second (default: ${DEFAULT-VALUE})")
    public int userBurst;

    @Option(names = "--min-request-timeout", defaultValue = "1800", description = "Seconds a watch without timeoutSeconds runs at least (randomly up to twice this, never longer) (default: ${DEFAULT-VALUE})")
    public int minRequestTimeoutSeconds;

    /** The API's limits these options set. */
    public io.kronika.gateway.GatewayLimits gatewayLimits() {
        return io.kronika.gateway.GatewayLimits.defaults().withMaxBodyBytes(maxRequestBodyBytes).withMaxRequestsInFlight(maxRequestsInflight)
                .withUserRate(userRequestsPerSecond, userBurst);
    }

    public TopicNames topics() {
        return new TopicNames(topicPrefix);
    }

    /** The options as command-line arguments, to start the same cluster in another process. */
    public java.util.List<String> asArguments() {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--data-dir", dataDir().toString(),
                "--api-port", String.valueOf(apiPort),
                "--api-host", apiHost,
                serviceProxy ? "--service-proxy" : "--no-service-proxy",
                "--service-cluster-ip-range", serviceClusterIpRange,
                "--cluster-dns-port", String.valueOf(clusterDnsPort),
                "--ingress-port", String.valueOf(ingressPort),
                "--nodes", String.valueOf(nodes),
                "--runtime", runtime,
                scheduler ? "--scheduler" : "--no-scheduler",
                controllers ? "--controllers" : "--no-controllers",
                "--kafka-port", String.valueOf(kafkaPort),
                "--schema-registry-port", String.valueOf(schemaRegistryPort),
                "--topic-prefix", topicPrefix,
                "--replication-factor", String.valueOf(replicationFactor)));
        if (insecureHttp) {
            args.add("--insecure-http");
        }
        if (!requireSignedCommands) {
            args.add("--allow-unsigned-commands");
        }
        if (bootstrapServers != null) {
            args.addAll(java.util.List.of("--bootstrap-servers", bootstrapServers));
        }
        if (schemaRegistryUrl != null) {
            args.addAll(java.util.List.of("--schema-registry-url", schemaRegistryUrl));
        }
        if (schedulerConfig != null) {
            args.addAll(java.util.List.of("--scheduler-config", schedulerConfig.toAbsolutePath().toString()));
        }
        args.addAll(java.util.List.of("--snapshot-every", String.valueOf(snapshotEvery)));
        if (importFile != null) {
            args.addAll(java.util.List.of("--import", importFile.toAbsolutePath().toString()));
        }
        return args;
    }
}
