package io.kronika.projections.view;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Forgets the committed offsets of a view's consumer group, so that a view with fresh local state folds the log
 * from the beginning. A member of a crashed predecessor keeps the group busy until its session times out, so this
 * retries until then.
 */
final class ConsumerGroupReset {
    private ConsumerGroupReset() {
    }

    static void deleteGroup(String bootstrapServers, String groupId, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    admin.deleteConsumerGroups(List.of(groupId)).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) {
                        return;
                    }
                    if (!(e.getCause() instanceof GroupNotEmptyException)) {
                        throw new IllegalStateException("Cannot reset the offsets of consumer group " + groupId, e.getCause());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Consumer group " + groupId + " still has members after " + timeout
                            + "; is another process running this view with the same application id?");
                }
                Thread.sleep(500); // waiting for the broker to expire a dead member's session; nothing to be notified by
            }
        }
    }
}
