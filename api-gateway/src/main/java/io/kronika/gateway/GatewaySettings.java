package io.kronika.gateway;

import java.time.Duration;

/**
 * How a gateway listens and how long it waits.
 *
 * @param host               address to bind (default 127.0.0.1)
 * @param port               port to bind; 0 picks a free one
 * @param readYourWrites     how long a read waits for the projections to reach this gateway's latest acknowledged
 *                           write before it fails with 504
 * @param commandTimeout     how long a write waits for the admission processor's answer before it fails with 504
 * @param version            the Kubernetes version the gateway claims at /version, e.g. {@code v1.32.0+kronika}
 * @param bookmarkInterval   how often watches that allow bookmarks get one
 * @param watchTimeout       kube-apiserver's --min-request-timeout: a watch without timeoutSeconds runs between this
 *                           and twice this (randomised, so watchers do not all reconnect at once); no watch runs longer
 *                           than twice this
 * @param workerThreads      threads that serve reads from the projections (blocking calls)
 * @param user               the user recorded as the actor of commands when the gateway does not authenticate (GatewaySecurity.none())
 * @param serviceClusterIpRange the IPv4 CIDR ClusterIPs are allocated from (default 127.96.0.0/16: loopback, so the
 *                           host and process-runtime pods reach ClusterIPs without routes)
 * @param limits             body size, requests in flight and per-user rate ({@link GatewayLimits})
 */
public record GatewaySettings(String host, int port, Duration readYourWrites, Duration commandTimeout, String version,
                              Duration bookmarkInterval, Duration watchTimeout, int workerThreads, String user,
                              String serviceClusterIpRange, GatewayLimits limits) {
    public static final String DEFAULT_VERSION = "v1.32.0+kronika";
    public static final String DEFAULT_SERVICE_CLUSTER_IP_RANGE = "127.96.0.0/16";

    public static GatewaySettings defaults() {
        return new GatewaySettings("127.0.0.1", 0, Duration.ofSeconds(10), Duration.ofSeconds(30), DEFAULT_VERSION,
                Duration.ofSeconds(60), Duration.ofMinutes(30), 16, "kubernetes-admin", DEFAULT_SERVICE_CLUSTER_IP_RANGE,
                GatewayLimits.defaults());
    }

    public GatewaySettings withHost(String value) {
        return new GatewaySettings(value, port, readYourWrites, commandTimeout, version, bookmarkInterval, watchTimeout, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withPort(int value) {
        return new GatewaySettings(host, value, readYourWrites, commandTimeout, version, bookmarkInterval, watchTimeout, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withReadYourWrites(Duration value) {
        return new GatewaySettings(host, port, value, commandTimeout, version, bookmarkInterval, watchTimeout, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withCommandTimeout(Duration value) {
        return new GatewaySettings(host, port, readYourWrites, value, version, bookmarkInterval, watchTimeout, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withVersion(String value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, value, bookmarkInterval, watchTimeout, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withBookmarkInterval(Duration value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, version, value, watchTimeout, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withWatchTimeout(Duration value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, version, bookmarkInterval, value, workerThreads, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withWorkerThreads(int value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, version, bookmarkInterval, watchTimeout, value, user, serviceClusterIpRange, limits);
    }

    public GatewaySettings withUser(String value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, version, bookmarkInterval, watchTimeout, workerThreads, value, serviceClusterIpRange, limits);
    }

    public GatewaySettings withServiceClusterIpRange(String value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, version, bookmarkInterval, watchTimeout, workerThreads, user, value, limits);
    }

    public GatewaySettings withLimits(GatewayLimits value) {
        return new GatewaySettings(host, port, readYourWrites, commandTimeout, version, bookmarkInterval, watchTimeout, workerThreads, user,
                serviceClusterIpRange, value);
    }
}
