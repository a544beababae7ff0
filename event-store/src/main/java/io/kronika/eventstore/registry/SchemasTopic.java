package io.kronika.eventstore.registry;

import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the registry's topic is fit to be its store, as Confluent's registry does: created (compacted, one
 * partition, as in {@link TopicProvisioner#layout}) when missing, refused when it has more than one partition.
 */
final class SchemasTopic {
    private static final Logger LOG = LoggerFactory.getLogger(SchemasTopic.class);
    private static final long TIMEOUT_SECONDS = 30;

    private SchemasTopic() {
    }

    static void ensure(String bootstrapServers, TopicNames names) {
        String topic = names.schemas();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicDescription description;
            try {
                description = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                create(admin, names);
                return;
            }
            if (description.partitions().size() != 1) {
                throw new IllegalStateException("The schemas topic " + topic + " has " + description.partitions().size()
                        + " partitions; the schema registry needs exactly one, for one order of its records");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
                LOG.warn("The schemas topic {} has cleanup.policy={}; it should be compact, or schemas may be lost", topic, policy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the schemas topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Cannot check the schemas topic " + topic + " on " + bootstrapServers
                    + ": " + cause + ". Check that the brokers are reachable.", cause);
        }
    }

    private static void create(Admin admin, TopicNames names) throws InterruptedException, ExecutionException, TimeoutException {
        int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
        short replicationFactor = (short) Math.max(1, Math.min(3, brokers));
        NewTopic topic = TopicProvisioner.layout(names, replicationFactor).stream()
                .filter(t -> t.name().equals(names.schemas()))
                .findFirst()
                .orElseThrow();
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Created the schemas topic {} (replication factor {})", topic.name(), replicationFactor);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
