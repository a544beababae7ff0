package io.kronika.projections.fold;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.projections.testing.DriverViewStores;
import io.kronika.projections.view.ViewQueries;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.registry.InMemorySchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.kronika.projections.testing.TestEvents.configMap;
import static io.kronika.projections.testing.TestEvents.configMapJson;
import static io.kronika.projections.testing.TestEvents.event;
import static io.kronika.projections.testing.TestEvents.pod;
import static io.kronika.projections.testing.TestEvents.podJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The fold and the queries over its stores, with TopologyTestDriver: no broker, exact control of the log. */
class EventFoldTopologyTest {
    private static final String CONFIG_MAPS = ObjectKeys.namespacePrefix("", "ConfigMap", "ns");
    private static final String A = ObjectKeys.of(configMap("ns", "a"));
    private static final String B = ObjectKeys.of(configMap("ns", "b"));
    private static final String P1 = ObjectKeys.of(pod("ns", "p1"));
    private static final String P2 = ObjectKeys.of(pod("ns", "p2"));

    private final TopicNames topics = TopicNames.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    @TempDir
    Path stateDir;
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    /** A small history: creates, a bind, an update, a deletion, a re-creation under the same name. */
    private final List<ObjectEvent> log = List.of(
            event(1, EventType.ADDED, configMap("ns", "a"), "uid-a", configMapJson("ns", "a", 1, "v1"), null),
            event(2, EventType.ADDED, configMap("ns", "b"), "uid-b", configMapJson("ns", "b", 2, "v1"), null),
            event(3, EventType.ADDED, pod("ns", "p1"), "uid-p1", podJson("ns", "p1", 3, null, "Pending"), null),
            event(4, EventType.MODIFIED, pod("ns", "p1"), "uid-p1", podJson("ns", "p1", 4, "node-1", "Pending"), 3L),
            event(5, EventType.MODIFIED, configMap("ns", "a"), "uid-a", configMapJson("ns", "a", 5, "v2"), 1L),
            event(6, EventType.DELETED, configMap("ns", "b"), "uid-b", configMapJson("ns", "b", 6, "v1"), 2L),
            event(7, EventType.ADDED, pod("ns", "p2"), "uid-p2", podJson("ns", "p2", 7, "node-1", "Running"), null),
            event(8, EventType.DELETED, pod("ns", "p1"), "uid-p1", podJson("ns", "p1", 8, "node-1", "Succeeded"), 4L),
            event(9, EventType.ADDED, configMap("ns", "b"), "uid-b2", configMapJson("ns", "b", 9, "again"), null));

    private TopologyTestDriver driver;
    private AppliedRevision applied;
    private ViewQueries queries;

    @BeforeEach
    void start() {
        applied = new AppliedRevision();
        DirectStores history = DirectStores.create();
        driver = newDriver(applied, history, "first");
        queries = new ViewQueries(new DriverViewStores(driver, history));
    }

    @AfterEach
    void stop() {
        drivers.forEach(TopologyTestDriver::close);
    }

    @Test
    void currentObjectsAreTheLatestVersionsAndDeletionsLeaveTombstones() {
        fold(log);

        assertThat(queries.get(A)).get().extracting(StoredObject::revision, StoredObject::json)
                .containsExactly(5L, configMapJson("ns", "a", 5, "v2"));
        assertThat(queries.get(B)).get().extracting(StoredObject::revision, StoredObject::uid).containsExactly(9L, "uid-b2");
        assertThat(queries.get(P1)).isEmpty();
        assertThat(queries.get(A).orElseThrow().ref()).isEqualTo(configMap("ns", "a"));
        KeyValueStore<String, ObjectVersion> objects = driver.getKeyValueStore(ProjectionStores.OBJECTS);
        assertThat(objects.get(P1)).extracting(ObjectVersion::revision, ObjectVersion::deleted).containsExactly(8L, true);
        assertThat(applied.get()).isEqualTo(9);
        assertThat(driver.<String, Long>getKeyValueStore(ProjectionStores.META).get(ProjectionStores.APPLIED_REVISION)).isEqualTo(9L);
    }

