package io.kronika.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.launcher.security.ClusterCredentials;
import io.kronika.launcher.security.ClusterPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pod's API access as Kubernetes gives it, on a secured all-in-one cluster with a process-runtime node: admission
 * mounts the kube-api-access projected volume, the root-ca-cert-publisher puts the CA in kube-root-ca.crt, and the
 * kubelet writes token, ca.crt and namespace; the pod reads them, and its token authenticates as the namespace's
 * default ServiceAccount until the pod is deleted.
 */
class ServiceAccountVolumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static Path dataDir;
    private static AllInOneCluster cluster;
    private static KubernetesClient admin;
    private static String caPem;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("kronika-sa-volume");
        ClusterOptions options = TestClusters.storeOnly(dataDir);
        options.controllers = true;
        options.scheduler = true;
        options.nodes = 1;
        options.runtime = "process";
        cluster = AllInOneCluster.start(options, line -> { });
        caPem = ClusterPki.open(dataDir).caPem();
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(dataDir.resolve(Kubeconfig.FILE)))).build();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.pods().inNamespace("default").withName("api-client").withGracePeriod(0).delete();
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void aPodReadsItsTokenCaAndNamespaceAndTheTokenDiesWithThePod() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null
                && admin.configMaps().inNamespace("default").withName("kube-root-ca.crt").get() != null);
        assertThat(admin.configMaps().inNamespace("default").withName("kube-root-ca.crt").get().getData().get("ca.crt")).isEqualTo(caPem);

        var created = admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("api-client").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withCommand("sh", "-c", "echo ns=$(cat " + DIR + "/namespace); echo token=$(cat " + DIR + "/token); "
                        + "cat " + DIR + "/ca.crt; echo end-of-files; exec sleep 3600")
                .endContainer().endSpec().build()).create();
        assertThat(created.getSpec().getServiceAccountName()).isEqualTo("default");
        Volume volume = created.getSpec().getVolumes().get(0);
        assertThat(volume.getName()).startsWith("kube-api-access-");
        assertThat(volume.getProjected().getSources()).hasSize(3);
        assertThat(created.getSpec().getContainers().get(0).getVolumeMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getMountPath()).isEqualTo(DIR);
            assertThat(mount.getReadOnly()).isTrue();
        });

        String log = await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(
                () -> admin.pods().inNamespace("default").withName("api-client").getLog(), l -> l != null && l.contains("end-of-files"));
        assertThat(log).contains("ns=default\n").contains(caPem.strip());
        String token = log.lines().filter(l -> l.startsWith("token=")).findFirst().orElseThrow().substring("token=".length());
        assertThat(token).isNotBlank();

        HttpResponse<String> whoami = whoami(token);
        assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(201);
        JsonNode user = JSON.readTree(whoami.body()).path("status").path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("system:serviceaccount:default:default");

        admin.pods().inNamespace("default").withName("api-client").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(whoami(token).statusCode()).isEqualTo(401));
    }

    @Test
    void podsTheControllersCreateGetTheVolumeToo() {
        admin.apps().deployments().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("reader").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "reader").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "reader").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withCommand("sh", "-c", "echo ns=$(cat " + DIR + "/namespace); exec sleep 3600").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        var pod = await().atMost(Duration.ofSeconds(60)).until(() -> admin.pods().inNamespace("default").withLabel("app", "reader").list()
                .getItems().stream().findFirst().orElse(null), p -> p != null);
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getName()).startsWith("kube-api-access-"));
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(DIR));
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> admin.pods().inNamespace("default")
                .withName(pod.getMetadata().getName()).getLog().contains("ns=default"));
        admin.apps().deployments().inNamespace("default").withName("reader").delete();
    }

    private static HttpResponse<String> whoami(String token) throws Exception {
        HttpClient http = ClusterCredentials.httpClient(caPem);
        return http.send(HttpRequest.newBuilder(URI.create(cluster.status().apiUrl() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
