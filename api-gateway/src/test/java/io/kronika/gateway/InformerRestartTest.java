package io.kronika.gateway;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kronika.gateway.testing.Poll;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fabric8 SharedInformer sees ADDED, MODIFIED and DELETED for 500 objects, in order, and carries on when its
 * gateway is stopped and a new one started on the same port in the middle of the writes.
 */
@ExtendWith(SharedClusterExtension.class)
class InformerRestartTest {
    private static final int OBJECTS = 500;

    private record Seen(String action, String name, long revision) {
    }

    @Test
    void anInformerSeesEveryChangeInOrderAcrossAGatewayRestart() throws Exception {
        TestCluster cluster = TestCluster.shared();
        String ns = cluster.newNamespace("informer");
        KubernetesClient writer = cluster.client();
        ApiGateway gateway = cluster.startGateway(0);
        int port = gateway.port();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (KubernetesClient client = TestCluster.client(gateway.url())) {
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap obj) {
                    seen.add(new Seen("ADDED", obj.getMetadata().getName(), revision(obj)));
                }

                @Override
                public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                    seen.add(new Seen("MODIFIED", newObj.getMetadata().getName(), revision(newObj)));
                }

                @Override
                public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                    seen.add(new Seen(deletedFinalStateUnknown ? "DELETED-UNKNOWN" : "DELETED", obj.getMetadata().getName(), revision(obj)));
                }
            }, 0);
            Poll.until("the informer to sync", Duration.ofSeconds(30), informer::hasSynced);

            run(pool, i -> () -> writer.resource(new ConfigMapBuilder().withNewMetadata().withName(name(i)).withNamespace(ns)
                    .endMetadata().addToData("v", "0").build()).create());
            Poll.until("500 ADDED", Duration.ofSeconds(60), () -> seen.size() >= OBJECTS);

            CompletableFuture<Void> modifications = CompletableFuture.runAsync(() -> run(pool, i -> () ->
                    writer.configMaps().inNamespace(ns).withName(name(i)).edit(c -> new ConfigMapBuilder(c).addToData("v", "1").build())));
            Poll.until("some MODIFIED", Duration.ofSeconds(60), () -> seen.size() >= OBJECTS + 50);
            gateway.close();
            gateway = cluster.startGateway(port);
            modifications.join();
            run(pool, i -> () -> writer.configMaps().inNamespace(ns).withName(name(i)).delete());

            Poll.until("1500 events", Duration.ofSeconds(60), () -> seen.size() >= 3 * OBJECTS);
            informer.close();
        } finally {
            pool.shutdownNow();
            gateway.close();
        }

        assertThat(seen).hasSize(3 * OBJECTS);
        Map<String, List<String>> byObject = new LinkedHashMap<>();
        for (Seen event : seen) {
            byObject.computeIfAbsent(event.name(), n -> new ArrayList<>()).add(event.action());
        }
        assertThat(byObject).hasSize(OBJECTS);
        assertThat(byObject.values()).allSatisfy(actions -> assertThat(actions).containsExactly("ADDED", "MODIFIED", "DELETED"));
        List<Long> revisions = seen.stream().map(Seen::revision).toList();
        assertThat(revisions).as("events arrive in revision order").isSorted().doesNotHaveDuplicates();
    }

    private static void run(ExecutorService pool, IntFunction<Runnable> work) {
        List<CompletableFuture<Void>> all = IntStream.range(0, OBJECTS)
                .mapToObj(i -> CompletableFuture.runAsync(work.apply(i), pool)).toList();
        all.forEach(CompletableFuture::join);
    }

    private static String name(int i) {
        return String.format("obj-%03d", i);
    }

    private static long revision(ConfigMap configMap) {
        return Long.parseLong(configMap.getMetadata().getResourceVersion());
    }
}
