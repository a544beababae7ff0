package io.kronika.kubelet.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.kubelet.util.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Service manifests for tests, and NodePorts free on this host. */
public final class Services {
    private Services() {
    }

    /** A NodePort Service selecting {@code app=APP}, one TCP port named http to the pods' port named http. */
    public static ObjectNode nodePort(String ns, String name, String app, String clusterIp, int port, int nodePort) {
        ObjectNode svc = Json.object();
        svc.put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode spec = svc.putObject("spec");
        spec.put("type", "NodePort").put("clusterIP", clusterIp);
        spec.putArray("clusterIPs").add(clusterIp);
        spec.putObject("selector").put("app", app);
        spec.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", port)
                .put("targetPort", "http").put("nodePort", nodePort);
        return svc;
    }

    /**
     * A port of the NodePort range (30000-32767) that {@code bindAddress} can bind now, searched from a start derived
     * from this JVM's pid plus {@code offset} (test classes of one JVM pass different offsets so they start apart).
     */
    public static int freeNodePort(String bindAddress, int offset) throws IOException {
        for (int port = 30000 + (int) ((ProcessHandle.current().pid() + offset) % 2000); port <= 32767; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(bindAddress, port));
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IOException("no free port in the NodePort range");
    }
}
