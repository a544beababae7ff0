package io.kronika.projections.fold;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StoreEncodingTest {
    @Test
    void objectVersionsRoundTrip() {
        for (ObjectVersion v : List.of(
                new ObjectVersion(42, false, "uid-1", "{\"a\":\"ünïcødé ✓\"}"),
                new ObjectVersion(Long.MAX_VALUE, true, "", ""))) {
            assertThat(ObjectVersionSerde.read(ObjectVersionSerde.write(v))).isEqualTo(v);
        }
    }

    @Test
    void keyLifetimesAnswerExistenceAtEachRevisionAndRoundTrip() {
        KeyLifetimes lifetimes = KeyLifetimes.never()
                .after(3, false)   // created
                .after(5, false)   // modified: no boundary
                .after(8, true)    // deleted
                .after(9, true)    // deleted again (nothing to delete): no boundary
                .after(12, false); // created again
        assertThat(lifetimes.boundaries()).containsExactly(3, 8, 12);
        assertThat(List.of(2L, 3L, 7L, 8L, 11L, 12L, 99L).stream().map(lifetimes::existsAt).toList())
                .containsExactly(false, true, true, false, false, true, true);
        assertThat(lifetimes.existsNow()).isTrue();
        assertThat(KeyLifetimes.read(KeyLifetimes.write(lifetimes))).isEqualTo(lifetimes);
        assertThat(KeyLifetimes.never().existsAt(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void theLifetimesWalkReadsExistenceFromTheEncodedBoundariesAsTheRecordDoes() {
        java.util.Random random = new java.util.Random(5);
        for (int n = 0; n < 200; n++) {
            KeyLifetimes lifetimes = KeyLifetimes.never();
            long revision = 0;
            for (int i = random.nextInt(7); i > 0; i--) {
                revision += 1 + random.nextInt(4);
                lifetimes = lifetimes.after(revision, lifetimes.existsNow());
            }
            byte[] encoded = KeyLifetimes.write(lifetimes);
            for (long r = 0; r <= revision + 1; r++) {
                assertThat(LifetimesWalk.existsAt(encoded, r)).as("%s at %d", lifetimes, r).isEqualTo(lifetimes.existsAt(r));
            }
        }
    }

    @Test
    void historyKeysOfOneObjectAreContiguousAndNewestFirst() {
        List<String> keys = new ArrayList<>(List.of(
                HistoryKeys.of("core/ConfigMap/ns/a-b", 1),
                HistoryKeys.of("core/ConfigMap/ns/a", 10),
                HistoryKeys.of("core/ConfigMap/ns/a", 9),
                HistoryKeys.of("core/ConfigMap/ns/a", 0),
                HistoryKeys.of("core/ConfigMap/ns/a", Long.MAX_VALUE),
                HistoryKeys.of("core/ConfigMap/ns/a", 100)));
        keys.sort(null);
        assertThat(keys).containsExactly(
                HistoryKeys.of("core/ConfigMap/ns/a", Long.MAX_VALUE),
                HistoryKeys.of("core/ConfigMap/ns/a", 100),
                HistoryKeys.of("core/ConfigMap/ns/a", 10),
                HistoryKeys.of("core/ConfigMap/ns/a", 9),
                HistoryKeys.of("core/ConfigMap/ns/a", 0),
                HistoryKeys.of("core/ConfigMap/ns/a-b", 1));
        assertThat(HistoryKeys.revisionOf(HistoryKeys.of("x", 1234))).isEqualTo(1234);
        assertThat(HistoryKeys.revisionOf(HistoryKeys.of("x", 0))).isEqualTo(0);
    }

    @Test
    void splittingAndJoiningKeepsTheObject() {
        String pod = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Running\"}}";
        ObjectParts parts = ObjectParts.split(pod);
        assertThat(parts.spec()).isEqualTo("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\"}}");
        assertThat(parts.status()).isEqualTo("{\"phase\":\"Running\"}");
        assertThat(parts.nodeName()).isEqualTo("n1");
        assertThat(ObjectParts.join(parts.spec(), parts.status())).isEqualTo(pod);

        ObjectParts noStatus = ObjectParts.split("{\"kind\":\"ConfigMap\",\"data\":{}}");
        assertThat(noStatus.status()).isNull();
        assertThat(noStatus.nodeName()).isNull();
    }
}
