package io.kronika.eventstore.topics;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

/**
 * The least Kafka access each component needs, as ACLs for KRaft's StandardAuthorizer: only the admission processor
 * writes {@code events} and {@code results}; the others send {@code commands} and read what follows from them; a
 * kubelet adds its heartbeats and container logs. Consumer groups and Kafka Streams' internal topics live under the
 * topic prefix.
 */
public final class ComponentAcls {
    public enum Component { GATEWAY, ADMISSION, KUBELET, CONTROLLERS, SCHEDULER }

    private ComponentAcls() {
    }

    /** The ACLs of {@code principal} (e.g. {@code User:kubelet-node-1}) acting as {@code component}. */
    public static List<AclBinding> of(Component component, String principal, TopicNames topics) {
        Grants grants = new Grants(principal);
        grants.topic(topics.schemas(), AclOperation.READ);
        grants.prefixed(ResourceType.GROUP, topics.prefix(), AclOperation.READ);
        switch (component) {
            case ADMISSION -> {
                grants.topic(topics.commands(), AclOperation.READ);
                grants.topic(topics.events(), AclOperation.WRITE, AclOperation.READ);
                grants.topic(topics.results(), AclOperation.WRITE);
                // its state store changelogs and its exactly-once transactions
                grants.prefixed(ResourceType.TOPIC, topics.admissionApplicationId(), AclOperation.ALL);
                grants.prefixed(ResourceType.TRANSACTIONAL_ID, topics.admissionApplicationId(), AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case GATEWAY -> {
                grants.topic(topics.commands(), AclOperation.WRITE);
                grants.topic(topics.events(), AclOperation.READ);
                grants.topic(topics.results(), AclOperation.READ);
                grants.topic(topics.logs(), AclOperation.READ);
                grants.topic(topics.schemas(), AclOperation.WRITE); // the embedded schema registry runs with the API
                grants.cluster(AclOperation.IDEMPOTENT_WRITE);
            }
            case KUBELET -> {
                grants.topic(topics.commands(), AclOperation.WRITE);
                grants.topic(topics.heartbeats(), AclOperation.WRITE);
                grants.topic(topics.logs(), AclOperation.WRITE);
                grants.topic(topics.events(), AclOperation.READ);
                grants.topic(topics.results(), AclOperation.READ);
                grants.cluster(AclOperation.IDEMPOTENT_WRITE);
            }
            case CONTROLLERS, SCHEDULER -> {
                grants.topic(topics.commands(), AclOperation.WRITE);
                grants.topic(topics.events(), AclOperation.READ);
                grants.topic(topics.results(), AclOperation.READ);
                grants.topic(topics.heartbeats(), AclOperation.READ);
                // the election's lease topic (one partition, created by the first candidate)
                grants.topic(topics.prefix() + "leader-election", AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE);
                grants.cluster(AclOperation.IDEMPOTENT_WRITE);
            }
        }
        return grants.bindings;
    }

    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = principal;
        }

        void topic(String name, AclOperation... operations) {
            add(new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL), operations);
        }

        void prefixed(ResourceType type, String prefix, AclOperation... operations) {
            add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operations);
        }

        void cluster(AclOperation... operations) {
            add(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), operations);
        }

        private void add(ResourcePattern pattern, AclOperation... operations) {
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
        }
    }
}
