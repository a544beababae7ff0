package io.kronika.controllers.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.ControllerManager;
import io.kronika.controllers.ControllerOptions;
import io.kronika.controllers.core.NodeLifecycleController;
import io.kronika.controllers.core.PodGarbageCollector;
import io.kronika.controllers.framework.Json;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.kubelet.KubeletConfig;
import io.kronika.kubelet.KubeletFleet;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.runtime.sim.SimRuntime;
import io.kronika.projections.StoredObject;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.scheduler.Scheduler;
import io.kronika.scheduler.SchedulerOptions;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One cluster per test JVM: the real admission processor on the shared broker, a view and feed, three sim kubelets
 * (lease renewed every second), the real scheduler, and the controller manager (through leader election) with
 * short node-lifecycle and pod-GC durations. Tests isolate themselves by namespace.
 */
public final class ControllerCluster {
    public static final Duration TIMEOUT = Duration.ofSeconds(90);
    public static final NodeLifecycleController.Settings NODE_LIFECYCLE =
            new NodeLifecycleController.Settings(Duration.ofMillis(500), Duration.ofSeconds(8), 1);
    public static final PodGarbageCollector.Settings POD_GC = new PodGarbageCollector.Settings(Duration.ofSeconds(1), Duration.ofSeconds(2), 12500);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static ControllerCluster shared;
    /** Every controller but the CronJob one, which tests run on a clock of their own ({@link #startWithClock}). */
    public static final java.util.Set<String> SHARED_CONTROLLERS = ControllerManager.ALL.stream()
            .filter(n -> !n.equals(ControllerManager.CRONJOB)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    public final AdmissionFixture admission;
    public final KafkaStreamsClusterView view;
    public final KafkaEventFeed feed;
    public final KubeletServices services;
    public final KubeletFleet fleet;
    public final Scheduler scheduler;
    public final ControllerManager controllers;

    private ControllerCluster() throws Exception {
        admission = new AdmissionFixture();
        for (String ns : new String[]{"default", "kube-system", "kube-public", "kube-node-lease"}) {
            createNamespace(ns);
        }
        Path stateDir = Files.createTempDirectory("controllers-test-view");
        String bootstrap = SharedKafka.bootstrapServers();
        view = KafkaStreamsClusterView.start(bootstrap, admission.topics, AdmissionFixture.REGISTRY,
                KafkaStreamsClusterView.Settings.forInstance(admission.topics, "controllers-tests", stateDir)).awaitRunning(TIMEOUT);
        feed = KafkaEventFeed.start(bootstrap, admission.topics, AdmissionFixture.REGISTRY, view::offsetOfRevision,
                KafkaEventFeed.Settings.defaults("controllers-tests")).awaitRunning(TIMEOUT);
        services = KubeletServices.start(bootstrap, admission.topics, AdmissionFixture.REGISTRY, admission.client(), feed, view,
                KubeletServices.Settings.defaults().withoutServer());
        fleet = KubeletFleet.start(services, simNodes(KubeletFleet.names("cn", 3)));
        scheduler = Scheduler.start(admission.client(), view, feed, bootstrap, admission.topics, SchedulerConfiguration.defaults(),
                SchedulerOptions.defaults().withLeaderElection(false).withScheduledEvents(false));
        controllers = ControllerManager.start(admission.client(), view, feed, bootstrap, admission.topics,
                ControllerOptions.defaults().withInstanceId("controllers-test").withNodeLifecycle(NODE_LIFECYCLE).withPodGc(POD_GC)
                        .withEnabled(SHARED_CONTROLLERS));
        if (!controllers.awaitLeadership(TIMEOUT)) {
            throw new IllegalStateException("the controller manager was not elected");
        }
    }

    /** A second manager running only {@code controllers}, on {@code clock}, without leader election; close it after the test. */
    public ControllerManager startWithClock(java.util.Set<String> controllers, java.time.Clock clock) {
        return ControllerManager.start(admission.client(), view, feed, SharedKafka.bootstrapServers(), admission.topics,
                ControllerOptions.defaults().withInstanceId("controllers-test-clock").withLeaderElection(false)
                        .withEnabled(controllers).withClock(clock));
    }

    public KubeletFleet.Options simNodes(List<String> names) {
        return KubeletFleet.Options.of(KubeletFleet.SIM, names, null)
                .withSim(SimRuntime.Settings.defaults().withDelays(Duration.ofMillis(100), Duration.ofSeconds(2)))
                .withConfig((name, dir) -> KubeletConfig.defaults(name, dir)
                        .withIntervals(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(10)));
    }

    public static synchronized ControllerCluster shared() throws Exception {
        if (shared == null) {
            shared = new ControllerCluster();
        }
        return shared;
    }

    public String newNamespace(String prefix) throws Exception {
        String ns = prefix + "-" + COUNTER.incrementAndGet();
        createNamespace(ns);
        return ns;
    }

    public void createNamespace(String ns) throws Exception {
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns
                + "\"},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}";
        CommandResult result = admission.client().submit(Commands.create(AdmissionFixture.namespace(ns), json,
                AdmissionFixture.TEST_ACTOR)).get();
        if (result.getOutcome() != Outcome.ACCEPTED && !"AlreadyExists".equals(result.getReason())) {
            throw new IllegalStateException(result.getMessage());
        }
    }

    public CommandResult create(String group, String kind, String ns, String json) throws Exception {
        String name = Json.name(Json.parse(json));
        return admission.client().apply(Commands.create(ObjectKeys.ref(group, kind, ns, name), json, AdmissionFixture.TEST_ACTOR), TIMEOUT);
    }

    /** Reads the object, changes it, updates it; retries on conflict. */
    public CommandResult modify(String key, java.util.function.Consumer<ObjectNode> change) throws Exception {
        for (int attempt = 0; ; attempt++) {
            view.awaitRevision(admission.client().latestRevision(), TIMEOUT);
            StoredObject current = view.get(key).orElseThrow(() -> new IllegalStateException(key + " not found"));
            ObjectNode object = Json.parse(current.json());
            change.accept(object);
            CommandResult r = admission.client().submit(Commands.update(current.ref(), Json.write(object), current.revision(),
                    AdmissionFixture.TEST_ACTOR)).get();
            if (r.getOutcome() == Outcome.ACCEPTED) {
                return r;
            }
            if (r.getCode() != 409 || attempt > 20) {
                throw new IllegalStateException(r.getMessage());
            }
        }
    }

    public CommandResult delete(ObjectRef ref) throws Exception {
        return admission.client().apply(Commands.delete(ref, null, null, AdmissionFixture.TEST_ACTOR), TIMEOUT);
    }

    public Optional<ObjectNode> get(String key) {
        return view.get(key).map(o -> Json.parse(o.json()));
    }

    public List<ObjectNode> list(String prefix) {
        return view.list(prefix, view.appliedRevision(), o -> true, 0, null).items().stream().map(o -> Json.parse(o.json())).toList();
    }

    public ObjectNode await(String key, Predicate<ObjectNode> condition, String what) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Optional<ObjectNode>> last = new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        try {
            return org.awaitility.Awaitility.await(what).atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> { last.set(get(key)); return last.get(); }, o -> o.isPresent() && condition.test(o.get())).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new TimeoutException("Timed out after " + TIMEOUT + " waiting for " + what + " of " + key + "; last seen: "
                    + last.get().map(Json::write).orElse("(absent)"));
        }
    }

    public static void waitUntil(BooleanSupplier condition, String what) throws Exception {
        try {
            org.awaitility.Awaitility.await(what).atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new TimeoutException("Timed out after " + TIMEOUT + " waiting for " + what);
        }
    }

    /** As {@link #waitUntil(BooleanSupplier, String)}, describing the last state seen on timeout. */
    public static void waitUntil(BooleanSupplier condition, String what, java.util.function.Supplier<String> state) throws Exception {
        try {
            waitUntil(condition, what);
        } catch (TimeoutException e) {
            throw new TimeoutException(e.getMessage() + "; last seen: " + state.get());
        }
    }

    public static String deployment(String name, int replicas, String image, String extraSpec) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
                + (extraSpec == null ? "" : extraSpec + ",")
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{"
                + "\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}}}";
    }
}