    @Test
    void getAtAnswersTheVersionOfEachMoment() {
        fold(log);

        assertThat(queries.getAt(A, 0)).isEmpty();
        assertThat(queries.getAt(A, 4)).get().extracting(StoredObject::revision).isEqualTo(1L);
        assertThat(queries.getAt(A, 5)).get().extracting(StoredObject::revision).isEqualTo(5L);
        assertThat(queries.getAt(B, 5)).get().extracting(StoredObject::uid).isEqualTo("uid-b");
        assertThat(queries.getAt(B, 6)).isEmpty();
        assertThat(queries.getAt(B, 8)).isEmpty();
        assertThat(queries.getAt(B, 9)).get().extracting(StoredObject::uid).isEqualTo("uid-b2");
        assertThat(queries.getAt(P1, 7)).get().extracting(StoredObject::revision).isEqualTo(4L);
        assertThat(queries.getAt("core/ConfigMap/ns/never", 9)).isEmpty();
    }

    @Test
    void listsAreSnapshotsOfOneRevision() {
        fold(log);

        assertThat(keysAndRevisions(queries.list(CONFIG_MAPS, 4, o -> true, 0, null))).containsExactly(A + "@1", B + "@2");
        assertThat(keysAndRevisions(queries.list(CONFIG_MAPS, 5, o -> true, 0, null))).containsExactly(A + "@5", B + "@2");
        assertThat(keysAndRevisions(queries.list(CONFIG_MAPS, 7, o -> true, 0, null))).containsExactly(A + "@5");
        assertThat(keysAndRevisions(queries.list(CONFIG_MAPS, 9, o -> true, 0, null))).containsExactly(A + "@5", B + "@9");
        assertThat(keysAndRevisions(queries.list("core/", 7, o -> true, 0, null))).containsExactly(A + "@5", P1 + "@4", P2 + "@7");
        assertThat(queries.list(ObjectKeys.kindPrefix("", "Secret"), 9, o -> true, 0, null).items()).isEmpty();
    }

    @Test
    void pagesContinueAfterTheLastKeyAndTheLastPageSaysSo() {
        fold(log);

        ListPage first = queries.list(CONFIG_MAPS, 5, o -> true, 1, null);
        assertThat(keysAndRevisions(first)).containsExactly(A + "@5");
        assertThat(first.continueAfterKey()).isEqualTo(A);
        ListPage second = queries.list(CONFIG_MAPS, 5, o -> true, 1, first.continueAfterKey());
        assertThat(keysAndRevisions(second)).containsExactly(B + "@2");
        assertThat(second.continueAfterKey()).isNull();

        ListPage filtered = queries.list("core/", 9, o -> o.json().contains("\"v2\"") || o.json().contains("Running"), 1, null);
        assertThat(keysAndRevisions(filtered)).containsExactly(A + "@5");
        assertThat(keysAndRevisions(queries.list("core/", 9, o -> o.json().contains("\"v2\"") || o.json().contains("Running"), 1, filtered.continueAfterKey())))
                .containsExactly(P2 + "@7");
    }

    @Test
    void podsByNodeFollowBindingsAndDeletions() {
        fold(log.subList(0, 7));
        assertThat(queries.podsOnNode("node-1")).extracting(StoredObject::key).containsExactly(P1, P2);
        assertThat(queries.podsOnNode("node-2")).isEmpty();

        fold(log.subList(7, 9));
        assertThat(queries.podsOnNode("node-1")).extracting(StoredObject::key).containsExactly(P2);
        assertThat(driver.<String, String>getKeyValueStore(ProjectionStores.NODE_OF_POD).get(P1)).isNull();
    }

