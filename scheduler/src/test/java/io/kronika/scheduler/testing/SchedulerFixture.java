package io.kronika.scheduler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.projections.StoredObject;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.scheduler.Scheduler;
import io.kronika.scheduler.SchedulerOptions;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.scheduler.model.Json;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A real cluster for scheduler tests: the shared embedded broker, an admission processor under its own topics, the
 * real projections (Kafka Streams view and event feed), and schedulers started on it.
 */
public final class SchedulerFixture implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    public final AdmissionFixture cluster;
    public final KafkaStreamsClusterView view;
    public final KafkaEventFeed feed;
    private final Path stateDir;
    private final List<AutoCloseable> started = new ArrayList<>();

    public SchedulerFixture() throws Exception {
        cluster = new AdmissionFixture();
        stateDir = Files.createTempDirectory("kronika-scheduler-view");
        view = KafkaStreamsClusterView.start(SharedKafka.bootstrapServers(), cluster.topics, AdmissionFixture.REGISTRY,
                KafkaStreamsClusterView.Settings.forInstance(cluster.topics, "scheduler-test", stateDir)).awaitRunning(TIMEOUT);
        feed = KafkaEventFeed.start(SharedKafka.bootstrapServers(), cluster.topics, AdmissionFixture.REGISTRY, view::offsetOfRevision,
                KafkaEventFeed.Settings.defaults("scheduler-test-" + cluster.topics.prefix())).awaitRunning(TIMEOUT);
    }

    public Scheduler startScheduler(SchedulerConfiguration configuration, SchedulerOptions options) throws InterruptedException {
        Scheduler s = Scheduler.start(cluster.client(), view, feed, SharedKafka.bootstrapServers(), cluster.topics, configuration, options);
        started.add(s);
        if (!s.awaitSynced(TIMEOUT)) {
            throw new AssertionError("scheduler " + options.instanceId() + " did not sync");
        }
        return s;
    }

    /** One scheduler without leader election (it schedules at once), kube-scheduler defaults, a fixed tie-break seed. */
    public Scheduler startScheduler(String instance) throws InterruptedException {
        return startScheduler(SchedulerConfiguration.defaults(),
                SchedulerOptions.defaults().withInstanceId(instance).withLeaderElection(false).withRandomSeed(42L));
    }

    public CommandResult apply(io.kronika.schemas.Command command) throws Exception {
        return cluster.client().apply(command, TIMEOUT);
    }

    public void namespace(String name) throws Exception {
        apply(Commands.create(AdmissionFixture.namespace(name), AdmissionFixture.namespaceJson(name), AdmissionFixture.TEST_ACTOR));
    }

    public CommandResult createNode(Objects.NodeBuilder node) throws Exception {
        String json = node.json();
        String name = Json.parseObject(json).path("metadata").path("name").asText();
        return apply(Commands.create(ObjectKeys.ref("", "Node", "", name), stripServerFields(json), AdmissionFixture.TEST_ACTOR));
    }

    public CommandResult createPod(Objects.PodBuilder pod) throws Exception {
        ObjectNode p = Json.parseObject(pod.json());
        JsonNode meta = p.path("metadata");
        return apply(Commands.create(ObjectKeys.ref("", "Pod", meta.path("namespace").asText(), meta.path("name").asText()),
                stripServerFields(pod.json()), AdmissionFixture.TEST_ACTOR));
    }

    public CommandResult createPriorityClass(String name, int value) throws Exception {
        String json = "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + name
                + "\"},\"value\":" + value + "}";
        return apply(Commands.create(ObjectKeys.ref("scheduling.k8s.io", "PriorityClass", "", name), json, AdmissionFixture.TEST_ACTOR));
    }

    /** Kubernetes sets uid, resourceVersion and creationTimestamp; the builders' test values must not be submitted. */
    public static String stripServerFields(String json) {
        ObjectNode o = Json.parseObject(json);
        ObjectNode meta = (ObjectNode) o.get("metadata");
        meta.remove("uid");
        meta.remove("resourceVersion");
        meta.remove("creationTimestamp");
        return Json.write(o);
    }

    public Optional<ObjectNode> get(String key) {
        return view.get(key).map(StoredObject::json).map(Json::parseObject);
    }

    public Optional<ObjectNode> pod(String namespace, String name) {
        return get(ObjectKeys.of("", "Pod", namespace, name));
    }

    /** spec.nodeName of a pod ("" while unbound, null when it does not exist). */
    public String nodeOf(String namespace, String name) {
        return pod(namespace, name).map(p -> p.path("spec").path("nodeName").asText("")).orElse(null);
    }

    public List<ObjectNode> list(String prefix) {
        List<ObjectNode> all = new ArrayList<>();
        String after = null;
        do {
            var page = view.list(prefix, view.appliedRevision(), o -> true, 500, after);
            page.items().forEach(o -> all.add(Json.parseObject(o.json())));
            after = page.continueAfterKey();
        } while (after != null);
        return all;
    }

    /** The Events about a pod, in key order. */
    public List<ObjectNode> eventsAbout(String namespace, String pod) {
        return list(ObjectKeys.namespacePrefix("", "Event", namespace)).stream()
                .filter(e -> pod.equals(e.path("involvedObject").path("name").asText()))
                .toList();
    }

    /** Polls {@code condition} until it holds; fails after the deadline saying what was awaited. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, TIMEOUT, condition);
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    public static <T> T awaitValue(String what, Supplier<Optional<T>> value) throws InterruptedException {
        return org.awaitility.Awaitility.await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(value::get, Optional::isPresent).get();
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        feed.close();
        view.close();
        cluster.close();
        TestFiles.deleteRecursively(stateDir);
    }
}
