package io.kronika.kubelet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one kubelet behaves. Defaults are Kubernetes' (heartbeats and lease every 10 s, restart back-off 10 s doubling
 * to 5 min, 110 pods); tests shorten the durations.
 *
 * @param nodeName             the Node this kubelet registers and serves
 * @param rootDir              where pod volumes, logs and runtime state live; null keeps logs in memory and makes
 *                             no volumes (sim nodes)
 * @param labels               labels added to the standard ones
 * @param maxPods              capacity and allocatable "pods"
 * @param cpuMillis            capacity cpu; 0 takes the runtime's figure
 * @param memoryBytes          capacity memory; 0 takes the runtime's figure
 * @param reservedCpuMillis    held back from allocatable for the system
 * @param reservedMemoryBytes  held back from allocatable for the system
 * @param heartbeatInterval    heartbeat records and Lease renewals
 * @param leaseDuration        the Lease's leaseDurationSeconds
 * @param statusReportInterval how often the Node status is posted when nothing changed
 * @param resyncInterval       how often every pod is synced even without an event
 * @param backoffInitial       first restart back-off (CrashLoopBackOff, ImagePullBackOff)
 * @param backoffMax           longest back-off
 * @param logMaxBytes          container log size before rotation
 * @param logMaxFiles          rotated files kept per container (the current one included)
 * @param shipLogs             send container output to the logs topic
 * @param kubeletVersion       nodeInfo.kubeletVersion
 * @param clusterDns           nameservers of ClusterFirst pods (the kubelet's --cluster-dns); empty: the pod-facing
 *                             address of the cluster DNS run by the same process, if any
 * @param clusterDomain        the cluster's DNS domain (--cluster-domain)
 */
public record KubeletConfig(String nodeName, Path rootDir, Map<String, String> labels, int maxPods, long cpuMillis,
                            long memoryBytes, long reservedCpuMillis, long reservedMemoryBytes,
                            Duration heartbeatInterval, Duration leaseDuration, Duration statusReportInterval,
                            Duration resyncInterval, Duration backoffInitial, Duration backoffMax, long logMaxBytes,
                            int logMaxFiles, boolean shipLogs, String kubeletVersion, List<String> clusterDns,
                            String clusterDomain) {
    public static final String VERSION = "v1.32.0-kronika";

    public static KubeletConfig defaults(String nodeName, Path rootDir) {
        return new KubeletConfig(nodeName, rootDir, Map.of(), 110, 0, 0, 0, 0, Duration.ofSeconds(10),
                Duration.ofSeconds(40), Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMinutes(5), 10 * 1024 * 1024, 5, true, VERSION, List.of(), "cluster.local");
    }

    public KubeletConfig withBackoff(Duration initial, Duration max) {
        return new KubeletConfig(nodeName, rootDir, labels, maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeatInterval, leaseDuration, statusReportInterval, resyncInterval, initial, max,
                logMaxBytes, logMaxFiles, shipLogs, kubeletVersion, clusterDns, clusterDomain);
    }

    public KubeletConfig withIntervals(Duration heartbeat, Duration statusReport, Duration resync) {
        return new KubeletConfig(nodeName, rootDir, labels, maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeat, leaseDuration, statusReport, resync, backoffInitial, backoffMax,
                logMaxBytes, logMaxFiles, shipLogs, kubeletVersion, clusterDns, clusterDomain);
    }

    public KubeletConfig withCapacity(long cpuMillis, long memoryBytes, int maxPods) {
        return new KubeletConfig(nodeName, rootDir, labels, maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeatInterval, leaseDuration, statusReportInterval, resyncInterval,
                backoffInitial, backoffMax, logMaxBytes, logMaxFiles, shipLogs, kubeletVersion, clusterDns, clusterDomain);
    }

    public KubeletConfig withLabels(Map<String, String> labels) {
        return new KubeletConfig(nodeName, rootDir, Map.copyOf(labels), maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeatInterval, leaseDuration, statusReportInterval, resyncInterval,
                backoffInitial, backoffMax, logMaxBytes, logMaxFiles, shipLogs, kubeletVersion, clusterDns, clusterDomain);
    }

    public KubeletConfig withLogs(long maxBytes, int maxFiles, boolean ship) {
        return new KubeletConfig(nodeName, rootDir, labels, maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeatInterval, leaseDuration, statusReportInterval, resyncInterval,
                backoffInitial, backoffMax, maxBytes, maxFiles, ship, kubeletVersion, clusterDns, clusterDomain);
    }

    public KubeletConfig withRootDir(Path rootDir) {
        return new KubeletConfig(nodeName, rootDir, labels, maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeatInterval, leaseDuration, statusReportInterval, resyncInterval,
                backoffInitial, backoffMax, logMaxBytes, logMaxFiles, shipLogs, kubeletVersion, clusterDns, clusterDomain);
    }

    /** The nameservers and domain ClusterFirst pods get (the kubelet's --cluster-dns and --cluster-domain). */
    public KubeletConfig withClusterDns(List<String> nameservers, String domain) {
        return new KubeletConfig(nodeName, rootDir, labels, maxPods, cpuMillis, memoryBytes, reservedCpuMillis,
                reservedMemoryBytes, heartbeatInterval, leaseDuration, statusReportInterval, resyncInterval,
                backoffInitial, backoffMax, logMaxBytes, logMaxFiles, shipLogs, kubeletVersion, List.copyOf(nameservers), domain);
    }
}
