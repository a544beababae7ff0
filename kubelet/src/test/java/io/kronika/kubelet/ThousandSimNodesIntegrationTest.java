package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.kubelet.runtime.sim.SimRuntime;
import io.kronika.kubelet.testing.Pods;
import io.kronika.kubelet.testing.TestCluster;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.kronika.kubelet.testing.Pods.container;
import static io.kronika.kubelet.testing.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** A thousand simulated nodes in one JVM run two thousand pods; a node whose kubelet stops stops renewing its lease. */
class ThousandSimNodesIntegrationTest {
    private static final int NODES = 1000;
    private static final int PODS = 2000;

    @Test
    void aThousandSimNodesRunTwoThousandPodsAndAStoppedOneGoesQuiet() throws Exception {
        TestCluster cluster = TestCluster.shared();
        String ns = cluster.newNamespace("fleet");
        String prefix = TestCluster.uniqueName("fleet");
        List<Kubelet> kubelets = new ArrayList<>();
        List<SimRuntime> runtimes = new ArrayList<>();
        long t0 = System.nanoTime();
        ExecutorService starter = Executors.newFixedThreadPool(16);
        try {
            List<Future<Kubelet>> starting = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                String node = prefix + "-" + i;
                SimRuntime runtime = new SimRuntime(node, SimRuntime.Settings.defaults(), cluster.services.timers());
                runtimes.add(runtime);
                KubeletConfig config = KubeletConfig.defaults(node, null)
                        .withIntervals(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(30));
                starting.add(starter.submit(() -> Kubelet.start(cluster.services, config, runtime)));
            }
            for (Future<Kubelet> f : starting) {
                kubelets.add(f.get());
            }
        } finally {
            starter.shutdown();
        }
        long registered = System.nanoTime();
        System.out.printf("%d sim nodes registered in %.1f s%n", NODES, (registered - t0) / 1e9);

        List<CompletableFuture<CommandResult>> binds = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            String name = "p-" + i;
            String node = prefix + "-" + (i % NODES);
            String json = Json.write(pod(name, "Always", container("app", "nginx:1")));
            binds.add(cluster.admission.client().submit(Commands.create(TestCluster.podRef(ns, name), json, AdmissionFixture.TEST_ACTOR))
                    .thenCompose(created -> cluster.admission.client().submit(Commands.bind(TestCluster.podRef(ns, name),
                            created.getRevision() == null ? null : Json.text(Json.parse(created.getObject()), "metadata", "uid"),
                            node, AdmissionFixture.TEST_ACTOR))));
        }
        for (CompletableFuture<CommandResult> bind : binds) {
            assertThat(bind.get().getOutcome()).isEqualTo(Outcome.ACCEPTED);
        }
        TestCluster.waitUntil(() -> runningPods(cluster, ns) == PODS, Duration.ofMinutes(2), PODS + " pods Running");
        System.out.printf("%d pods Running on %d sim nodes %.1f s after binding%n", PODS, NODES, (System.nanoTime() - registered) / 1e9);
        assertThat(kubelets).allSatisfy(k -> assertThat(k.podCount()).isEqualTo(PODS / NODES));

        // One kubelet stops: its lease is no longer renewed, the others' are.
        Kubelet stopped = kubelets.get(7);
        String stoppedLease = ObjectKeys.of("coordination.k8s.io", "Lease", "kube-node-lease", stopped.nodeName());
        String liveLease = ObjectKeys.of("coordination.k8s.io", "Lease", "kube-node-lease", kubelets.get(8).nodeName());
        stopped.close();
        // A renewal sent just before the close may still land: read the stopped lease only after a live one renewed.
        String live = renewTime(cluster, liveLease);
        TestCluster.waitUntil(() -> !live.equals(renewTime(cluster, liveLease)), Duration.ofSeconds(30), "a live node to renew its lease");
        String frozen = renewTime(cluster, stoppedLease);
        String liveAgain = renewTime(cluster, liveLease);
        TestCluster.waitUntil(() -> !liveAgain.equals(renewTime(cluster, liveLease)), Duration.ofSeconds(30), "a live node to renew its lease again");
        assertThat(renewTime(cluster, stoppedLease)).isEqualTo(frozen);

        for (Kubelet k : kubelets) {
            k.close();
        }
        runtimes.forEach(SimRuntime::close);
    }

    private static String renewTime(TestCluster cluster, String key) {
        return cluster.get(key).map(l -> Json.text(l, "spec", "renewTime")).orElse("");
    }

    private static int runningPods(TestCluster cluster, String ns) {
        int running = 0;
        for (StoredObject o : cluster.view.list(ObjectKeys.namespacePrefix("", "Pod", ns), cluster.view.appliedRevision(), x -> true, 0, null).items()) {
            ObjectNode pod = Json.parse(o.json());
            if (Pods.running(pod)) {
                running++;
            }
        }
        return running;
    }
}
