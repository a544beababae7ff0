package io.kronika.replay;

import io.kronika.schemas.Actor;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFoldTest {
    static ObjectEvent event(long rev, EventType type, String name, String value, Long previous) {
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"resourceVersion\":\""
                + rev + "\"},\"data\":{\"k\":\"" + value + "\"}}";
        return ObjectEvent.newBuilder().setRevision(rev).setType(type).setRef(ObjectKeys.ref("", "ConfigMap", "ns", name))
                .setUid("uid-" + name).setObject(json).setPreviousRevision(previous)
                .setOperation(type == EventType.ADDED ? Operation.CREATE : type == EventType.DELETED ? Operation.DELETE : Operation.UPDATE)
                .setCommandId("c" + rev).setActor(new Actor("alice", List.of(), "test")).setTimestamp(Instant.ofEpochSecond(1000 + rev)).build();
    }

    static List<ObjectEvent> log() {
        return List.of(
                event(1, EventType.ADDED, "a", "1", null),
                event(2, EventType.ADDED, "b", "1", null),
                event(3, EventType.MODIFIED, "a", "2", 1L),
                event(4, EventType.DELETED, "b", "1", 2L),
                event(5, EventType.ADDED, "c", "1", null));
    }

    @Test
    void foldsAddModifyDeleteToEachRevision() {
        StateFold at2 = StateFold.fold(log(), 2);
        assertThat(at2.revision()).isEqualTo(2);
        assertThat(at2.objects()).containsOnlyKeys("core/ConfigMap/ns/a", "core/ConfigMap/ns/b");
        StateFold at3 = StateFold.fold(log(), 3);
        assertThat(at3.objects().get("core/ConfigMap/ns/a").getRevision()).isEqualTo(3);
        assertThat(Jsons.parse(at3.objects().get("core/ConfigMap/ns/a").getObject()).path("data").path("k").asText()).isEqualTo("2");
        StateFold at5 = StateFold.fold(log(), Long.MAX_VALUE);
        assertThat(at5.objects()).containsOnlyKeys("core/ConfigMap/ns/a", "core/ConfigMap/ns/c");
        assertThat(at5.anomalies()).isEmpty();
        assertThat(at5.applied()).isEqualTo(5);
    }

    @Test
    void sameLogSameStateRegardlessOfFoldInstance() {
        StateFold x = StateFold.fold(log(), 4);
        StateFold y = StateFold.fold(new ArrayList<>(log()), 4);
        assertThat(Replay.asList(x)).isEqualTo(Replay.asList(y));
        assertThat(Jsons.compact(Replay.asList(x))).isEqualTo(Jsons.compact(Replay.asList(y)));
    }

    @Test
    void leavesOutManagedFieldsLikeKubectlUnlessAsked() {
        ObjectEvent e = event(1, EventType.ADDED, "a", "1", null);
        e.setObject(e.getObject().replace("\"metadata\":{", "\"metadata\":{\"managedFields\":[{\"manager\":\"kubectl\"}],"));
        StateFold f = new StateFold().apply(e);
        assertThat(Replay.asList(f, false).path("items").get(0).path("metadata").has("managedFields")).isFalse();
        assertThat(Replay.asList(f, true).path("items").get(0).path("metadata").has("managedFields")).isTrue();
    }

    @Test
    void foldsToTimeAsALogPrefix() {
        StateFold f = StateFold.foldToTime(log(), Instant.ofEpochSecond(1003));
        assertThat(f.revision()).isEqualTo(3);
        assertThat(StateFold.foldToTime(log(), Instant.ofEpochSecond(999)).objects()).isEmpty();
    }

    @Test
    void refusesEventsOutOfOrderAndReportsAnomalies() {
        StateFold f = new StateFold().apply(event(2, EventType.ADDED, "a", "1", null));
        assertThatThrownBy(() -> f.apply(event(2, EventType.ADDED, "b", "1", null))).hasMessageContaining("not in revision order");
        f.apply(event(5, EventType.MODIFIED, "zz", "1", 4L));
        f.apply(event(6, EventType.MODIFIED, "a", "1", 3L));
        assertThat(f.anomalies()).containsExactly("revision gap: 2 -> 5",
                "MODIFIED at revision 5 of core/ConfigMap/ns/zz which does not exist",
                "MODIFIED at revision 6 of core/ConfigMap/ns/a replaces revision 3 but the current version is 2");
    }

    @Test
    void diffOfTwoStates() {
        var result = HistoryDiff.compare(StateFold.fold(log(), 2).snapshot(), StateFold.fold(log(), 5).snapshot(), 2, 5, null);
        assertThat(result.entries()).extracting(e -> e.kind() + " " + e.ref().getName())
                .containsExactly("CHANGED a", "REMOVED b", "ADDED c");
        assertThat(result.entries().get(0).changes()).extracting(Object::toString).containsExactly("~ data.k: 1 -> 2");
        var onlyOther = HistoryDiff.compare(StateFold.fold(log(), 2).snapshot(), StateFold.fold(log(), 5).snapshot(), 2, 5, KindMatcher.parse("pods"));
        assertThat(onlyOther.entries()).isEmpty();
    }
}
