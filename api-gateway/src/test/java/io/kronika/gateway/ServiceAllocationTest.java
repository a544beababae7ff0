package io.kronika.gateway;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ClusterIP and NodePort allocation at admission: ranges, uniqueness (also under concurrency), freeing, restarts. */
@ExtendWith(SharedClusterExtension.class)
class ServiceAllocationTest {
    private static KubernetesClient client;
    private static String ns;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        ns = cluster.newNamespace("svc-alloc");
    }

    private static Service service(String name, String type, Integer nodePort, String clusterIP) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIP).addToSelector("app", name)
                .addNewPort().withPort(80).withNodePort(nodePort).endPort().endSpec().build();
    }

    private static Service create(Service service) {
        return client.resource(service).create();
    }

    @Test
    void aClusterIpServiceGetsAnAddressFromTheRangeAndTargetPortDefaultsToPort() {
        Service created = create(service("plain", "ClusterIP", null, null));
        String ip = created.getSpec().getClusterIP();
        assertThat(ip).startsWith("127.96.");
        assertThat(created.getSpec().getClusterIPs()).containsExactly(ip);
        assertThat(created.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString(80));
        assertThat(created.getSpec().getPorts().get(0).getNodePort()).isNull();

        Service updated = client.services().inNamespace(ns).withName("plain").edit(s -> {
            s.getMetadata().setLabels(java.util.Map.of("touched", "yes"));
            return s;
        });
        assertThat(updated.getSpec().getClusterIP()).isEqualTo(ip);
    }

    @Test
    void aHeadlessServiceGetsNoAddress() {
        Service created = create(service("headless", "ClusterIP", null, "None"));
        assertThat(created.getSpec().getClusterIP()).isEqualTo("None");
    }

    @Test
    void nodePortsComeFromTheRangeAndAreNeverGivenTwiceUntilFreedByDelete() {
        Service first = create(service("np-a", "NodePort", null, null));
        int port = first.getSpec().getPorts().get(0).getNodePort();
        assertThat(port).isBetween(30000, 32767);

        assertThatThrownBy(() -> create(service("np-b", "NodePort", port, null)))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains("spec.ports[0].nodePort: Invalid value: " + port
                            + ": provided port is already allocated");
                });
        assertThatThrownBy(() -> create(service("np-c", "NodePort", 8080, null)))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains("provided port is not in the valid range. The range of valid ports is 30000-32767");
                });
        assertThatThrownBy(() -> create(service("ip-dup", "ClusterIP", null, first.getSpec().getClusterIP())))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains("provided IP is already allocated");
                });

        client.resource(first).withTimeout(0, java.util.concurrent.TimeUnit.SECONDS).delete();
        Service again = create(service("np-b", "NodePort", port, first.getSpec().getClusterIP()));
        assertThat(again.getSpec().getPorts().get(0).getNodePort()).isEqualTo(port);
        assertThat(again.getSpec().getClusterIP()).isEqualTo(first.getSpec().getClusterIP());
    }

    @Test
    void concurrentCreatesNeverShareAnAddressOrPort() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<CompletableFuture<Service>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Service s = service("many-" + i, "NodePort", null, null);
                futures.add(CompletableFuture.supplyAsync(() -> create(s), pool));
            }
            Set<String> ips = new HashSet<>();
            Set<Integer> ports = new HashSet<>();
            for (CompletableFuture<Service> f : futures) {
                Service s = f.get();
                assertThat(ips.add(s.getSpec().getClusterIP())).as("IP %s twice", s.getSpec().getClusterIP()).isTrue();
                assertThat(ports.add(s.getSpec().getPorts().get(0).getNodePort())).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRestartedGatewayDerivesItsAllocationsFromTheView() {
        Service first = create(service("restart-a", "NodePort", null, null));
        int port = first.getSpec().getPorts().get(0).getNodePort();
        try (ApiGateway other = cluster.startGateway(0); KubernetesClient otherClient = TestCluster.client(other.url())) {
            assertThatThrownBy(() -> otherClient.resource(service("restart-b", "NodePort", port, null)).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
            Service second = otherClient.resource(service("restart-c", "NodePort", null, null)).create();
            assertThat(second.getSpec().getClusterIP()).isNotEqualTo(first.getSpec().getClusterIP());
            assertThat(second.getSpec().getPorts().get(0).getNodePort()).isNotEqualTo(port);
        }
    }
}
