package io.kronika.projections.view;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.projections.fold.AppliedRevision;
import io.kronika.projections.fold.DirectStores;
import io.kronika.projections.fold.ProjectionTopology;
import io.kronika.projections.testing.DriverViewStores;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.registry.InMemorySchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static io.kronika.projections.testing.TestEvents.configMap;
import static io.kronika.projections.testing.TestEvents.configMapJson;
import static io.kronika.projections.testing.TestEvents.event;
import static io.kronika.projections.testing.TestEvents.pod;
import static io.kronika.projections.testing.TestEvents.podJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists and gets as of every revision of a random history (many versions per key, deletions, re-creations under the
 * same name, names that are prefixes of others) against a brute-force fold of the events up to that revision.
 */
class ListAtRevisionTest {
    private static final List<String> PREFIXES = List.of("", "core/", ObjectKeys.kindPrefix("", "Pod"),
            ObjectKeys.namespacePrefix("", "ConfigMap", "ns-a"), ObjectKeys.namespacePrefix("", "Pod", "ns-b"));

    private final TopicNames topics = TopicNames.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private ViewQueries queries;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "list-at-revision-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        DirectStores history = DirectStores.create();
        driver = new TopologyTestDriver(ProjectionTopology.build(topics, registry, new AppliedRevision(), history), props);
        queries = new ViewQueries(new DriverViewStores(driver, history));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyListAndGetAtEveryRevisionMatchesABruteForceFold() {
        List<ObjectEvent> log = randomHistory(new Random(20261126), 1_500);
        TestInputTopic<String, ObjectEvent> input = driver.createInputTopic(topics.events(), new StringSerializer(),
                KronikaSerdes.avro(ObjectEvent.class, registry).serializer());
        log.forEach(e -> input.pipeInput(ObjectKeys.of(e.getRef()), e));
        List<String> keys = log.stream().map(e -> ObjectKeys.of(e.getRef())).distinct().sorted().toList();

        int versionsAtOnce = 0;
        for (long revision = 0; revision <= log.size(); revision++) {
            TreeMap<String, ObjectEvent> expected = foldUpTo(log, revision);
            for (String prefix : PREFIXES) {
                List<String> want = expected.subMap(prefix, prefix + Character.MAX_VALUE).values().stream().map(ListAtRevisionTest::keyAtRevision).toList();
                assertThat(keysAtRevisions(queries.list(prefix, revision, o -> true, 0, null).items()))
                        .as("list of %s at %d", prefix, revision).isEqualTo(want);
            }
            assertThat(keysAtRevisions(pagesOf("", revision, 7))).as("pages of 7 at %d", revision)
                    .isEqualTo(expected.values().stream().map(ListAtRevisionTest::keyAtRevision).toList());
            for (String key : keys) {
                Optional<StoredObject> got = queries.getAt(key, revision);
                ObjectEvent want = expected.get(key);
                assertThat(got.map(o -> o.revision() + " " + o.uid() + " " + o.json()))
                        .as("%s at %d", key, revision)
                        .isEqualTo(Optional.ofNullable(want).map(e -> e.getRevision() + " " + e.getUid() + " " + e.getObject()));
            }
            versionsAtOnce = Math.max(versionsAtOnce, expected.size());
        }
        assertThat(versionsAtOnce).as("the history keeps objects alive at once").isGreaterThan(10);
    }

    private List<StoredObject> pagesOf(String prefix, long revision, int limit) {
        List<StoredObject> all = new ArrayList<>();
        String continueAfter = null;
        do {
            ListPage page = queries.list(prefix, revision, o -> true, limit, continueAfter);
            all.addAll(page.items());
            continueAfter = page.continueAfterKey();
        } while (continueAfter != null);
        return all;
    }

    /** Key → its latest event at or before {@code revision}, for keys whose latest event is not a deletion. */
    private static TreeMap<String, ObjectEvent> foldUpTo(List<ObjectEvent> log, long revision) {
        TreeMap<String, ObjectEvent> state = new TreeMap<>();
        for (ObjectEvent e : log) {
            if (e.getRevision() > revision) {
                break;
            }
            if (e.getType() == EventType.DELETED) {
                state.remove(ObjectKeys.of(e.getRef()));
            } else {
                state.put(ObjectKeys.of(e.getRef()), e);
            }
        }
        return state;
    }

    /** Creations, updates, deletions and re-creations under a few names, some of which are prefixes of others. */
    private static List<ObjectEvent> randomHistory(Random random, int count) {
        List<ObjectRef> refs = new ArrayList<>();
        for (String ns : List.of("ns-a", "ns-b")) {
            for (String name : List.of("x", "x-1", "x-10", "y", "z")) {
                refs.add(configMap(ns, name));
                refs.add(pod(ns, name));
            }
        }
        Map<ObjectRef, ObjectEvent> live = new HashMap<>();
        List<ObjectEvent> log = new ArrayList<>();
        for (long revision = 1; revision <= count; revision++) {
            ObjectRef ref = refs.get(random.nextInt(refs.size()));
            ObjectEvent current = live.get(ref);
            ObjectEvent next;
            if (current == null) {
                next = event(revision, EventType.ADDED, ref, "uid-" + revision, json(ref, revision), null);
            } else if (random.nextInt(4) == 0) {
                next = event(revision, EventType.DELETED, ref, current.getUid(), current.getObject(), current.getRevision());
            } else {
                next = event(revision, EventType.MODIFIED, ref, current.getUid(), json(ref, revision), current.getRevision());
            }
            if (next.getType() == EventType.DELETED) {
                live.remove(ref);
            } else {
                live.put(ref, next);
            }
            log.add(next);
        }
        return log;
    }

    private static String json(ObjectRef ref, long revision) {
        return ref.getKind().equals("Pod")
                ? podJson(ref.getNamespace(), ref.getName(), revision, revision % 3 == 0 ? null : "node-" + revision % 5, "Running")
                : configMapJson(ref.getNamespace(), ref.getName(), revision, "v" + revision);
    }

    private static String keyAtRevision(ObjectEvent e) {
        return ObjectKeys.of(e.getRef()) + "@" + e.getRevision();
    }

    private static List<String> keysAtRevisions(List<StoredObject> objects) {
        return objects.stream().map(o -> o.key() + "@" + o.revision()).toList();
    }
}
