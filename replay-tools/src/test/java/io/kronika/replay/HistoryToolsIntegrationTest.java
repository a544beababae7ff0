package io.kronika.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The history tools against a real broker and the real admission processor. */
class HistoryToolsIntegrationTest {
    static final Duration T = Duration.ofSeconds(30);
    static final Actor ALICE = Commands.actor("alice", "api-gateway", "devs");
    static final Actor BOB = Commands.actor("bob", "api-gateway", "ops");
    static final Actor SCHEDULER = Commands.actor("system:kube-scheduler", "scheduler");
    static final ObjectRef NS = AdmissionFixture.namespace("ns");
    static final ObjectRef CM = AdmissionFixture.configMap("ns", "cfg");
    static final ObjectRef CM2 = AdmissionFixture.configMap("ns", "other");
    static final ObjectRef POD = ObjectKeys.ref("", "Pod", "ns", "web-0");
    static final ObjectRef RS = ObjectKeys.ref("apps", "ReplicaSet", "ns", "web");
    static final String DECISION = "{\"kind\":\"SchedulingDecision\",\"scheduler\":\"default-scheduler\",\"result\":\"Scheduled\",\"node\":\"n2\","
            + "\"nodes\":{\"total\":3,\"evaluated\":3,\"feasible\":2},\"filtered\":{\"Insufficient cpu\":1},"
            + "\"chosen\":{\"node\":\"n2\",\"score\":90},\"runnerUp\":{\"node\":\"n1\",\"score\":70}}";

    static AdmissionFixture fixture;
    static Cluster cluster;
    static LogReader reader;
    /** Revisions after each step. */
    static long afterCreate, afterUpdate, afterSecond, afterDelete, last;
    static java.time.Instant timeAfterUpdate;

