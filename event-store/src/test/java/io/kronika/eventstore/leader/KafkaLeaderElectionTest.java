package io.kronika.eventstore.leader;

import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.topics.TopicNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Leader election through group membership, against the real embedded broker. */
class KafkaLeaderElectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final KafkaLeaderElection.Settings FAST = new KafkaLeaderElection.Settings(
            Duration.ofSeconds(6), Duration.ofMillis(500), Duration.ofMillis(50));
    private final List<KafkaLeaderElection> started = new ArrayList<>();
    private final TopicNames topics = SharedKafka.uniqueTopics();

    /** Records what one member was told, and checks it never believed it led while another did. */
    private static final class Member implements KafkaLeaderElection.Listener {
        static final AtomicInteger LEADING = new AtomicInteger();
        static final AtomicInteger OVERLAPS = new AtomicInteger();
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void onElected(long epoch) {
            if (LEADING.incrementAndGet() > 1) {
                OVERLAPS.incrementAndGet();
            }
            heard.add("elected");
        }

        @Override
        public void onRevoked() {
            LEADING.decrementAndGet();
            heard.add("revoked");
        }
    }

    private KafkaLeaderElection join(String name, Member member) {
        KafkaLeaderElection e = KafkaLeaderElection.start(SharedKafka.bootstrapServers(), topics, "test", name, member, FAST);
        started.add(e);
        return e;
    }

    @AfterEach
    void leave() {
        started.forEach(KafkaLeaderElection::close);
        Member.LEADING.set(0);
        Member.OVERLAPS.set(0);
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    @Test
    void exactlyOneMemberLeadsAndClosingHandsOverAtOnce() throws Exception {
        Member a = new Member();
        Member b = new Member();
        Member c = new Member();
        KafkaLeaderElection ea = join("a", a);
        assertThat(ea.awaitLeadership(TIMEOUT)).isTrue();
        KafkaLeaderElection eb = join("b", b);
        KafkaLeaderElection ec = join("c", c);
        // The newcomers join the group; the sticky assignment keeps the lease where it is.
        awaitTrue("b and c to be members", () -> memberCount() == 3);
        assertThat(ea.isLeader()).isTrue();
        assertThat(eb.isLeader()).isFalse();
        assertThat(ec.isLeader()).isFalse();
        long firstEpoch = ea.epoch();

        long closedAt = System.nanoTime();
        ea.close();
        assertThat(a.heard).containsExactly("elected", "revoked");
        awaitTrue("a new leader", () -> eb.isLeader() || ec.isLeader());
        Duration handover = Duration.ofNanos(System.nanoTime() - closedAt);
        assertThat(handover).isLessThan(Duration.ofSeconds(5)); // far under the 6 s session: leaving is immediate
        assertThat(eb.isLeader() && ec.isLeader()).isFalse();
        KafkaLeaderElection next = eb.isLeader() ? eb : ec;
        assertThat(next.epoch()).isGreaterThan(firstEpoch);
        assertThat(Member.OVERLAPS.get()).isZero();

        next.close();
        KafkaLeaderElection last = next == eb ? ec : eb;
        assertThat(last.awaitLeadership(TIMEOUT)).isTrue();
        assertThat(Member.OVERLAPS.get()).isZero();
    }

    private int memberCount() {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            String group = KafkaLeaderElection.groupId(topics, "test");
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void separateElectionsOnOneTopicHaveTheirOwnLeaders() throws Exception {
        KafkaLeaderElection scheduler = KafkaLeaderElection.start(SharedKafka.bootstrapServers(), topics, "scheduler", "x", new Member(), FAST);
        started.add(scheduler);
        KafkaLeaderElection controllers = KafkaLeaderElection.start(SharedKafka.bootstrapServers(), topics, "controllers", "x", new Member(), FAST);
        started.add(controllers);
        assertThat(scheduler.awaitLeadership(TIMEOUT)).isTrue();
        assertThat(controllers.awaitLeadership(TIMEOUT)).isTrue();
    }
}
