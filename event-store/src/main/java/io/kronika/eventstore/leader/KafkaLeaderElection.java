package io.kronika.eventstore.leader;

import io.kronika.eventstore.topics.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leader election through Kafka group membership: every candidate joins one consumer group on a single-partition
 * topic; the group coordinator assigns that partition to exactly one member, and that member leads. Nothing is ever
 * read or written on the topic — the assignment is the lease. A leader that closes leaves the group and hands over at
 * once; one that dies or stops polling is evicted after the session timeout, and another member is assigned the
 * partition. The cooperative-sticky assignor keeps the partition where it is when members come and go.
 *
 * <p>{@link Listener#onRevoked()} runs (on the election's thread) before the partition can be assigned elsewhere,
 * and must return only once the old leader has stopped acting. As with any lease, a leader frozen past its session
 * can act after it was replaced; components keep their writes safe regardless (the admission processor refuses a
 * second binding of a pod). {@link #epoch()} (the group generation at election) can serve as a fencing token.
 */
public final class KafkaLeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeaderElection.class);

    /** Told when this member gains and loses leadership; called on the election's thread, one at a time. */
    public interface Listener {
        void onElected(long epoch);

        void onRevoked();
    }

    /** Session timeout bounds how long a dead leader keeps the lease (the broker's minimum is 6 s by default). */
    public record Settings(Duration sessionTimeout, Duration heartbeatInterval, Duration pollInterval) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(100));
        }
    }

    private final String electionName;
    private final String memberId;
    private final Listener listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition lease;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong epoch = new AtomicLong(-1);
    private volatile boolean leader;
    private volatile boolean closed;
    private final Object leadershipChanged = new Object();

    private KafkaLeaderElection(String bootstrapServers, String topic, String groupId, String electionName, String memberId,
                                Listener listener, Settings settings) {
        this.electionName = electionName;
        this.memberId = memberId;
        this.listener = listener;
        this.lease = new TopicPartition(topic, 0);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.CLIENT_ID_CONFIG, memberId + "-leader-election",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) settings.heartbeatInterval().toMillis(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(() -> run(settings.pollInterval()), "leader-election-" + electionName + "-" + memberId);
        this.thread.setDaemon(true);
    }

    /** The topic whose single partition is the lease; one topic serves every election of a cluster. */
    public static String leaseTopic(TopicNames topics) {
        return topics.prefix() + "leader-election";
    }

    /** The consumer group of one election (e.g. "scheduler", "controller-manager"). */
    public static String groupId(TopicNames topics, String electionName) {
        return topics.prefix() + "leader." + electionName;
    }

    /** Joins the election; the listener hears when this member is elected. */
    public static KafkaLeaderElection start(String bootstrapServers, TopicNames topics, String electionName, String memberId,
                                            Listener listener, Settings settings) {
        String topic = leaseTopic(topics);
        ensureLeaseTopic(bootstrapServers, topic);
        KafkaLeaderElection election = new KafkaLeaderElection(bootstrapServers, topic, groupId(topics, electionName),
                electionName, memberId, listener, settings);
        election.consumer.subscribe(List.of(topic), election.rebalanceListener());
        election.thread.start();
        return election;
    }

    static void ensureLeaseTopic(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(Set.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create the leader-election topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating the leader-election topic " + topic + " on " + bootstrapServers, e);
        }
    }

    private ConsumerRebalanceListener rebalanceListener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (partitions.contains(lease) && !leader) {
                    consumer.pause(List.of(lease));
                    long generation = consumer.groupMetadata().generationId();
                    epoch.set(generation);
                    setLeader(true);
                    LOG.info("{} leads election '{}' (epoch {})", memberId, electionName, generation);
                    listener.onElected(generation);
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (partitions.contains(lease)) {
                    revoke("revoked");
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                if (partitions.contains(lease)) {
                    revoke("lost");
                }
            }
        };
    }

    private void revoke(String how) {
        if (leader) {
            LOG.info("{} no longer leads election '{}' (lease {})", memberId, electionName, how);
            try {
                listener.onRevoked();
            } finally {
                setLeader(false);
            }
        }
    }

    private void setLeader(boolean value) {
        synchronized (leadershipChanged) {
            leader = value;
            leadershipChanged.notifyAll();
        }
    }

    private void run(Duration pollInterval) {
        try {
            while (!closed) {
                consumer.poll(pollInterval);
            }
        } catch (RuntimeException e) {
            LOG.error("Leader election '{}' failed; {} stops leading", electionName, memberId, e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10)); // leaves the group: revokes the lease, another member takes over
            } catch (RuntimeException e) {
                LOG.warn("Closing the leader-election consumer failed", e);
            }
            revoke("closed");
            stopped.countDown();
        }
    }

    public boolean isLeader() {
        return leader;
    }

    /** The group generation in which this member was last elected; -1 before that. */
    public long epoch() {
        return epoch.get();
    }

    public String memberId() {
        return memberId;
    }

    /** Waits until this member leads (true) or the timeout passes (false). */
    public boolean awaitLeadership(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (leadershipChanged) {
            while (!leader) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return leader;
                }
                TimeUnit.NANOSECONDS.timedWait(leadershipChanged, left);
            }
            return true;
        }
    }

    /** Leaves the election (handing leadership over at once if this member led) and waits for that to finish. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // the election's thread sees it within one poll interval, then leaves the group
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("Leader election '{}' did not stop within 30 s", electionName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (leadershipChanged) {
            leadershipChanged.notifyAll();
        }
    }
}