    @BeforeAll
    static void scenario() throws Exception {
        fixture = new AdmissionFixture();
        cluster = new Cluster(SharedKafka.bootstrapServers(), AdmissionFixture.REGISTRY, fixture.topics, null);
        reader = new LogReader(cluster);
        CommandClient c = fixture.client();
        c.apply(Commands.create(NS, AdmissionFixture.namespaceJson("ns"), ALICE), T);
        afterCreate = c.apply(Commands.create(CM, AdmissionFixture.configMapJson("cfg", "v1"), ALICE), T).getRevision();
        CommandResult refused = c.submit(Commands.create(CM, AdmissionFixture.configMapJson("cfg", "again"), BOB)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(refused.getOutcome()).isEqualTo(Outcome.REJECTED);
        afterUpdate = c.apply(Commands.update(CM, AdmissionFixture.configMapJson("cfg", "v2"), afterCreate, BOB), T).getRevision();
        timeAfterUpdate = readEvents().stream().filter(e -> e.getRevision() == afterUpdate).findFirst().orElseThrow().getTimestamp();
        CommandResult stale = c.submit(Commands.update(CM, AdmissionFixture.configMapJson("cfg", "v3"), afterCreate, BOB)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stale.getReason()).isEqualTo("Conflict");
        afterSecond = c.apply(Commands.create(CM2, AdmissionFixture.configMapJson("other", "x"), ALICE), T).getRevision();
        afterDelete = c.apply(Commands.delete(CM2, null, null, ALICE), T).getRevision();
        CommandResult rs = c.apply(Commands.create(RS, "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}", ALICE), T);
        String rsUid = Jsons.parse(rs.getObject()).path("metadata").path("uid").asText();
        CommandResult pod = c.apply(Commands.create(POD, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-0\",\"labels\":{\"app\":\"web\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web\",\"uid\":\"" + rsUid + "\",\"controller\":true}]},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", Commands.actor("system:controller:replicaset", "controller/replicaset")), T);
        String podUid = Jsons.parse(pod.getObject()).path("metadata").path("uid").asText();
        var bind = Commands.bind(POD, podUid, "n2", SCHEDULER);
        bind.setCause(DECISION);
        last = c.apply(bind, T).getRevision();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    static List<ObjectEvent> readEvents() {
        return fixture.readAllEvents();
    }

    @Test
    void replayToRevisionIsTheStateThen() {
        StateFold atCreate = Replay.toRevision(reader, afterCreate, Progress.NONE);
        assertThat(atCreate.revision()).isEqualTo(afterCreate);
        JsonNode cm = Jsons.parse(atCreate.objects().get(ObjectKeys.of(CM)).getObject());
        assertThat(cm.path("data").path("k").asText()).isEqualTo("v1");
        assertThat(cm.path("metadata").path("resourceVersion").asText()).isEqualTo(String.valueOf(afterCreate));

        StateFold atSecond = Replay.toRevision(reader, afterSecond, Progress.NONE);
        assertThat(atSecond.objects()).containsKeys(ObjectKeys.of(CM2));
        StateFold atDelete = Replay.toRevision(reader, afterDelete, Progress.NONE);
        assertThat(atDelete.objects()).doesNotContainKey(ObjectKeys.of(CM2));
        assertThat(Jsons.parse(atDelete.objects().get(ObjectKeys.of(CM)).getObject()).path("data").path("k").asText()).isEqualTo("v2");

        // Deterministic: reading and folding twice gives byte-identical output, equal to a fold of the plain list.
        assertThat(Jsons.compact(Replay.asList(Replay.toRevision(reader, afterDelete, Progress.NONE))))
                .isEqualTo(Jsons.compact(Replay.asList(atDelete)))
                .isEqualTo(Jsons.compact(Replay.asList(StateFold.fold(readEvents(), afterDelete))));
        assertThatThrownBy(() -> Replay.toRevision(reader, last + 100, Progress.NONE)).hasMessageContaining("not in the log");
    }

    @Test
    void replayToTimeAndToADirectory(@TempDir Path dir) throws Exception {
        StateFold atTime = Replay.toTime(reader, timeAfterUpdate, Progress.NONE);
        assertThat(atTime.revision()).isGreaterThanOrEqualTo(afterUpdate).isLessThan(last);
        assertThat(atTime.time()).isBeforeOrEqualTo(timeAfterUpdate);
        int written = Replay.writeDir(atTime, dir, OutputFormat.JSON);
        assertThat(written).isEqualTo(atTime.objects().size());
        JsonNode cm = Jsons.JSON.readTree(dir.resolve("core/ConfigMap/ns/cfg.json").toFile());
        assertThat(cm.path("data").path("k").asText()).isEqualTo("v2");
        assertThat(Jsons.JSON.readTree(dir.resolve("state.json").toFile()).path("revision").asLong()).isEqualTo(atTime.revision());
        assertThat(Files.exists(dir.resolve("core/Namespace/_cluster/ns.json"))).isTrue();
        String table = capture(out -> Replay.print(atTime, OutputFormat.TABLE, out));
        assertThat(table).contains("ConfigMap", "cfg", String.valueOf(afterUpdate));
        String yaml = capture(out -> Replay.print(atTime, OutputFormat.YAML, out));
        assertThat(yaml).contains("kind: List", "resourceVersion: \"" + atTime.revision() + "\"");
    }

    @Test
    void auditShowsAcceptedAndRefusedWithReasons() {
        List<Audit.Entry> bobs = Audit.query(reader, cluster, new Audit.Filter("bob", null, null, null, null, null, null, true), Progress.NONE);
        assertThat(bobs).extracting(e -> e.verb() + " " + e.outcome() + " " + e.reason())
                .containsExactly("create REJECTED AlreadyExists", "update ACCEPTED ", "update REJECTED Conflict");
        assertThat(bobs.get(0).message()).isNotEmpty();
        assertThat(bobs.get(0).code()).isEqualTo(409);

        List<Audit.Entry> acceptedOnly = Audit.query(reader, cluster, new Audit.Filter("bob", null, null, null, null, null, null, false), Progress.NONE);
        assertThat(acceptedOnly).extracting(Audit.Entry::revision).containsExactly(afterUpdate);

        List<Audit.Entry> deletes = Audit.query(reader, cluster, new Audit.Filter(null, "delete", KindMatcher.parse("configmaps"), "ns", "other", null, null, true), Progress.NONE);
        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).user()).isEqualTo("alice");
        assertThat(deletes.get(0).revision()).isEqualTo(afterDelete);

        List<Audit.Entry> binds = Audit.query(reader, cluster, new Audit.Filter(null, "bind", null, null, null, null, null, false), Progress.NONE);
        assertThat(binds).singleElement().satisfies(e -> {
            assertThat(e.component()).isEqualTo("scheduler");
            assertThat(e.cause()).contains("SchedulingDecision");
        });

        List<Audit.Entry> none = Audit.query(reader, cluster, new Audit.Filter(null, null, null, null, null, timeAfterUpdate.plusSeconds(3600), null, true), Progress.NONE);
        assertThat(none).isEmpty();
        List<Audit.Entry> early = Audit.query(reader, cluster, new Audit.Filter(null, null, null, null, null, null, timeAfterUpdate, false), Progress.NONE);
        assertThat(early).allMatch(e -> !e.time().isAfter(timeAfterUpdate));
        assertThat(early).extracting(Audit.Entry::revision).contains(afterCreate, afterUpdate).doesNotContain(last);

        String table = capture(out -> Audit.print(bobs, OutputFormat.TABLE, out));
        assertThat(table).contains("409 AlreadyExists", "409 Conflict", "rev " + afterUpdate);
        String json = capture(out -> Audit.print(bobs, OutputFormat.JSON, out));
        assertThat(Jsons.parse(json).path("items")).hasSize(3);
    }

