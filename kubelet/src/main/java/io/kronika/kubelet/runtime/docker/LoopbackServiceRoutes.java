package io.kronika.kubelet.runtime.docker;

import io.kronika.kubelet.runtime.RuntimeFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes a ClusterIP range on the host's loopback (127.96.0.0/16 in the all-in-one mode, where the service proxy and
 * the cluster DNS listen) reachable from pods on the Docker bridge, by routing instead of a proxy per pod:
 * <ul>
 *   <li>in the pod's network namespace (entered from the host through the sandbox's PID, as a CNI plugin does):
 *   {@code ip route replace <range> via <bridge gateway> dev eth0 table local} — the local table holds
 *   {@code local 127.0.0.0/8 dev lo}, and the longer prefix wins, so only the range leaves the pod, with the pod's
 *   own address as source; and {@code route_localnet=1} (a sandbox sysctl) so loopback-addressed packets may cross
 *   eth0;</li>
 *   <li>on the host, {@code route_localnet=1} on the bridge so the kernel accepts them there as local traffic.</li>
 * </ul>
 * route_localnet would also let a neighbour with raw sockets reach other loopback services (the issue behind
 * CVE-2020-8558 in kube-proxy), so both sides drop loopback destinations arriving from the bridge outside the range.
 * A range that is not loopback needs none of this: it leaves pods by their default route.
 */
final class LoopbackServiceRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackServiceRoutes.class);
    private static final String LOOPBACK = "127.0.0.0/8";
    private static final String POD_INTERFACE = "eth0";

    private final String range;

    private LoopbackServiceRoutes(String range) {
        this.range = range;
    }

    /**
     * Prepares the host side for {@code range} on {@code bridge}; returns routes that do nothing when the range is not
     * loopback or the host can not be prepared (not root: then docker pods do not reach ClusterIPs, which is logged).
     */
    static LoopbackServiceRoutes prepare(String range, String bridge) {
        if (range == null || !isLoopback(range)) {
            return new LoopbackServiceRoutes(null);
        }
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1");
            List<String> allow = List.of("INPUT", "-i", bridge, "-d", range, "-j", "ACCEPT");
            List<String> drop = List.of("INPUT", "-i", bridge, "-d", LOOPBACK, "-j", "DROP");
            if (run(iptables("-C", allow)) != 0 || run(iptables("-C", drop)) != 0) {
                run(iptables("-D", allow));
                run(iptables("-D", drop));
                check(iptables("-I", drop), "adding the loopback guard on " + bridge);
                check(iptables("-I", allow), "letting " + range + " through the loopback guard on " + bridge);
            }
            return new LoopbackServiceRoutes(range);
        } catch (IOException e) {
            LOG.warn("Docker pods will not reach the ClusterIPs in {}: preparing the host's {} failed ({}); run the kubelet as"
                    + " root on the Docker host", range, bridge, e.getMessage());
            return new LoopbackServiceRoutes(null);
        }
    }

    private static List<String> iptables(String action, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5", action));
        argv.addAll(rule);
        return argv;
    }

    static boolean isLoopback(String cidr) {
        String[] parts = cidr.split("/");
        return parts[0].startsWith("127.") && parts.length == 2 && Integer.parseInt(parts[1]) >= 8;
    }

    boolean active() {
        return range != null;
    }

    /** Sysctls of a bridge-network sandbox. */
    Map<String, String> sandboxSysctls() {
        return active() ? Map.of("net.ipv4.conf.all.route_localnet", "1") : Map.of();
    }

    /** Routes the range out of the running sandbox {@code pid} to {@code gateway}. */
    void plumb(long pid, String gateway) throws RuntimeFailure {
        if (!active()) {
            return;
        }
        try {
            if (gateway == null || gateway.isEmpty()) {
                throw new IOException("the sandbox has no bridge gateway");
            }
            String netns = "--net=/proc/" + pid + "/ns/net";
            check(List.of("nsenter", netns, "ip", "route", "replace", range, "via", gateway, "dev", POD_INTERFACE, "table", "local"),
                    "routing " + range + " via " + gateway);
            List<String> guard = new ArrayList<>(List.of("nsenter", netns));
            guard.addAll(iptables("-A", List.of("INPUT", "-i", POD_INTERFACE, "-d", LOOPBACK, "-j", "DROP")));
            check(guard, "adding the pod's loopback guard");
        } catch (IOException e) {
            throw new RuntimeFailure("CreatePodSandboxError", "setting up the pod's service routes failed: " + e.getMessage(), e);
        }
    }

    private static void check(List<String> argv, String what) throws IOException {
        StringBuilder output = new StringBuilder();
        int code = run(argv, output);
        if (code != 0) {
            throw new IOException(what + ": `" + String.join(" ", argv) + "` exited " + code + ": " + output.toString().strip());
        }
    }

    private static int run(List<String> argv) throws IOException {
        return run(argv, new StringBuilder());
    }

    private static int run(List<String> argv, StringBuilder output) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within 20 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
    }
}