    @Test
    void specAndStatusViewsSplitTheObjectAndJoinBackToIt() {
        fold(log);

        StoredObject spec = queries.spec(P2).orElseThrow();
        StoredObject status = queries.status(P2).orElseThrow();
        assertThat(spec.json()).doesNotContain("status").contains("\"nodeName\":\"node-1\"");
        assertThat(status.json()).isEqualTo("{\"phase\":\"Running\"}");
        assertThat(spec.revision()).isEqualTo(7);
        assertThat(ObjectParts.join(spec.json(), status.json())).isEqualTo(queries.get(P2).orElseThrow().json());
        assertThat(queries.status(A)).isEmpty();
        assertThat(queries.spec(P1)).isEmpty();
    }

    @Test
    void revisionsMapToTheirOffsets() {
        fold(log);
        for (long revision = 1; revision <= 9; revision++) {
            assertThat(queries.offsetOfRevision(revision)).hasValue(revision - 1);
        }
        assertThat(queries.offsetOfRevision(10)).isEmpty();
    }

    @Test
    void redeliveredEventsChangeNothing() {
        fold(log);
        Map<String, Map<String, Object>> before = dump(driver);

        fold(log.subList(2, 9)); // at-least-once: a suffix comes again (at new offsets)

        Map<String, Map<String, Object>> after = dump(driver);
        after.remove(ProjectionStores.REVISION_OFFSETS);
        before.remove(ProjectionStores.REVISION_OFFSETS);
        assertThat(after).isEqualTo(before);
        assertThat(applied.get()).isEqualTo(9);
    }

    @Test
    void foldingTheSameLogAgainFromEmptyStateGivesIdenticalStores() {
        fold(log);
        TopologyTestDriver other = newDriver(new AppliedRevision(), DirectStores.create(), "second");
        TestInputTopic<String, ObjectEvent> input = input(other);
        log.forEach(e -> input.pipeInput(ObjectKeys.of(e.getRef()), e));

        assertThat(dump(other)).isEqualTo(dump(driver));
    }

    @Test
    void awaitingAnAppliedRevisionReturnsAtOnce() throws Exception {
        fold(log);
        applied.await(9, java.time.Duration.ofMillis(1));
    }

    private void fold(List<ObjectEvent> events) {
        TestInputTopic<String, ObjectEvent> input = input(driver);
        events.forEach(e -> input.pipeInput(ObjectKeys.of(e.getRef()), e));
    }

    private TestInputTopic<String, ObjectEvent> input(TopologyTestDriver d) {
        return d.createInputTopic(topics.events(), new StringSerializer(), KronikaSerdes.avro(ObjectEvent.class, registry).serializer());
    }

    private TopologyTestDriver newDriver(AppliedRevision revision, DirectStores history, String name) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fold-test-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
        TopologyTestDriver d = new TopologyTestDriver(ProjectionTopology.build(topics, registry, revision, history), props);
        drivers.add(d);
        return d;
    }

    private static List<String> keysAndRevisions(ListPage page) {
        return page.items().stream().map(o -> o.key() + "@" + o.revision()).toList();
    }

    private static Map<String, Map<String, Object>> dump(TopologyTestDriver d) {
        Map<String, Map<String, Object>> stores = new LinkedHashMap<>();
        for (String name : List.of(ProjectionStores.OBJECTS, ProjectionStores.SPECS, ProjectionStores.STATUSES, ProjectionStores.HISTORY,
                ProjectionStores.LIFETIMES, ProjectionStores.PODS_BY_NODE, ProjectionStores.NODE_OF_POD, ProjectionStores.REVISION_OFFSETS, ProjectionStores.META)) {
            Map<String, Object> content = new LinkedHashMap<>();
            try (KeyValueIterator<Object, Object> it = d.getKeyValueStore(name).all()) {
                while (it.hasNext()) {
                    KeyValue<Object, Object> entry = it.next();
                    content.put(String.valueOf(entry.key), entry.value);
                }
            }
            stores.put(name, content);
        }
        return stores;
    }
}
