package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.kubelet.dns.ClusterDns;
import io.kronika.kubelet.ingress.IngressProxy;
import io.kronika.kubelet.proxy.ServiceProxy;
import io.kronika.kubelet.runtime.process.ProcessRuntime;
import io.kronika.kubelet.testing.KubeletRuntimeTest;
import io.kronika.kubelet.testing.KubeletScenarios;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.Services;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real traffic through the service proxy and names from the cluster DNS: three busybox httpd processes (process
 * runtime) behind a Service, reached on the ClusterIP and the NodePort; a deleted pod leaves the rotation.
 */
class ServiceTrafficIntegrationTest extends KubeletRuntimeTest<ProcessRuntime> {
    private static final int SERVICE_PORT = 9080;
    private static Path root;
    private static KubeletServices proxyServices;

    ServiceTrafficIntegrationTest() {
        super("svc", "svc-node");
    }

    @BeforeAll
    static void startProxy() throws Exception {
        assertThat(Path.of("/bin/busybox")).as("busybox for the httpd pods").exists();
        root = Files.createTempDirectory("kubelet-service-test");
        TestCluster cluster = TestCluster.shared();
        // A second KubeletServices (no node endpoint) that runs only the proxy and the DNS server, as the launcher would.
        proxyServices = KubeletServices.start(SharedKafka.bootstrapServers(), cluster.admission.topics, AdmissionFixture.REGISTRY,
                cluster.admission.client(), cluster.feed, cluster.view, KubeletServices.Settings.defaults().withoutServer()
                        .withServiceProxy(new ServiceProxy.Settings("127.0.0.1", Duration.ofSeconds(1)))
                        .withClusterDns(ClusterDns.Settings.defaults().withPort(0))
                        .withIngress(new IngressProxy.Settings("127.0.0.1", 0)));
    }

    @AfterAll
    static void stopProxy() {
        if (proxyServices != null) {
            proxyServices.close();
        }
        TestFiles.deleteRecursively(root);
    }

    @Override
    protected ProcessRuntime newRuntime() {
        return new ProcessRuntime(nodeName, ProcessRuntime.Settings.defaults(root.resolve(nodeName).resolve("runtime")));
    }

