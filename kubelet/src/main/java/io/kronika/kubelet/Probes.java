package io.kronika.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.kubelet.runtime.ContainerRuntime;
import io.kronika.kubelet.runtime.ExecResult;
import io.kronika.kubelet.runtime.SandboxStatus;
import io.kronika.kubelet.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Startup, liveness and readiness probes (exec, httpGet, tcpSocket) with Kubernetes' timing and thresholds, and
 * lifecycle handlers (postStart, preStop). A probe runs every periodSeconds after initialDelaySeconds; liveness and
 * readiness wait for the startup probe to pass.
 */
final class Probes {
    private static final Logger LOG = LoggerFactory.getLogger(Probes.class);

    private Probes() {
    }

    record Result(boolean success, String message) {
    }

    static void schedule(PodWorker worker, ObjectNode pod, JsonNode container, ContainerRecord rec) {
        String containerId = rec.containerId;
        JsonNode startup = Json.at(container, "startupProbe");
        JsonNode liveness = Json.at(container, "livenessProbe");
        JsonNode readiness = Json.at(container, "readinessProbe");
        Duration podGrace = Duration.ofSeconds(Json.longAt(pod, 30, "spec", "terminationGracePeriodSeconds"));
        if (startup != null) {
            rec.probes.add(probe(worker, rec, containerId, container, startup, "startup", podGrace));
        }
        if (liveness != null) {
            rec.probes.add(probe(worker, rec, containerId, container, liveness, "liveness", podGrace));
        }
        if (readiness != null) {
            rec.probes.add(probe(worker, rec, containerId, container, readiness, "readiness", podGrace));
        }
    }

