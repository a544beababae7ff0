package io.kronika.eventstore.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Creates a cluster's topics with deliberate configurations (see docs/decisions/002-topic-layout.md).
 * Existing topics are left as they are: an operator may have tuned them.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final String MAX_MESSAGE_BYTES = String.valueOf(4 * 1024 * 1024);

    private TopicProvisioner() {
    }

    /** The topics of a cluster; {@code replicationFactor} 0 or less means the brokers' default. */
    public static List<NewTopic> layout(TopicNames names, short replicationFactor) {
        List<NewTopic> topics = new ArrayList<>();
        // The source of truth: one partition gives one global order (etcd's revision); kept forever, never compacted.
        topics.add(topic(names.events(), 1, replicationFactor).configs(merge(durable(replicationFactor), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_MESSAGE_BYTES))));
        // Every request, refused ones included: the audit trail. One partition: the sequencer reads them in order.
        topics.add(topic(names.commands(), 1, replicationFactor).configs(merge(durable(replicationFactor), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_MESSAGE_BYTES))));
        // Answers to waiting callers; a week is plenty for the audit of refusals to join them.
        topics.add(topic(names.results(), 1, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_MESSAGE_BYTES)));
        // Liveness only: the latest beat per node matters, and only for minutes.
        topics.add(topic(names.heartbeats(), 3, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(3600L * 1000),
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(600L * 1000))));
        topics.add(topic(names.logs(), 3, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(3L * 24 * 3600 * 1000))));
        // The schema registry's store, as Confluent's: one partition, compacted, one writer.
        topics.add(topic(names.schemas(), 1, replicationFactor).configs(merge(durable(replicationFactor), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        return topics;
    }

    private static NewTopic topic(String name, int partitions, short replicationFactor) {
        return replicationFactor > 0
                ? new NewTopic(name, partitions, replicationFactor)
                : new NewTopic(name, Optional.of(partitions), Optional.empty());
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> merged = new java.util.HashMap<>(a);
        merged.putAll(b);
        return merged;
    }

    /** With a known replication factor, require all but one replica to acknowledge (the brokers' setting otherwise). */
    private static Map<String, String> durable(short replicationFactor) {
        return replicationFactor > 0
                ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(Math.max(1, replicationFactor - 1)))
                : Map.of();
    }

    /** Creates whatever topics of the layout are missing. */
    public static void ensureTopics(String bootstrapServers, TopicNames names, short replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = layout(names, replicationFactor).stream()
                    .filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create the topics on " + bootstrapServers
                    + ": " + e.getCause().getMessage() + ". Check that the brokers are reachable.", e.getCause());
        }
    }
}
