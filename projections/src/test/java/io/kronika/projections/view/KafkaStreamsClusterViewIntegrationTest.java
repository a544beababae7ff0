package io.kronika.projections.view;

import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.projections.testing.ProjectionsFixture;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

import static io.kronika.eventstore.testing.AdmissionFixture.TEST_ACTOR;
import static io.kronika.projections.testing.ProjectionsFixture.TIMEOUT;
import static io.kronika.projections.testing.TestEvents.newPodJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The view against a real broker and admission processor. */
class KafkaStreamsClusterViewIntegrationTest {
    private static final String CONFIG_MAPS = ObjectKeys.namespacePrefix("", "ConfigMap", "ns");

    private ProjectionsFixture fixture;
    private KafkaStreamsClusterView view;

    @BeforeEach
    void start() throws Exception {
        fixture = new ProjectionsFixture();
        fixture.createNamespace("ns");
        view = fixture.startView("gw-1");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aReadAfterAWriteSeesIt() throws Exception {
        CommandResult created = fixture.createConfigMap("ns", "a", "1");
        view.awaitRevision(created.getRevision(), TIMEOUT);

        StoredObject a = view.get(key("a")).orElseThrow();
        assertThat(a.revision()).isEqualTo(created.getRevision());
        assertThat(a.json()).isEqualTo(created.getObject());
        assertThat(a.ref()).isEqualTo(AdmissionFixture.configMap("ns", "a"));
        assertThat(a.json()).contains("\"resourceVersion\":\"" + created.getRevision() + "\"");

        CommandResult updated = fixture.updateConfigMap("ns", "a", "2");
        view.awaitRevision(updated.getRevision(), TIMEOUT);
        assertThat(view.get(key("a")).orElseThrow().json()).contains("\"k\":\"2\"");
        assertThat(view.getAt(key("a"), updated.getRevision() - 1).orElseThrow().revision()).isEqualTo(created.getRevision());
        assertThat(view.appliedRevision()).isGreaterThanOrEqualTo(updated.getRevision());
        assertThat(view.offsetOfRevision(updated.getRevision())).isPresent();

        CommandResult deleted = fixture.deleteConfigMap("ns", "a");
        view.awaitRevision(deleted.getRevision(), TIMEOUT);
        assertThat(view.get(key("a"))).isEmpty();
        assertThat(view.getAt(key("a"), updated.getRevision())).get().extracting(StoredObject::revision).isEqualTo(updated.getRevision());
    }

    @Test
    void waitingForARevisionNobodyWroteTimesOut() {
        long beyond = view.appliedRevision() + 1_000;
        assertThatThrownBy(() -> view.awaitRevision(beyond, Duration.ofMillis(200))).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> view.list(CONFIG_MAPS, beyond, o -> true, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pagesOfOneListStayAtItsRevisionWhileObjectsAreCreatedChangedAndDeleted() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < 30; i += 1) {
            String name = String.format("cm-%02d", i);
            expected.put(key(name), fixture.createConfigMap("ns", name, "original").getRevision());
        }
        long snapshot = fixture.cluster.client().latestRevision();
        view.awaitRevision(snapshot, TIMEOUT);

        List<StoredObject> seen = new ArrayList<>();
        String continueAfter = null;
        int page = 0;
        do {
            ListPage result = view.list(CONFIG_MAPS, snapshot, o -> true, 7, continueAfter);
            assertThat(result.revision()).isEqualTo(snapshot);
            seen.addAll(result.items());
            continueAfter = result.continueAfterKey();
            page++;
            if (continueAfter != null) {
                // Between pages the cluster moves on: a new object sorting into the next page, a change and a
                // deletion of objects on later pages, and a new object at the very end.
                fixture.createConfigMap("ns", String.format("cm-%02d-new", page * 7 + 1), "new");
                fixture.updateConfigMap("ns", String.format("cm-%02d", Math.min(29, page * 7 + 3)), "changed");
                fixture.deleteConfigMap("ns", String.format("cm-%02d", Math.min(29, page * 7 + 4)));
                CommandResult last = fixture.createConfigMap("ns", "zz-" + page, "new");
                view.awaitRevision(last.getRevision(), TIMEOUT);
            }
        } while (continueAfter != null);

        Map<String, Long> listed = new LinkedHashMap<>();
        seen.forEach(o -> listed.put(o.key(), o.revision()));
        assertThat(listed).containsExactlyEntriesOf(expected);
        assertThat(seen).allSatisfy(o -> assertThat(o.json()).contains("original"));
        assertThat(page).isEqualTo(5);

        // A filter is applied before the limit; the same snapshot still answers.
        ListPage filtered = view.list(CONFIG_MAPS, snapshot, o -> o.key().endsWith("5"), 2, null);
        assertThat(filtered.items()).extracting(StoredObject::key).containsExactly(key("cm-05"), key("cm-15"));
        assertThat(view.list(CONFIG_MAPS, snapshot, o -> o.key().endsWith("5"), 2, filtered.continueAfterKey()).items())
                .extracting(StoredObject::key).containsExactly(key("cm-25"));
    }

    @Test
    void podsOnANodeFollowBindingsAndDeletions() throws Exception {
        for (String name : List.of("p1", "p2", "p3", "p4")) {
            fixture.apply(Commands.create(pod(name), newPodJson(name), TEST_ACTOR));
        }
        fixture.apply(Commands.bind(pod("p1"), null, "node-a", TEST_ACTOR));
        fixture.apply(Commands.bind(pod("p2"), null, "node-a", TEST_ACTOR));
        fixture.apply(Commands.bind(pod("p3"), null, "node-b", TEST_ACTOR));
        // A bound pod is deleted gracefully: it stays on its node, terminating, until its kubelet confirms with grace 0.
        CommandResult terminating = fixture.apply(Commands.delete(pod("p2"), null, null, TEST_ACTOR));
        view.awaitRevision(terminating.getRevision(), TIMEOUT);
        assertThat(view.podsOnNode("node-a")).extracting(StoredObject::key).contains(ObjectKeys.of(pod("p2")));
        CommandResult last = fixture.apply(Commands.builder(io.kronika.schemas.Operation.DELETE, pod("p2"), TEST_ACTOR)
                .setGracePeriodSeconds(0L).build());
        view.awaitRevision(last.getRevision(), TIMEOUT);

        assertThat(view.podsOnNode("node-a")).extracting(StoredObject::key).containsExactly(ObjectKeys.of(pod("p1")));
        assertThat(view.podsOnNode("node-b")).extracting(StoredObject::key).containsExactly(ObjectKeys.of(pod("p3")));
        assertThat(view.podsOnNode("node-c")).isEmpty();
        assertThat(view.podsOnNode("node-a").get(0).json()).contains("\"nodeName\":\"node-a\"");
        assertThat(view.status(ObjectKeys.of(pod("p1"))).orElseThrow().json()).contains("PodScheduled");
        assertThat(view.spec(ObjectKeys.of(pod("p1"))).orElseThrow().json()).doesNotContain("PodScheduled");
    }

    @Test
    void aViewRebuiltFromEmptyStateHoldsIdenticalObjects() throws Exception {
        for (int i = 0; i < 40; i++) {
            fixture.createConfigMap("ns", "cm-" + i, "v");
        }
        for (int i = 0; i < 40; i += 3) {
            fixture.updateConfigMap("ns", "cm-" + i, "v2");
        }
        for (int i = 0; i < 40; i += 5) {
            fixture.deleteConfigMap("ns", "cm-" + i);
        }
        long revision = fixture.cluster.client().latestRevision();
        view.awaitRevision(revision, TIMEOUT);
        Map<String, Object> before = everything(view, revision);

        view.close();
        TestFiles.deleteRecursively(fixture.stateDir);
        KafkaStreamsClusterView rebuilt = fixture.startView("gw-1");
        assertThat(rebuilt.appliedRevision()).isEqualTo(revision); // awaitRunning waits for the log as it was
        assertThat(everything(rebuilt, revision)).isEqualTo(before);

        rebuilt.close();
        KafkaStreamsClusterView resumed = fixture.startView("gw-1");
        assertThat(resumed.appliedRevision()).isEqualTo(revision);
        assertThat(everything(resumed, revision)).isEqualTo(before);

        // Without the clean-close marker (as after a crash) the state on disk is not trusted: rebuilt from the log.
        resumed.close();
        String applicationId = fixture.viewSettings("gw-1").applicationId();
        assertThat(fixture.stateDir.resolve(applicationId + ".clean")).exists();
        java.nio.file.Files.delete(fixture.stateDir.resolve(applicationId + ".clean"));
        KafkaStreamsClusterView afterCrash = fixture.startView("gw-1");
        assertThat(everything(afterCrash, revision)).isEqualTo(before);
    }

    @Test
    void listsAtEveryRevisionAreTheLogFoldedUpToIt() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 6; i++) {
                fixture.createConfigMap("ns", "cm-" + i, "r" + round);
            }
            for (int i = 0; i < 6; i += 2) {
                fixture.updateConfigMap("ns", "cm-" + i, "r" + round + "-updated");
                fixture.updateConfigMap("ns", "cm-" + i, "r" + round + "-again");
            }
            for (int i = round % 2; i < 6; i++) {
                fixture.deleteConfigMap("ns", "cm-" + i); // every name is deleted and created again in the next round
            }
            if (round % 2 == 1) {
                fixture.deleteConfigMap("ns", "cm-0");
            }
        }
        long last = fixture.cluster.client().latestRevision();
        view.awaitRevision(last, TIMEOUT);
        List<ObjectEvent> log = fixture.cluster.readAllEvents();

        TreeMap<String, Long> expected = new TreeMap<>();
        for (ObjectEvent event : log) {
            String key = ObjectKeys.of(event.getRef());
            if (event.getType() == io.kronika.schemas.EventType.DELETED) {
                expected.remove(key);
            } else {
                expected.put(key, event.getRevision());
            }
            Map<String, Long> configMaps = new TreeMap<>(expected.subMap(CONFIG_MAPS, CONFIG_MAPS + Character.MAX_VALUE));
            Map<String, Long> listed = new TreeMap<>();
            view.list(CONFIG_MAPS, event.getRevision(), o -> true, 0, null).items().forEach(o -> listed.put(o.key(), o.revision()));
            assertThat(listed).as("configmaps at %d", event.getRevision()).isEqualTo(configMaps);
        }
    }

    /** Everything a view answers about the namespace: the current list, every version, the offsets. */
    private Map<String, Object> everything(KafkaStreamsClusterView v, long revision) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("list", v.list(CONFIG_MAPS, revision, o -> true, 0, null).items());
        List<ObjectEvent> log = fixture.cluster.readAllEvents();
        for (ObjectEvent event : log) {
            String key = ObjectKeys.of(event.getRef());
            all.put(key + "@" + event.getRevision(), v.getAt(key, event.getRevision()));
            all.put("offset@" + event.getRevision(), v.offsetOfRevision(event.getRevision()));
        }
        return all;
    }

    private static ObjectRef pod(String name) {
        return ObjectKeys.ref("", "Pod", "ns", name);
    }

    private static String key(String name) {
        return ObjectKeys.of(AdmissionFixture.configMap("ns", name));
    }
}