    private static ScheduledFuture<?> probe(PodWorker worker, ContainerRecord rec, String containerId, JsonNode container,
                                            JsonNode probe, String kind, Duration podGrace) {
        long initialDelay = Json.longAt(probe, 0, "initialDelaySeconds");
        long period = Math.max(1, Json.longAt(probe, 10, "periodSeconds"));
        int successThreshold = (int) Math.max(1, Json.longAt(probe, 1, "successThreshold"));
        int failureThreshold = (int) Math.max(1, Json.longAt(probe, 3, "failureThreshold"));
        Duration timeout = Duration.ofSeconds(Math.max(1, Json.longAt(probe, 1, "timeoutSeconds")));
        long probeGrace = Json.longAt(probe, -1, "terminationGracePeriodSeconds");
        Duration grace = probeGrace >= 0 ? Duration.ofSeconds(probeGrace) : podGrace;
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean busy = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Kubelet kubelet = worker.kubelet();
        Runnable tick = () -> {
            if (done.get() || !containerId.equals(rec.containerId)) {
                return;
            }
            if (!kind.equals("startup") && !rec.started) {
                return;
            }
            if (kind.equals("startup") && rec.started) {
                done.set(true);
                return;
            }
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            kubelet.services().blocking().execute(() -> {
                try {
                    Result result = run(worker, rec, containerId, container, probe, kind, timeout);
                    if (result.success()) {
                        failures.set(0);
                        if (successes.incrementAndGet() >= successThreshold) {
                            switch (kind) {
                                case "startup" -> {
                                    done.set(true);
                                    rec.started = true;
                                    worker.requestSync();
                                }
                                case "readiness" -> {
                                    if (!rec.ready) {
                                        rec.ready = true;
                                        worker.requestSync();
                                    }
                                }
                                default -> { }
                            }
                        }
                    } else {
                        successes.set(0);
                        LOG.debug("{} probe of {} failed: {}", kind, rec.name, result.message());
                        if (failures.incrementAndGet() >= failureThreshold) {
                            switch (kind) {
                                case "startup", "liveness" -> {
                                    done.set(true);
                                    worker.killForProbe(rec, containerId, "failed " + kind + " probe: " + result.message(), grace);
                                }
                                default -> {
                                    if (rec.ready) {
                                        rec.ready = false;
                                        worker.requestSync();
                                    }
                                }
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.debug("{} probe of {} could not run: {}", kind, rec.name, e.toString());
                } finally {
                    busy.set(false);
                }
            });
        };
        return kubelet.services().timers().scheduleWithFixedDelay(tick, initialDelay * 1000, period * 1000, TimeUnit.MILLISECONDS);
    }

    private static Result run(PodWorker worker, ContainerRecord rec, String containerId, JsonNode container, JsonNode probe,
                              String kind, Duration timeout) {
        ContainerRuntime runtime = worker.kubelet().runtime();
        if (probe.has("exec")) {
            ExecResult result = runtime.execSync(containerId, Json.strings(probe.get("exec"), "command"), timeout);
            return new Result(result.success(), result.timedOut() ? "timed out" : "exit code " + result.exitCode() + ": " + result.output());
        }
        if (rec.spec != null) {
            ContainerRuntime.ProbeAnswer simulated = runtime.simulatedProbe(rec.spec, kind);
            if (simulated != null) {
                return new Result(simulated.success(), simulated.message());
            }
        }
        SandboxStatus sandbox = worker.sandbox();
        String podIp = sandbox == null ? null : sandbox.ip();
        if (probe.has("httpGet")) {
            return httpGet(probe.get("httpGet"), container, podIp, timeout);
        }
        if (probe.has("tcpSocket")) {
            return tcp(probe.get("tcpSocket"), container, podIp, timeout);
        }
        return new Result(true, "no handler this node runs (grpc): counted as success");
    }

    static Result httpGet(JsonNode action, JsonNode container, String podIp, Duration timeout) {
        String host = Json.text(action, "host");
        if (host == null || host.isEmpty()) {
            host = podIp;
        }
        int port = port(action.get("port"), container);
        String scheme = Json.textOr(action, "scheme", "HTTP").toLowerCase();
        String path = Json.textOr(action, "path", "/");
        try {
            URI uri = new URI(scheme + "://" + host + ":" + port + (path.startsWith("/") ? path : "/" + path));
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("User-Agent", "kube-probe/1.32");
            for (JsonNode header : Json.list(action, "httpHeaders")) {
                connection.setRequestProperty(Json.text(header, "name"), Json.text(header, "value"));
            }
            int code = connection.getResponseCode();
            connection.disconnect();
            return new Result(code >= 200 && code < 400, "HTTP probe answered " + code);
        } catch (IOException | java.net.URISyntaxException e) {
            return new Result(false, "Get \"" + scheme + "://" + host + ":" + port + path + "\": " + e.getMessage());
        }
    }

    static Result tcp(JsonNode action, JsonNode container, String podIp, Duration timeout) {
        String host = Json.text(action, "host");
        if (host == null || host.isEmpty()) {
            host = podIp;
        }
        int port = port(action.get("port"), container);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return new Result(true, "connected");
        } catch (IOException e) {
            return new Result(false, "dial tcp " + host + ":" + port + ": " + e.getMessage());
        }
    }

    /** A numeric port, or a named container port. */
    static int port(JsonNode port, JsonNode container) {
        if (port == null) {
            return 80;
        }
        if (port.isNumber() || port.asText().matches("\\d+")) {
            return port.asInt();
        }
        for (JsonNode p : Json.list(container, "ports")) {
            if (port.asText().equals(Json.text(p, "name"))) {
                return (int) Json.longAt(p, 0, "containerPort");
            }
        }
        return -1;
    }

    /** Runs a lifecycle handler (exec, httpGet, tcpSocket, sleep) and waits for it, within {@code timeout}. */
    static void runHandler(PodWorker worker, ContainerRecord rec, JsonNode handler, Duration timeout) {
        String containerId = rec.containerId;
        if (containerId == null) {
            return;
        }
        try {
            if (handler.has("exec")) {
                worker.kubelet().runtime().execSync(containerId, Json.strings(handler.get("exec"), "command"), timeout);
            } else if (handler.has("httpGet")) {
                SandboxStatus sandbox = worker.sandbox();
                if (worker.kubelet().runtime().podNetworkReachable()) {
                    httpGet(handler.get("httpGet"), Json.object(), sandbox == null ? null : sandbox.ip(), timeout);
                }
            } else if (handler.has("sleep")) {
                long seconds = Json.longAt(handler.get("sleep"), 0, "seconds");
                Thread.sleep(Math.min(timeout.toMillis(), seconds * 1000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("Lifecycle handler of {} failed: {}", rec.name, e.toString());
        }
    }
}
