package io.kronika.kubelet.server;

import io.kronika.kubelet.Kubelet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.logs.ContainerLog;
import io.kronika.kubelet.logs.LogEntry;
import io.kronika.kubelet.logs.LogQuery;
import io.kronika.kubelet.runtime.ExecSession;
import io.kronika.kubelet.runtime.RuntimeFailure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node endpoint the gateway calls for what only the node has: container logs, exec, attach and port-forward.
 * Paths and parameters are the real kubelet's; see {@code kubelet/PROTOCOL.md}. One server serves every kubelet of
 * the process; requests go to the kubelet that runs the pod.
 */
public final class NodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);
    static final List<String> CHANNEL_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io", "portforward.k8s.io");
    static final byte STDIN = 0;
    static final byte STDOUT = 1;
    static final byte STDERR = 2;
    static final byte ERROR = 3;
    static final byte RESIZE = 4;
    static final byte CLOSE = (byte) 255;

    private final Vertx vertx;
    private final HttpServer server;
    private final KubeletServices services;

    private NodeServer(Vertx vertx, HttpServer server, KubeletServices services) {
        this.vertx = vertx;
        this.server = server;
        this.services = services;
    }

    /** Plain HTTP, no authentication (development: {@code --insecure-http}). */
    public static NodeServer start(String host, int port, KubeletServices services) {
        return start(host, port, services, null);
    }

    /**
     * With {@code tls}, HTTPS that asks for a client certificate signed by its client CA and lets only the callers
     * {@link NodeAuthorizer} allows through (401 without a certificate, 403 for others); null serves plain HTTP.
     */
    public static NodeServer start(String host, int port, KubeletServices services, NodeTls tls) {
        Vertx vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setWebSocketSubProtocols(CHANNEL_PROTOCOLS).setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 22);
        if (tls != null) {
            options.setSsl(true).setClientAuth(ClientAuth.REQUEST)
                    .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(tls.certificatePem())).addKeyValue(Buffer.buffer(tls.keyPem())))
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.clientCaPem())));
        }
        HttpServer server = vertx.createHttpServer(options);
        NodeServer node = new NodeServer(vertx, server, services);
        server.webSocketHandshakeHandler(node::handshake);
        server.webSocketHandler(node::webSocket);
        server.requestHandler(node::request);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("The node endpoint could not listen on " + host + ":" + port, e);
        }
        LOG.info("Node endpoint listening on {}:{} ({})", host, server.actualPort(), tls == null ? "plain HTTP, no authentication" : "HTTPS, client certificates");
        return node;
    }

    public int port() {
        return server.actualPort();
    }

    // ---- plain HTTP ----

    private void request(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/healthz")) {
            request.response().end("ok");
            return;
        }
        NodeAuthorizer.Decision decision = authorize(request.isSSL(), () -> request.connection().peerCertificates(), path);
        if (!decision.allowed()) {
            error(request.response(), decision.code(), decision.reason(), decision.message());
            return;
        }
        if (path.equals("/pods")) {
            StringBuilder json = new StringBuilder("{\"nodes\":[");
            boolean first = true;
            for (Kubelet kubelet : services.kubelets()) {
                json.append(first ? "" : ",").append("{\"name\":\"").append(kubelet.nodeName()).append("\",\"pods\":")
                        .append(kubelet.podCount()).append('}');
                first = false;
            }
            request.response().putHeader("Content-Type", "application/json").end(json.append("]}").toString());
            return;
        }
        if (path.equals("/stats/summary")) {
            String nodeName = request.getParam("node");
            Optional<Kubelet> kubelet = nodeName != null ? services.kubelet(nodeName)
                    : services.kubelets().size() == 1 ? services.kubelets().stream().findFirst() : Optional.empty();
            if (kubelet.isEmpty()) {
                error(request.response(), nodeName == null ? 400 : 404, nodeName == null ? "BadRequest" : "NotFound",
                        nodeName == null ? "this endpoint serves several nodes: name one with ?node=" : "node " + nodeName + " is not served here");
                return;
            }
            HttpServerResponse response = request.response();
            services.blocking().execute(() -> response.putHeader("Content-Type", "application/json")
                    .end(io.kronika.kubelet.util.Json.write(kubelet.get().statsSummary())));
            return;
        }
        if (path.startsWith("/containerLogs/")) {
            logs(request);
            return;
        }
        if (path.startsWith("/exec/") || path.startsWith("/attach/") || path.startsWith("/portForward/")) {
            error(request.response(), 400, "BadRequest", path + " needs a WebSocket upgrade with one of " + CHANNEL_PROTOCOLS);
            return;
        }
        error(request.response(), 404, "NotFound", "no such endpoint: " + path);
    }

    private void logs(HttpServerRequest request) {
        String[] parts = segments(request.path(), "/containerLogs/");
        if (parts.length < 2) {
            error(request.response(), 400, "BadRequest", "expected /containerLogs/{namespace}/{pod}/{container}");
            return;
        }
        String namespace = parts[0];
        String pod = parts[1];
        Optional<Kubelet> kubelet = services.kubeletOfPod(namespace, pod);
        if (kubelet.isEmpty()) {
            error(request.response(), 404, "NotFound", "pods \"" + pod + "\" not found on this node");
            return;
        }
        String container = parts.length > 2 ? parts[2] : kubelet.get().defaultContainer(namespace, pod).orElse("");
        boolean previous = bool(request.getParam("previous"));
        boolean follow = bool(request.getParam("follow"));
        LogQuery query;
        try {
            query = query(request);
        } catch (RuntimeException e) {
            error(request.response(), 400, "BadRequest", e.getMessage());
            return;
        }
        HttpServerResponse response = request.response();
        services.blocking().execute(() -> {
            Optional<ContainerLog> log = kubelet.get().containerLog(namespace, pod, container, previous);
            if (log.isEmpty()) {
                error(response, previous ? 400 : 404, previous ? "BadRequest" : "NotFound", previous
                        ? "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"
                        : "container \"" + container + "\" in pod \"" + pod + "\" is waiting to start or has no log");
                return;
            }
            response.setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8");
            AtomicLong budget = new AtomicLong(query.limitBytes() < 0 ? Long.MAX_VALUE : query.limitBytes());
            if (!follow) {
                StringBuilder out = new StringBuilder();
                for (LogEntry entry : log.get().read(query)) {
                    if (!take(out, entry.render(query.timestamps()), budget)) {
                        break;
                    }
                }
                response.end(out.toString());
                return;
            }
            AtomicBoolean done = new AtomicBoolean();
            AutoCloseable[] handle = new AutoCloseable[1];
            ContainerLog.Follower follower = new ContainerLog.Follower() {
                @Override
                public void entry(LogEntry entry) {
                    if (done.get()) {
                        return;
                    }
                    StringBuilder out = new StringBuilder();
                    boolean more = take(out, entry.render(query.timestamps()), budget);
                    if (out.length() > 0) {
                        response.write(out.toString());
                    }
                    if (!more) {
                        ended();
                    }
                }

                @Override
                public void ended() {
                    if (done.compareAndSet(false, true)) {
                        response.end();
                    }
                }
            };
            response.closeHandler(v -> {
                done.set(true);
                closeQuietly(handle[0]);
            });
            handle[0] = log.get().follow(query, follower);
        });
    }

    private static boolean take(StringBuilder out, String text, AtomicLong budget) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long left = budget.get();
        if (bytes.length <= left) {
            out.append(text);
            budget.addAndGet(-bytes.length);
            return budget.get() > 0;
        }
        out.append(new String(bytes, 0, (int) left, StandardCharsets.UTF_8));
        budget.set(0);
        return false;
    }

    private static LogQuery query(HttpServerRequest request) {
        long tail = request.getParam("tailLines") == null ? -1 : Long.parseLong(request.getParam("tailLines"));
        Instant since = null;
        if (request.getParam("sinceSeconds") != null) {
            since = Instant.now().minusSeconds(Long.parseLong(request.getParam("sinceSeconds")));
        } else if (request.getParam("sinceTime") != null) {
            since = Instant.parse(request.getParam("sinceTime"));
        }
        long limit = request.getParam("limitBytes") == null ? -1 : Long.parseLong(request.getParam("limitBytes"));
        return new LogQuery(tail, since, bool(request.getParam("timestamps")), limit);
    }

    // ---- WebSocket: exec, attach, port-forward ----

    private void handshake(ServerWebSocketHandshake handshake) {
        String path = handshake.path();
        if (!path.startsWith("/exec/") && !path.startsWith("/attach/") && !path.startsWith("/portForward/")) {
            handshake.reject(404);
            return;
        }
        NodeAuthorizer.Decision decision = authorize(handshake.isSsl(), handshake::peerCertificates, path);
        if (!decision.allowed()) {
            handshake.reject(decision.code());
            return;
        }
        handshake.accept();
    }

    private void webSocket(ServerWebSocket ws) {
        String path = ws.path();
        ws.pause();
        services.blocking().execute(() -> {
            try {
                if (path.startsWith("/portForward/")) {
                    portForward(ws);
                } else {
                    stream(ws, path.startsWith("/exec/"));
                }
            } catch (RuntimeException e) {
                LOG.debug("Stream {} failed: {}", path, e.toString());
                sendStatus(ws, failure("InternalError", e.getMessage(), null));
                ws.close();
            }
        });
    }

    private void stream(ServerWebSocket ws, boolean exec) {
        String[] parts = segments(ws.path(), exec ? "/exec/" : "/attach/");
        if (parts.length < 2) {
            sendStatus(ws, failure("BadRequest", "expected /" + (exec ? "exec" : "attach") + "/{namespace}/{pod}/{container}", null));
            ws.close();
            return;
        }
        String namespace = parts[0];
        String pod = parts[1];
        Params params = Params.parse(ws.query());
        Optional<Kubelet> kubelet = services.kubeletOfPod(namespace, pod);
        if (kubelet.isEmpty()) {
            sendStatus(ws, failure("NotFound", "pods \"" + pod + "\" not found on this node", null));
            ws.close();
            return;
        }
        String container = parts.length > 2 ? parts[2] : kubelet.get().defaultContainer(namespace, pod).orElse("");
        Optional<String> id = kubelet.get().containerId(namespace, pod, container);
        if (id.isEmpty()) {
            sendStatus(ws, failure("BadRequest", "container " + container + " is not valid for pod " + pod, null));
            ws.close();
            return;
        }
        boolean stdin = bool(params.first("stdin"));
        boolean tty = bool(params.first("tty"));
        ExecSession session;
        try {
            session = exec
                    ? kubelet.get().runtime().exec(id.get(), params.all("command"), stdin, tty)
                    : kubelet.get().runtime().attach(id.get(), stdin, tty);
        } catch (RuntimeFailure e) {
            sendStatus(ws, failure("InternalError", e.getMessage(), null));
            ws.close();
            return;
        }
        boolean v5 = "v5.channel.k8s.io".equals(ws.subProtocol());
        ws.binaryMessageHandler(message -> {
            if (message.length() == 0) {
                return;
            }
            byte channel = message.getByte(0);
            try {
                if (channel == STDIN && session.stdin() != null) {
                    session.stdin().write(message.getBytes(1, message.length()));
                    session.stdin().flush();
                } else if (channel == RESIZE) {
                    String json = message.getString(1, message.length());
                    int width = intField(json, "Width");
                    int height = intField(json, "Height");
                    if (width > 0 && height > 0) {
                        session.resize(width, height);
                    }
                } else if (channel == CLOSE && v5 && message.length() > 1 && message.getByte(1) == STDIN && session.stdin() != null) {
                    session.stdin().close();
                }
            } catch (IOException e) {
                LOG.debug("Writing to stdin failed: {}", e.toString());
            }
        });
        ws.closeHandler(v -> session.close());
        ws.resume();
        List<Thread> pumps = new ArrayList<>();
        pumps.add(pump(ws, session.stdout(), STDOUT));
        if (session.stderr() != null) {
            pumps.add(pump(ws, session.stderr(), STDERR));
        }
        int exitCode;
        try {
            exitCode = session.exitCode().get();
            for (Thread pump : pumps) {
                pump.join(2_000);
            }
        } catch (Exception e) {
            exitCode = -1;
        }
        if (exec) {
            sendStatus(ws, exitCode == 0 ? "{\"metadata\":{},\"status\":\"Success\"}"
                    : failure("NonZeroExitCode", "command terminated with non-zero exit code: error executing command "
                    + params.all("command") + ", exit code " + exitCode, Integer.toString(exitCode)));
        } else {
            sendStatus(ws, "{\"metadata\":{},\"status\":\"Success\"}");
        }
        session.close();
        ws.close();
    }

    private Thread pump(ServerWebSocket ws, InputStream in, byte channel) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    Buffer frame = Buffer.buffer(n + 1).appendByte(channel).appendBytes(buffer, 0, n);
                    ws.writeBinaryMessage(frame);
                }
            } catch (IOException | RuntimeException e) {
                LOG.trace("Output pump ended: {}", e.toString());
            }
        }, "kubelet-stream-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void portForward(ServerWebSocket ws) {
        String[] parts = segments(ws.path(), "/portForward/");
        Params params = Params.parse(ws.query());
        if (parts.length < 2) {
            ws.close((short) 1008, "expected /portForward/{namespace}/{pod}?ports=…");
            return;
        }
        String namespace = parts[0];
        String pod = parts[1];
        Optional<Kubelet> kubelet = services.kubeletOfPod(namespace, pod);
        List<Integer> ports = new ArrayList<>();
        for (String value : params.all("ports")) {
            for (String p : value.split(",")) {
                if (!p.isBlank()) {
                    ports.add(Integer.parseInt(p.trim()));
                }
            }
        }
        if (kubelet.isEmpty() || ports.isEmpty()) {
            ws.close((short) 1008, kubelet.isEmpty() ? "pod not found on this node" : "no ports given");
            return;
        }
        String ip = kubelet.get().podIp(namespace, pod).orElse(null);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            byte data = (byte) (2 * i);
            byte err = (byte) (2 * i + 1);
            ws.writeBinaryMessage(Buffer.buffer().appendByte(data).appendUnsignedShortLE(port));
            ws.writeBinaryMessage(Buffer.buffer().appendByte(err).appendUnsignedShortLE(port));
            Socket socket = null;
            if (ip != null && kubelet.get().runtime().podNetworkReachable()) {
                try {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(ip, port), 5_000);
                } catch (IOException e) {
                    socket = null;
                    ws.writeBinaryMessage(Buffer.buffer().appendByte(err).appendString(
                            "error forwarding port " + port + " to pod " + pod + ": " + e.getMessage()));
                }
            } else {
                ws.writeBinaryMessage(Buffer.buffer().appendByte(err).appendString(
                        "error forwarding port " + port + " to pod " + pod + ": the pod has no reachable network on this node"));
            }
            sockets.add(socket);
            if (socket != null) {
                Socket s = socket;
                Thread pump = new Thread(() -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = s.getInputStream()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            ws.writeBinaryMessage(Buffer.buffer(n + 1).appendByte(data).appendBytes(buffer, 0, n));
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // connection ended
                    }
                    ws.close();
                }, "kubelet-port-forward");
                pump.setDaemon(true);
                pump.start();
            }
        }
        ws.binaryMessageHandler(message -> {
            if (message.length() < 1) {
                return;
            }
            int channel = message.getUnsignedByte(0);
            int index = channel / 2;
            if (channel % 2 != 0 || index >= sockets.size() || sockets.get(index) == null) {
                return;
            }
            try {
                OutputStream out = sockets.get(index).getOutputStream();
                out.write(message.getBytes(1, message.length()));
                out.flush();
            } catch (IOException e) {
                ws.close();
            }
        });
        ws.closeHandler(v -> sockets.forEach(NodeServer::closeQuietly));
        ws.resume();
    }

    // ---- helpers ----

    private interface PeerCertificates {
        List<Certificate> get() throws SSLPeerUnverifiedException;
    }

    /** Plain HTTP has no authentication (the development mode); over TLS the client certificate decides. */
    private static NodeAuthorizer.Decision authorize(boolean ssl, PeerCertificates peer, String path) {
        if (!ssl) {
            return NodeAuthorizer.Decision.ALLOWED;
        }
        List<Certificate> certificates;
        try {
            certificates = peer.get();
        } catch (SSLPeerUnverifiedException e) {
            certificates = null;
        }
        return NodeAuthorizer.decide(certificates, path);
    }

    private static void sendStatus(ServerWebSocket ws, String statusJson) {
        try {
            ws.writeBinaryMessage(Buffer.buffer().appendByte(ERROR).appendString(statusJson));
        } catch (RuntimeException ignored) {
            // closed
        }
    }

    static String failure(String reason, String message, String exitCode) {
        String escaped = message == null ? "" : message.replace("\\", "\\\\").replace("\"", "\\\"");
        String details = exitCode == null ? "" : ",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + exitCode + "\"}]}";
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + escaped + "\",\"reason\":\"" + reason + "\"" + details + "}";
    }

    private static void error(HttpServerResponse response, int code, String reason, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        response.setStatusCode(code).putHeader("Content-Type", "application/json").end("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + escaped + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
    }

    private static String[] segments(String path, String prefix) {
        String rest = path.substring(prefix.length());
        String[] parts = rest.split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        return parts;
    }

    private static boolean bool(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private static int intField(String json, String field) {
        int at = json.indexOf("\"" + field + "\"");
        if (at < 0) {
            return -1;
        }
        int colon = json.indexOf(':', at);
        int end = colon + 1;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == ' ')) {
            end++;
        }
        try {
            return Integer.parseInt(json.substring(colon + 1, end).trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }

    /** Repeated query parameters (command=sh&command=-c&…). */
    record Params(List<String[]> pairs) {
        static Params parse(String query) {
            List<String[]> pairs = new ArrayList<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    pairs.add(new String[]{key, value});
                }
            }
            return new Params(pairs);
        }

        String first(String key) {
            for (String[] pair : pairs) {
                if (pair[0].equals(key)) {
                    return pair[1];
                }
            }
            return null;
        }

        List<String> all(String key) {
            List<String> values = new ArrayList<>();
            for (String[] pair : pairs) {
                if (pair[0].equals(key)) {
                    values.add(pair[1]);
                }
            }
            return values;
        }
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Closing the node endpoint: {}", e.toString());
        }
    }
}
