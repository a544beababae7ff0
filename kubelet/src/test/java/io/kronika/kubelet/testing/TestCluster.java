package io.kronika.kubelet.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.kubelet.KubeletServices;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One cluster per test JVM: the real admission processor on the shared broker, a view and an event feed over its
 * events, and kubelet services on them. Tests isolate themselves by namespace and node names.
 */
public final class TestCluster {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static TestCluster shared;

    public final AdmissionFixture admission;
    public final KafkaStreamsClusterView view;
    public final KafkaEventFeed feed;
    public final KubeletServices services;

    private TestCluster() throws Exception {
        admission = new AdmissionFixture();
        Path stateDir = Files.createTempDirectory("kubelet-test-view");
        view = KafkaStreamsClusterView.start(SharedKafka.bootstrapServers(), admission.topics, AdmissionFixture.REGISTRY,
                KafkaStreamsClusterView.Settings.forInstance(admission.topics, "kubelet-tests", stateDir)).awaitRunning(TIMEOUT);
        feed = KafkaEventFeed.start(SharedKafka.bootstrapServers(), admission.topics, AdmissionFixture.REGISTRY,
                view::offsetOfRevision, KafkaEventFeed.Settings.defaults("kubelet-tests")).awaitRunning(TIMEOUT);
        services = KubeletServices.start(SharedKafka.bootstrapServers(), admission.topics, AdmissionFixture.REGISTRY,
                admission.client(), feed, view, KubeletServices.Settings.defaults());
        for (String ns : new String[]{"default", "kube-system", "kube-public", "kube-node-lease"}) {
            createNamespace(ns);
        }
    }

    public static synchronized TestCluster shared() throws Exception {
        if (shared == null) {
            shared = new TestCluster();
        }
        return shared;
    }

    /** A fresh namespace for one test. */
    public String newNamespace(String prefix) throws Exception {
        String ns = prefix + "-" + COUNTER.incrementAndGet();
        createNamespace(ns);
        return ns;
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet();
    }

    public void createNamespace(String ns) throws Exception {
        CommandResult result = admission.client().submit(Commands.create(AdmissionFixture.namespace(ns),
                AdmissionFixture.namespaceJson(ns), AdmissionFixture.TEST_ACTOR)).get();
        if (result.getOutcome() != io.kronika.schemas.Outcome.ACCEPTED && !"AlreadyExists".equals(result.getReason())) {
            throw new IllegalStateException(result.getMessage());
        }
    }

    public static ObjectRef podRef(String ns, String name) {
        return ObjectKeys.ref("", "Pod", ns, name);
    }

    /** Creates a pod and binds it to {@code node}, as the gateway and the scheduler would. */
    public CommandResult createAndBind(String ns, String podJson, String node) throws Exception {
        ObjectNode pod = Json.parse(podJson);
        String name = Json.text(pod, "metadata", "name");
        CommandResult created = admission.client().apply(Commands.create(podRef(ns, name), podJson, AdmissionFixture.TEST_ACTOR), TIMEOUT);
        String uid = Json.text(Json.parse(created.getObject()), "metadata", "uid");
        return admission.client().apply(Commands.bind(podRef(ns, name), uid, node, AdmissionFixture.TEST_ACTOR), TIMEOUT);
    }

    public CommandResult create(String group, String kind, String ns, String json) throws Exception {
        String name = Json.text(Json.parse(json), "metadata", "name");
        return admission.client().apply(Commands.create(ObjectKeys.ref(group, kind, ns, name), json, AdmissionFixture.TEST_ACTOR), TIMEOUT);
    }

    public CommandResult deletePod(String ns, String name) throws Exception {
        return admission.client().apply(Commands.delete(podRef(ns, name), null, null, AdmissionFixture.TEST_ACTOR), TIMEOUT);
    }

    public Optional<ObjectNode> get(String key) {
        return view.get(key).map(o -> Json.parse(o.json()));
    }

    public Optional<ObjectNode> pod(String ns, String name) {
        return get(ObjectKeys.of(podRef(ns, name)));
    }

    public Optional<ObjectNode> node(String name) {
        return get(ObjectKeys.of("", "Node", "", name));
    }

    /** Polls the view until the object satisfies {@code condition}; returns it, or fails naming what was seen. */
    public ObjectNode await(String key, Predicate<ObjectNode> condition, Duration timeout, String what) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Optional<ObjectNode>> last = new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        try {
            return org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> { last.set(get(key)); return last.get(); }, o -> o.isPresent() && condition.test(o.get())).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new TimeoutException("Timed out after " + timeout + " waiting for " + what + " of " + key + "; last seen: "
                    + last.get().map(o -> Json.write(o.get("status") == null ? o : o.get("status"))).orElse("(absent)"));
        }
    }

    public ObjectNode awaitPod(String ns, String name, Predicate<ObjectNode> condition, String what) throws Exception {
        return await(ObjectKeys.of(podRef(ns, name)), condition, TIMEOUT, what);
    }

    public void awaitPodGone(String ns, String name) throws Exception {
        try {
            waitUntil(() -> pod(ns, name).isEmpty(), TIMEOUT, "pod " + ns + "/" + name + " to be gone");
        } catch (TimeoutException e) {
            StringBuilder history = new StringBuilder();
            String key = ObjectKeys.of(podRef(ns, name));
            admission.readAllEvents().stream().filter(ev -> ObjectKeys.of(ev.getRef()).equals(key)).forEach(ev ->
                    history.append("\n  ").append(ev.getRevision()).append(' ').append(ev.getType()).append(' ').append(ev.getOperation())
                            .append(" by ").append(ev.getActor().getUser()));
            throw new TimeoutException(e.getMessage() + "; applied revision " + view.appliedRevision() + "; events of the pod:" + history
                    + "\n  view: " + pod(ns, name).map(Json::write).orElse("(absent)"));
        }
    }

    public static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws Exception {
        try {
            org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new TimeoutException("Timed out after " + timeout + " waiting for " + what);
        }
    }
}