    @Test
    void auditFollowsNewCommands() throws Exception {
        List<Audit.Entry> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Actor carol = Commands.actor("carol", "api-gateway");
        Thread follower = new Thread(() -> Audit.run(reader, cluster, new Audit.Filter("carol", null, null, null, null, null, null, true),
                true, stop::get, Progress.NONE, seen::add));
        follower.start();
        try {
            ObjectRef ref = AdmissionFixture.configMap("ns", "followed");
            fixture.client().apply(Commands.create(ref, AdmissionFixture.configMapJson("followed", "1"), carol), T);
            fixture.client().submit(Commands.create(ref, AdmissionFixture.configMapJson("followed", "2"), carol)).get(30, java.util.concurrent.TimeUnit.SECONDS);
            awaitTrue(() -> seen.size() >= 2, "the follower sees carol's accepted create and refused re-create: " + seen);
            assertThat(seen).extracting(Audit.Entry::outcome).containsExactly("ACCEPTED", "REJECTED");
            assertThat(seen.get(1).reason()).isEqualTo("AlreadyExists");
        } finally {
            stop.set(true);
            follower.join(10_000);
        }
        assertThat(follower.isAlive()).isFalse();
    }

    @Test
    void diffBetweenRevisions() {
        HistoryDiff.Result d = HistoryDiff.between(reader, afterCreate, afterDelete, null, Progress.NONE);
        assertThat(d.entries()).extracting(e -> e.kind() + " " + e.ref().getName()).containsExactly("CHANGED cfg");
        assertThat(d.entries().get(0).changes()).extracting(Object::toString).containsExactly("~ data.k: v1 -> v2", "~ metadata.generation: 1 -> 2");

        HistoryDiff.Result d2 = HistoryDiff.between(reader, afterCreate, afterSecond, KindMatcher.parse("configmap"), Progress.NONE);
        assertThat(d2.entries()).extracting(e -> e.kind() + " " + e.ref().getName()).containsExactly("CHANGED cfg", "ADDED other");
        HistoryDiff.Result d3 = HistoryDiff.between(reader, afterSecond, last, null, Progress.NONE);
        assertThat(d3.entries()).extracting(e -> e.kind() + " " + e.ref().getKind() + " " + e.ref().getName())
                .containsExactly("ADDED ReplicaSet web", "REMOVED ConfigMap other", "ADDED Pod web-0");
        String table = capture(out -> HistoryDiff.print(d, OutputFormat.TABLE, out));
        assertThat(table).contains("1 changed", "~ data.k: v1 -> v2");
        assertThat(Jsons.parse(capture(out -> HistoryDiff.print(d, OutputFormat.JSON, out))).path("objects").get(0).path("fields").get(0).path("path").asText())
                .isEqualTo("data.k");
    }

    @Test
    void timelineOfAPodWithItsSchedulingDecisionAndOwner() {
        Timeline.Result t = Timeline.of(reader, "pods/web-0", "ns", Progress.NONE);
        assertThat(t.versions()).hasSize(2);
        Timeline.Version bound = t.versions().get(1);
        assertThat(bound.event().getRevision()).isEqualTo(last);
        assertThat(bound.decision().path("node").asText()).isEqualTo("n2");
        assertThat(bound.changes()).extracting(Object::toString).contains("+ spec.nodeName: n2");
        assertThat(t.owners()).containsOnlyKeys("apps/ReplicaSet/ns/web");
        String table = capture(out -> Timeline.print(t, OutputFormat.TABLE, out));
        assertThat(table).contains("scheduling: Scheduled on n2 (2 feasible of 3) score 90; runner-up n1 score 70", "filtered {\"Insufficient cpu\":1}");

        Timeline.Result rs = Timeline.of(reader, "replicaset.apps/web", "ns", Progress.NONE);
        assertThat(rs.owned()).containsOnlyKeys("core/Pod/ns/web-0");

        Timeline.Result cm = Timeline.of(reader, "configmap/cfg", "ns", Progress.NONE);
        assertThat(cm.versions()).extracting(v -> v.event().getRevision()).startsWith(afterCreate, afterUpdate);
        assertThat(cm.versions().get(1).changes()).extracting(Object::toString).containsExactly("~ data.k: v1 -> v2", "~ metadata.generation: 1 -> 2");
        assertThat(Jsons.parse(capture(out -> Timeline.print(cm, OutputFormat.JSON, out))).path("versions").get(0).path("user").asText()).isEqualTo("alice");
        assertThatThrownBy(() -> Timeline.of(reader, "configmap/nope", "ns", Progress.NONE)).hasMessageContaining("No configmap/nope in namespace ns");
    }