    @Override
    protected KubeletConfig config() {
        return KubeletScenarios.config(nodeName, root.resolve(nodeName), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Override
    protected void release(ProcessRuntime runtime) {
        runtime.removeAll();
    }

    private static ObjectNode httpdPod(String name) {
        return httpdPod(name, "web");
    }

    /** busybox httpd on the pod's address, port 8080 (named http), answering its name at /, /a/ and /b/. */
    private static ObjectNode httpdPod(String name, String app) {
        ObjectNode c = container("httpd", "host", "sh", "-c",
                "d=$(mktemp -d) && mkdir $d/a $d/b && for f in $d $d/a $d/b; do echo $HOSTNAME > $f/index.html; done"
                        + " && exec /bin/busybox httpd -f -p $POD_IP:8080 -h $d");
        ObjectNode env = c.putArray("env").addObject();
        env.put("name", "POD_IP");
        env.putObject("valueFrom").putObject("fieldRef").put("fieldPath", "status.podIP");
        c.putArray("ports").addObject().put("name", "http").put("containerPort", 8080);
        ObjectNode pod = pod(name, "Always", c);
        ((ObjectNode) pod.get("metadata")).putObject("labels").put("app", app);
        return pod;
    }

    @Test
    void clusterIpAndNodePortSpreadOverTheReadyPodsAndFollowDeletionsAndDnsAnswers() throws Exception {
        ServiceProxy proxy = proxyServices.serviceProxy().orElseThrow();
        for (String name : List.of("web-0", "web-1", "web-2")) {
            cluster.createAndBind(ns, Json.write(httpdPod(name)), nodeName);
        }
        for (String name : List.of("web-0", "web-1", "web-2")) {
            cluster.awaitPod(ns, name, p -> "True".equals(Pods.condition(p, "Ready")), "Ready");
        }
        String clusterIp = "127.96.250." + (1 + Math.floorMod(ns.hashCode(), 250));
        int nodePort = Services.freeNodePort("127.0.0.1", 0);
        cluster.create("", "Service", ns, Json.write(Services.nodePort(ns, "web", "web", clusterIp, SERVICE_PORT, nodePort)));

        TestCluster.waitUntil(() -> proxy.backendsOf(clusterIp, SERVICE_PORT).size() == 3, TestCluster.TIMEOUT, "3 backends on the ClusterIP");
        assertThat(bodies(clusterIp, SERVICE_PORT, 9)).containsExactlyInAnyOrder("web-0", "web-1", "web-2");
        assertThat(bodies("127.0.0.1", nodePort, 9)).containsExactlyInAnyOrder("web-0", "web-1", "web-2");

        ClusterDns dns = proxyServices.clusterDns().orElseThrow();
        assertThat(queryA(dns.address(), "web." + ns + ".svc.cluster.local")).containsExactly(clusterIp);
        assertThat(querySrvPort(dns.address(), "_http._tcp.web." + ns + ".svc.cluster.local")).isEqualTo(SERVICE_PORT);
        assertThat(queryA(dns.address(), "nothing." + ns + ".svc.cluster.local")).isEmpty();

        long before = System.nanoTime();
        cluster.deletePod(ns, "web-1");
        TestCluster.waitUntil(() -> proxy.backendsOf(clusterIp, SERVICE_PORT).size() == 2, Duration.ofSeconds(5), "web-1 to leave the rotation");
        long followedMillis = (System.nanoTime() - before) / 1_000_000;
        assertThat(followedMillis).as("proxy followed the deletion within a second").isLessThan(1000);
        assertThat(bodies(clusterIp, SERVICE_PORT, 8)).containsExactlyInAnyOrder("web-0", "web-2");
        assertThat(bodies("127.0.0.1", nodePort, 8)).containsExactlyInAnyOrder("web-0", "web-2");
    }

    @Test
    void headlessServicesResolveToThePodAddresses() throws Exception {
        cluster.createAndBind(ns, Json.write(httpdPod("solo")), nodeName);
        ObjectNode ready = cluster.awaitPod(ns, "solo", p -> "True".equals(Pods.condition(p, "Ready")), "Ready");
        String podIp = Json.text(ready, "status", "podIP");
        ObjectNode svc = Json.object();
        svc.put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", "solo").put("namespace", ns);
        ObjectNode spec = svc.putObject("spec");
        spec.put("type", "ClusterIP").put("clusterIP", "None");
        spec.putObject("selector").put("app", "web");
        spec.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", 8080).put("targetPort", 8080);
        cluster.create("", "Service", ns, Json.write(svc));
        ClusterDns dns = proxyServices.clusterDns().orElseThrow();
        TestCluster.waitUntil(() -> queryA(dns.address(), "solo." + ns + ".svc.cluster.local").equals(List.of(podIp)),
                TestCluster.TIMEOUT, "the headless service to resolve to the pod");
    }

    @Test
    void anIngressRoutesTwoPathsToTwoServices() throws Exception {
        IngressProxy ingress = proxyServices.ingress().orElseThrow();
        cluster.createAndBind(ns, Json.write(httpdPod("alpha-0", "alpha")), nodeName);
        cluster.createAndBind(ns, Json.write(httpdPod("beta-0", "beta")), nodeName);
        for (String name : List.of("alpha-0", "beta-0")) {
            cluster.awaitPod(ns, name, p -> "True".equals(Pods.condition(p, "Ready")), "Ready");
        }
        for (String app : List.of("alpha", "beta")) {
            ObjectNode svc = Json.object();
            svc.put("apiVersion", "v1").put("kind", "Service");
            svc.putObject("metadata").put("name", app).put("namespace", ns);
            ObjectNode spec = svc.putObject("spec");
            spec.put("type", "ClusterIP").put("clusterIP", "None");
            spec.putObject("selector").put("app", app);
            spec.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", 80).put("targetPort", "http");
            cluster.create("", "Service", ns, Json.write(svc));
        }
        String host = "shop-" + ns + ".example";
        cluster.create("networking.k8s.io", "Ingress", ns, ingress("shop", "kronika", host));
        cluster.create("networking.k8s.io", "Ingress", ns, ingress("other-class", "nginx", "other-" + host));
        TestCluster.waitUntil(() -> ingress.routes().match(host, "/a/").map(r -> r.backends().size() == 1).orElse(false)
                        && ingress.routes().match(host, "/b/index.html").map(r -> r.backends().size() == 1).orElse(false),
                TestCluster.TIMEOUT, "the ingress routes with their endpoints");

        assertThat(httpGet(ingress.port(), host, "/a/index.html")).isEqualTo("200 alpha-0");
        assertThat(httpGet(ingress.port(), host, "/a")).doesNotContain("default backend");  // Prefix /a matches /a itself
        assertThat(httpGet(ingress.port(), host, "/b/index.html")).isEqualTo("200 beta-0");
        assertThat(httpGet(ingress.port(), host, "/b/")).isEqualTo("404 default backend - 404");        // Exact: only /b/index.html
        assertThat(httpGet(ingress.port(), host, "/ab/index.html")).isEqualTo("404 default backend - 404"); // Prefix matches whole elements
        assertThat(httpGet(ingress.port(), "other-" + host, "/a/index.html")).isEqualTo("404 default backend - 404");  // not our class
    }

    private String ingress(String name, String cls, String host) {
        ObjectNode ing = Json.object();
        ing.put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
        ing.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode spec = ing.putObject("spec");
        spec.put("ingressClassName", cls);
        com.fasterxml.jackson.databind.node.ArrayNode paths = spec.putArray("rules").addObject().put("host", host)
                .putObject("http").putArray("paths");
        ObjectNode a = paths.addObject().put("path", "/a").put("pathType", "Prefix");
        a.putObject("backend").putObject("service").put("name", "alpha").putObject("port").put("number", 80);
        ObjectNode b = paths.addObject().put("path", "/b/index.html").put("pathType", "Exact");
        b.putObject("backend").putObject("service").put("name", "beta").putObject("port").put("name", "http");
        return Json.write(ing);
    }

    /** "status body" of one HTTP/1.1 GET through the ingress proxy with this Host (chunked bodies decoded). */
    private static String httpGet(int port, String host, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headEnd);
            String body = response.substring(headEnd + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder decoded = new StringBuilder();
                int at = 0;
                while (true) {
                    int lineEnd = body.indexOf("\r\n", at);
                    int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
                    at = lineEnd + 2 + size + 2;
                }
                body = decoded.toString();
            }
            return head.split(" ")[1] + " " + body.trim();
        }
    }

