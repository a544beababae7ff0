package io.kronika.gateway.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.api.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * ClusterIP and NodePort allocation for Services, at admission time (kube-apiserver's service REST storage with its
 * IP and port allocators).
 *
 * <p><b>State.</b> There is no allocator state of its own: what is taken is what the Services in the view hold
 * ({@link ClusterView#list}), plus the allocations of creates and updates this gateway has handed out whose commands
 * the view has not applied yet ("in flight"). So the allocator is deterministic (lowest free address / port), survives
 * restarts without a bitmap object, and a deleted Service's IP and ports are free as soon as the view applies the
 * delete. Every allocation re-checks view plus in-flight under one lock, so two concurrent creates in this gateway can
 * never get the same IP or port: the second one sees the first one's reservation until the view holds the first
 * Service (or its command failed).
 *
 * <p><b>Several gateways.</b> The in-flight set is per process: two gateways could hand out the same IP in the window
 * before either write reaches the view. A multi-gateway deployment needs the check where writes are serialised: the
 * admission processor (one writer per partition, it sees every accepted Service in order) must refuse a Service whose
 * IP / nodePort another live Service holds (the gateway retries with the next free one), or the gateways must
 * partition the range (gateway i of n allocates only addresses ≡ i mod n), or allocate through an allocation object
 * written with an expected resourceVersion (kube-apiserver's RangeAllocation, compare-and-swap on a log key).
 */
public final class ServiceAllocator {
    public static final int NODE_PORT_MIN = 30000;
    public static final int NODE_PORT_MAX = 32767;

    private final ClusterView view;
    private final long firstIp;
    private final long lastIp;
    private final String cidr;
    private final List<Reservation> inFlight = new ArrayList<>();

    public ServiceAllocator(ClusterView view, String cidr) {
        this.view = view;
        this.cidr = cidr;
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
        }
        int bits = Integer.parseInt(parts[1]);
        if (bits < 8 || bits > 30) {
            throw new IllegalArgumentException("service CIDR prefix must be between /8 and /30: " + cidr);
        }
        long base = ipToLong(parts[0]) & (0xffffffffL << (32 - bits)) & 0xffffffffL;
        long size = 1L << (32 - bits);
        this.firstIp = base + 1;          // the network address is never handed out
        this.lastIp = base + size - 2;    // nor the broadcast address
    }

    /** What one write took; {@link #committed} or {@link #release} it when the command's answer is known. */
    public final class Reservation {
        private final String key;
        private final Set<Long> ips;
        private final Set<Integer> ports;
        private long revision = Long.MAX_VALUE;

        private Reservation(String key, Set<Long> ips, Set<Integer> ports) {
            this.key = key;
            this.ips = ips;
            this.ports = ports;
        }

        /** The write was accepted at {@code revision}: held until the view has applied it. */
        public void committed(long revision) {
            synchronized (ServiceAllocator.this) {
                this.revision = revision;
            }
        }

        /** The write failed: free at once. */
        public void release() {
            synchronized (ServiceAllocator.this) {
                inFlight.remove(this);
            }
        }
    }

    /**
     * Allocates (in place) the ClusterIP and NodePorts {@code service} needs, keeping those of {@code previous} (the
     * stored object on an update; null on create). Throws 422 for an IP or port that is taken or out of range.
     */
    public synchronized Reservation allocate(ObjectNode service, JsonNode previous) {
        ObjectNode metadata = Json.metadata(service);
        String namespace = Json.text(metadata, "namespace");
        String name = Json.text(metadata, "name");
        String key = name == null || name.isEmpty() ? null : ObjectKeys.of("", "Service", namespace, name);
        long applied = view.appliedRevision();
        inFlight.removeIf(r -> r.revision <= applied);
        Set<Long> usedIps = new HashSet<>();
        Set<Integer> usedPorts = new HashSet<>();
        for (StoredObject stored : view.list(ObjectKeys.kindPrefix("", "Service"), applied, o -> true, 0, null).items()) {
            if (stored.key().equals(key)) {
                continue;
            }
            JsonNode spec = Json.object(stored.json()).path("spec");
            collect(spec, usedIps, usedPorts);
        }
        for (Reservation r : inFlight) {
            if (r.key == null || !r.key.equals(key)) {
                usedIps.addAll(r.ips);
                usedPorts.addAll(r.ports);
            }
        }
        ObjectNode spec = service.get("spec") instanceof ObjectNode existing ? existing : service.putObject("spec");
        JsonNode previousSpec = previous == null ? null : previous.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        List<FieldError> errors = new ArrayList<>();
        Set<Long> takenIps = new HashSet<>();
        Set<Integer> takenPorts = new HashSet<>();

        // ClusterIP
        String clusterIP = spec.path("clusterIP").asText("");
        if (clusterIP.isEmpty() && spec.path("clusterIPs").isArray() && !spec.path("clusterIPs").isEmpty()) {
            clusterIP = spec.path("clusterIPs").get(0).asText("");
        }
        if (type.equals("ExternalName")) {
            // no ClusterIP
        } else if (clusterIP.equals("None")) {
            spec.put("clusterIP", "None");
            spec.putArray("clusterIPs").add("None");
        } else {
            String previousIp = previousSpec == null ? "" : previousSpec.path("clusterIP").asText("");
            if (clusterIP.isEmpty() && !previousIp.isEmpty()) {
                clusterIP = previousIp;  // an update that leaves it out keeps it, as PatchAllocatedValues does
            }
            if (previousSpec != null && !previousIp.isEmpty() && !clusterIP.equals(previousIp)) {
                errors.add(FieldError.invalid("spec.clusterIPs[0]", clusterIP, "may not change once set"));
            } else if (clusterIP.isEmpty()) {
                long ip = -1;
                for (long candidate = firstIp; candidate <= lastIp; candidate++) {
                    if (!usedIps.contains(candidate)) {
                        ip = candidate;
                        break;
                    }
                }
                if (ip < 0) {
                    throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full");
                }
                takenIps.add(ip);
                setIp(spec, longToIp(ip));
            } else if (!clusterIP.equals(previousIp)) {
                long ip;
                try {
                    ip = ipToLong(clusterIP);
                } catch (IllegalArgumentException e) {
                    ip = -1;
                }
                String field = "spec.clusterIPs";
                Object value = new Raw("[]string{\"" + clusterIP + "\"}");
                if (ip < 0) {
                    errors.add(FieldError.invalid("spec.clusterIPs[0]", clusterIP, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                } else if (ip < firstIp || ip > lastIp) {
                    errors.add(FieldError.invalid(field, value, "failed to allocate IP " + clusterIP
                            + ": the provided IP (" + clusterIP + ") is not in the valid range. The range of valid IPs is " + cidr));
                } else if (usedIps.contains(ip)) {
                    errors.add(FieldError.invalid(field, value, "failed to allocate IP " + clusterIP + ": provided IP is already allocated"));
                } else {
                    takenIps.add(ip);
                    setIp(spec, clusterIP);
                }
            } else {
                setIp(spec, clusterIP);
            }
        }

        // NodePorts
        boolean wantsNodePorts = type.equals("NodePort")
                || (type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
        JsonNode ports = spec.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            if (!(ports.get(i) instanceof ObjectNode port)) {
                continue;
            }
            if (!wantsNodePorts) {
                if (!type.equals("LoadBalancer")) {
                    port.remove("nodePort");
                }
                continue;
            }
            int nodePort = port.path("nodePort").asInt(0);
            Integer kept = previousNodePort(previousSpec, port);
            if (nodePort == 0 && kept != null) {
                nodePort = kept;
            }
            String field = "spec.ports[" + i + "].nodePort";
            if (nodePort == 0) {
                int chosen = -1;
                for (int candidate = NODE_PORT_MIN; candidate <= NODE_PORT_MAX; candidate++) {
                    if (!usedPorts.contains(candidate) && !takenPorts.contains(candidate)) {
                        chosen = candidate;
                        break;
                    }
                }
                if (chosen < 0) {
                    throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a nodePort: range is full");
                }
                takenPorts.add(chosen);
                port.put("nodePort", chosen);
            } else if (kept != null && kept == nodePort) {
                takenPorts.add(nodePort);
            } else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                errors.add(FieldError.invalid(field, nodePort, "provided port is not in the valid range. The range of valid ports is "
                        + NODE_PORT_MIN + "-" + NODE_PORT_MAX));
            } else if (usedPorts.contains(nodePort) || !takenPorts.add(nodePort)) {
                errors.add(FieldError.invalid(field, nodePort, "provided port is already allocated"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("", "Service", name == null ? "" : name, errors);
        }
        Reservation reservation = new Reservation(key, takenIps, takenPorts);
        inFlight.add(reservation);
        return reservation;
    }

    private static Integer previousNodePort(JsonNode previousSpec, JsonNode port) {
        if (previousSpec == null) {
            return null;
        }
        for (JsonNode old : previousSpec.path("ports")) {
            if (old.path("port").asInt() == port.path("port").asInt()
                    && old.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"))
                    && old.path("nodePort").asInt(0) != 0) {
                return old.path("nodePort").asInt();
            }
        }
        return null;
    }

    private static void setIp(ObjectNode spec, String ip) {
        spec.put("clusterIP", ip);
        ArrayNode ips = spec.putArray("clusterIPs");
        ips.add(ip);
        if (!spec.has("ipFamilies")) {
            spec.putArray("ipFamilies").add("IPv4");
        }
        if (!spec.has("ipFamilyPolicy")) {
            spec.put("ipFamilyPolicy", "SingleStack");
        }
    }

    private void collect(JsonNode spec, Set<Long> ips, Set<Integer> ports) {
        String ip = spec.path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            try {
                ips.add(ipToLong(ip));
            } catch (IllegalArgumentException ignored) {
                // not an IPv4 address: not in our range either
            }
        }
        for (JsonNode port : spec.path("ports")) {
            int nodePort = port.path("nodePort").asInt(0);
            if (nodePort != 0) {
                ports.add(nodePort);
            }
        }
    }

    /** Rendered verbatim in a field error (Go's %#v of a slice). */
    private record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    static long ipToLong(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long value = 0;
        for (String octet : octets) {
            int n;
            try {
                n = Integer.parseInt(octet);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            if (n < 0 || n > 255 || octet.isEmpty() || (octet.length() > 1 && octet.startsWith("0"))) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            value = (value << 8) | n;
        }
        return value;
    }

    static String longToIp(long value) {
        return ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
    }
}