    @Test
    void verifyPassesAgainstAFaithfulApiAndReportsEveryCorruption() throws Exception {
        StateFold now = StateFold.fold(readEvents(), Long.MAX_VALUE);
        NavigableMap<String, JsonNode> served = new TreeMap<>();
        now.objects().forEach((k, e) -> served.put(k, Jsons.parse(e.getObject())));
        try (FakeApi api = new FakeApi(served)) {
            Verify.Report ok = new Verify(reader, api.url()).run(Progress.NONE, System.err);
            assertThat(ok.differences()).isEmpty();
            assertThat(ok.ok()).isTrue();
            assertThat(ok.objectsChecked()).isEqualTo(now.objects().size());

            // Corrupt the projection: a changed field, a lost object, an object the log never had.
            ((ObjectNode) served.get(ObjectKeys.of(CM)).get("data")).put("k", "tampered");
            served.remove(ObjectKeys.of(POD));
            served.put(ObjectKeys.of(AdmissionFixture.configMap("ns", "ghost")),
                    Jsons.parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ghost\",\"namespace\":\"ns\",\"resourceVersion\":\"1\"}}"));
            Verify.Report bad = new Verify(reader, api.url()).run(Progress.NONE, System.err);
            assertThat(bad.ok()).isFalse();
            assertThat(bad.differences()).extracting(d -> d.problem() + " " + d.key()).containsExactlyInAnyOrder(
                    "DIFFERENT core/ConfigMap/ns/cfg", "MISSING_IN_API core/Pod/ns/web-0", "EXTRA_IN_API core/ConfigMap/ns/ghost");
            Verify.Difference different = bad.differences().stream().filter(d -> d.problem() == Verify.Problem.DIFFERENT).findFirst().orElseThrow();
            assertThat(different.changes()).extracting(Object::toString).containsExactly("~ data.k: v2 -> tampered");
            String report = capture(out -> Verify.print(bad, OutputFormat.TABLE, out));
            assertThat(report).contains("3 DIFFERENCES", "~ data.k: v2 -> tampered", "404");
        }
    }

    @Test
    void exportIsAPortableAvroFileThatReplaysIdentically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.avro");
        long n = HistoryFile.export(reader, file, Progress.NONE);
        List<ObjectEvent> live = readEvents();
        assertThat(n).isGreaterThanOrEqualTo(last);
        // Any Avro reader can read it: the file carries its schema.
        try (var generic = new org.apache.avro.file.DataFileReader<org.apache.avro.generic.GenericRecord>(file.toFile(),
                new org.apache.avro.generic.GenericDatumReader<>())) {
            assertThat(generic.getSchema().getFullName()).isEqualTo("io.kronika.schemas.ObjectEvent");
            assertThat(generic.next().get("revision")).isEqualTo(1L);
        }
        LogReader fromFile = LogReader.ofFile(file);
        assertThat(fromFile.allEvents(Progress.NONE).subList(0, (int) last)).isEqualTo(live.subList(0, (int) last));
        assertThat(Jsons.compact(Replay.asList(Replay.toRevision(fromFile, afterDelete, Progress.NONE))))
                .isEqualTo(Jsons.compact(Replay.asList(Replay.toRevision(reader, afterDelete, Progress.NONE))));

        // The facade the launcher calls: the same commands against the file.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HistoryTools tools = new HistoryTools(null, file, OutputFormat.JSON, false, out, System.err);
        assertThat(tools.diff(afterCreate, afterUpdate, "configmaps")).isZero();
        assertThat(Jsons.parse(bytes.toString(StandardCharsets.UTF_8)).path("objects")).hasSize(1);
        assertThatThrownBy(() -> tools.audit(null, null, null, null, null, null, null, true, false)).hasMessageContaining("accepted events only");
        assertThatThrownBy(tools::verify).hasMessageContaining("name the cluster");
    }

    @Test
    void facadeReplaysToADirectoryAndVerifyExitsNonZeroOnDifferences(@TempDir Path dir) throws Exception {
        StateFold now = StateFold.fold(readEvents(), Long.MAX_VALUE);
        NavigableMap<String, JsonNode> served = new TreeMap<>();
        now.objects().forEach((k, e) -> served.put(k, Jsons.parse(e.getObject())));
        served.remove(ObjectKeys.of(NS));
        try (FakeApi api = new FakeApi(served)) {
            Cluster withApi = new Cluster(cluster.bootstrapServers(), cluster.registry(), cluster.topics(), api.url());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            HistoryTools tools = new HistoryTools(withApi, null, OutputFormat.TABLE, true, out, System.err);
            assertThat(tools.replay(afterUpdate, null, dir.resolve("state"))).isZero();
            assertThat(Files.exists(dir.resolve("state/core/ConfigMap/ns/cfg.json"))).isTrue();
            assertThat(tools.verify()).isEqualTo(1);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("MISSING_IN_API  core/Namespace//ns");
            assertThatThrownBy(() -> tools.replay(null, null, null)).hasMessageContaining("exactly one");
        }
    }

    static void awaitTrue(Supplier<Boolean> condition, String what) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition::get);
    }

    static String capture(java.util.function.Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        body.accept(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A minimal Kubernetes API (discovery, get, list) serving a given map of objects. */
    static final class FakeApi implements AutoCloseable {
        private final HttpServer server;

        FakeApi(NavigableMap<String, JsonNode> objects) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Map<String, String[]> kinds = Map.of("Namespace", new String[]{"", "v1", "namespaces", "false"},
                    "ConfigMap", new String[]{"", "v1", "configmaps", "true"},
                    "Pod", new String[]{"", "v1", "pods", "true"},
                    "ReplicaSet", new String[]{"apps", "v1", "replicasets", "true"});
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                JsonNode answer = null;
                if (path.equals("/api")) {
                    answer = Jsons.parse("{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
                } else if (path.equals("/apis")) {
                    answer = Jsons.parse("{\"kind\":\"APIGroupList\",\"groups\":[{\"name\":\"apps\",\"versions\":[{\"version\":\"v1\"}],\"preferredVersion\":{\"version\":\"v1\"}}]}");
                } else if (path.equals("/api/v1") || path.equals("/apis/apps/v1")) {
                    ObjectNode list = Jsons.object();
                    ArrayNode rs = list.putArray("resources");
                    String group = path.equals("/api/v1") ? "" : "apps";
                    kinds.forEach((kind, spec) -> {
                        if (spec[0].equals(group)) {
                            ObjectNode r = rs.addObject().put("name", spec[2]).put("kind", kind).put("namespaced", Boolean.parseBoolean(spec[3]));
                            r.putArray("verbs").add("get").add("list");
                            rs.addObject().put("name", spec[2] + "/status").put("kind", kind).putArray("verbs").add("get");
                        }
                    });
                    answer = list;
                } else {
                    for (Map.Entry<String, String[]> k : kinds.entrySet()) {
                        String[] spec = k.getValue();
                        String base = spec[0].isEmpty() ? "/api/v1" : "/apis/" + spec[0] + "/v1";
                        if (path.equals(base + "/" + spec[2])) {
                            ObjectNode list = Jsons.object();
                            ArrayNode items = list.putArray("items");
                            objects.forEach((key, o) -> {
                                if (ObjectKeys.parse(key).getKind().equals(k.getKey())) {
                                    items.add(o);
                                }
                            });
                            answer = list;
                        } else if (path.startsWith(base + "/") && path.contains("/" + spec[2] + "/")) {
                            String rest = path.substring(base.length() + 1);
                            String[] parts = rest.split("/");
                            String ns = Boolean.parseBoolean(spec[3]) && parts[0].equals("namespaces") ? parts[1] : "";
                            String name = parts[parts.length - 1];
                            if (parts[parts.length - 2].equals(spec[2])) {
                                answer = objects.get(ObjectKeys.of(spec[0], k.getKey(), ns, name));
                                if (answer == null) {
                                    answer = com.fasterxml.jackson.databind.node.NullNode.getInstance();
                                }
                            }
                        }
                    }
                }
                byte[] body = (answer == null || answer.isNull() ? "{\"kind\":\"Status\",\"code\":404}" : Jsons.compact(answer)).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer == null || answer.isNull() ? 404 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