    /** Bodies of {@code n} HTTP GETs, one connection each (each is a new proxy connection: round robin). */

    private static List<String> bodies(String host, int port, int n) throws IOException {
        java.util.ArrayList<String> result = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            result.add(get(host, port));
        }
        return new java.util.ArrayList<>(new HashSet<>(result));
    }

    private static String get(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /index.html HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.");
            return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    // ---------------------------------------------------------------- a minimal DNS client (RFC 1035 wire format)

    private static byte[] query(String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) 0x1234).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static List<byte[]> answers(InetSocketAddress server, String name, int type) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            byte[] q = query(name, type);
            socket.send(new DatagramPacket(q, q.length, server));
            byte[] buf = new byte[1500];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            socket.receive(reply);
            ByteBuffer r = ByteBuffer.wrap(buf, 0, reply.getLength());
            r.position(4);
            int qd = r.getShort() & 0xffff;
            int an = r.getShort() & 0xffff;
            r.position(12);
            for (int i = 0; i < qd; i++) {
                skipName(r);
                r.position(r.position() + 4);
            }
            java.util.ArrayList<byte[]> result = new java.util.ArrayList<>();
            for (int i = 0; i < an; i++) {
                skipName(r);
                int rtype = r.getShort() & 0xffff;
                r.position(r.position() + 6);
                int length = r.getShort() & 0xffff;
                byte[] data = new byte[length];
                r.get(data);
                if (rtype == type) {
                    result.add(data);
                }
            }
            return result;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void skipName(ByteBuffer r) {
        while (true) {
            int len = r.get() & 0xff;
            if (len == 0) {
                return;
            }
            if ((len & 0xc0) == 0xc0) {
                r.get();
                return;
            }
            r.position(r.position() + len);
        }
    }

    private static List<String> queryA(InetSocketAddress server, String name) {
        return answers(server, name, 1).stream()
                .map(d -> (d[0] & 0xff) + "." + (d[1] & 0xff) + "." + (d[2] & 0xff) + "." + (d[3] & 0xff)).toList();
    }

    private static int querySrvPort(InetSocketAddress server, String name) {
        List<byte[]> srv = answers(server, name, 33);
        assertThat(srv).hasSize(1);
        return ((srv.get(0)[4] & 0xff) << 8) | (srv.get(0)[5] & 0xff);
    }
}
