package io.kronika.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.launcher.security.ClusterCredentials;
import io.kronika.launcher.security.ClusterPki;
import io.kronika.replay.Audit;
import io.kronika.replay.Cluster;
import io.kronika.replay.LogReader;
import io.kronika.replay.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The all-in-one API as {@code up} secures it, against the real broker: TLS with the cluster CA from the generated
 * kubeconfig, 401 for anonymous requests, RBAC 403s in kube-apiserver's words, service-account tokens (legacy Secret
 * and TokenRequest bound to a pod) that die with what they belong to, client certificates, access reviews, role
 * aggregation, and refusals in the audit trail. Clients: fabric8 and raw HTTP.
 */
class ApiSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dataDir;
    private static AllInOneCluster cluster;
    private static String api;
    private static String caPem;
    private static HttpClient http;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("kronika-security");
        ClusterOptions options = TestClusters.storeOnly(dataDir);
        options.controllers = true; // the service-account token controller holds the signing key; aggregation
        cluster = AllInOneCluster.start(options, line -> { });
        api = cluster.status().apiUrl();
        caPem = ClusterPki.open(dataDir).caPem();
        http = ClusterCredentials.httpClient(caPem);
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(dataDir.resolve(Kubeconfig.FILE)))).build();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void theApiServesTlsAndTheKubeconfigCarriesTheCaAndTheAdminToken() throws Exception {
        assertThat(api).startsWith("https://");
        String kubeconfig = Files.readString(dataDir.resolve(Kubeconfig.FILE));
        assertThat(kubeconfig).contains("certificate-authority-data: " + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)))
                .contains("token: ");
        assertThat(admin.namespaces().withName("kube-system").get()).isNotNull();
        assertThat(admin.rbac().clusterRoles().withName("view").get().getAggregationRule()).isNotNull();
        // A client that does not trust the cluster CA cannot talk to it.
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLException.class);
    }

    @Test
    void anonymousRequestsGet401ExceptHealthAndVersion() throws Exception {
        HttpResponse<String> pods = get("/api/v1/namespaces/default/pods", null);
        assertThat(pods.statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(pods.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(get("/apis", null).statusCode()).isEqualTo(401);
        for (String open : List.of("/healthz", "/readyz", "/livez", "/version")) {
            assertThat(get(open, null).statusCode()).as(open).isEqualTo(200);
        }
        assertThat(get("/api/v1/namespaces", "not-a-token").statusCode()).as("a wrong token is refused, never anonymous").isEqualTo(401);
    }

    @Test
    void aUserBoundToViewListsButIsForbiddenToCreateInKubernetesWords() throws Exception {
        String token = addStaticToken("vera", "viewers");
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("vera-view").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject().withKind("User").withName("vera").withApiGroup("rbac.authorization.k8s.io").endSubject().build()).create();
        try (KubernetesClient vera = client(token)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(vera.pods().inNamespace("default").list().getItems()).isNotNull());
            assertThatThrownBy(() -> vera.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("nope").endMetadata().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                        assertThat(e.getStatus().getMessage()).isEqualTo("configmaps is forbidden: User \"vera\" cannot create resource "
                                + "\"configmaps\" in API group \"\" in the namespace \"default\"");
                    });
            assertThatThrownBy(() -> vera.secrets().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> vera.nodes().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .isEqualTo("nodes is forbidden: User \"vera\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"));
            assertThat(admin.configMaps().inNamespace("default").withName("nope").get()).as("nothing reached the log").isNull();

            // kubectl auth can-i: SelfSubjectAccessReview as vera, SubjectAccessReview about her as the admin.
            assertThat(selfCanI(token, "list", "pods", "default")).isTrue();
            assertThat(selfCanI(token, "create", "pods", "default")).isFalse();
            JsonNode sar = post("/apis/authorization.k8s.io/v1/subjectaccessreviews", adminToken(), """
                    {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"vera",
                     "resourceAttributes":{"verb":"watch","resource":"deployments","group":"apps","namespace":"default"}}}""");
            assertThat(sar.path("status").path("allowed").asBoolean()).isTrue();
            assertThat(sar.path("status").path("reason").asText()).contains("ClusterRoleBinding \"vera-view\"");
            // Only who may create subjectaccessreviews asks about others.
            assertThat(postCode("/apis/authorization.k8s.io/v1/subjectaccessreviews", token, """
                    {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"x",
                     "resourceAttributes":{"verb":"get","resource":"pods"}}}""")).isEqualTo(403);
        }
        // The refusals are in the audit trail, never in the events.
        List<Audit.Entry> refused = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            refused.clear();
            ClusterStatus status = cluster.status();
            Cluster log = Cluster.of(status.kafkaBootstrap(), status.schemaRegistryUrl(), status.topicPrefix(), api);
            refused.addAll(Audit.query(new LogReader(log), log, Audit.Filter.all(), Progress.NONE));
            assertThat(refused).anySatisfy(e -> {
                assertThat(e.user()).isEqualTo("vera");
                assertThat(e.code()).isEqualTo(403);
                assertThat(e.message()).contains("cannot create resource \"configmaps\"");
            });
            assertThat(refused).anySatisfy(e -> {
                assertThat(e.user()).isEqualTo("system:anonymous");
                assertThat(e.code()).isEqualTo(401);
            });
        });
    }

    @Test
    void aServiceAccountTokenWorksUntilTheAccountIsDeleted() throws Exception {
        admin.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata().withName("robot").endMetadata()
                .build()).create();
        String token = await().atMost(Duration.ofSeconds(60)).until(() -> {
            var secret = admin.secrets().inNamespace("default").withName("robot-token").get();
            return secret == null ? null : new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
        }, t -> t != null);
        assertThat(whoami(token).path("username").asText()).isEqualTo("system:serviceaccount:default:robot");
        assertThat(whoami(token).path("groups").toString()).contains("system:serviceaccounts:default");

        admin.serviceAccounts().inNamespace("default").withName("robot").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(postCode("/apis/authentication.k8s.io/v1/selfsubjectreviews", token, SELF_SUBJECT_REVIEW)).isEqualTo(401));
    }

    @Test
    void aTokenRequestBoundToAPodDiesWithThePod() throws Exception {
        admin.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata().withName("bound").endMetadata()
                .build()).create();
        var pod = admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("holder").endMetadata()
                .withNewSpec().withServiceAccountName("bound").addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.secrets().inNamespace("kube-system")
                .withName("service-account-signing-key").get() != null);
        JsonNode answer = post("/api/v1/namespaces/default/serviceaccounts/bound/token", adminToken(), """
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600,
                 "boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"holder","uid":"%s"}}}""".formatted(pod.getMetadata().getUid()));
        String token = answer.path("status").path("token").asText();
        assertThat(token).isNotEmpty();
        assertThat(answer.path("status").path("expirationTimestamp").asText()).isNotEmpty();
        assertThat(whoami(token).path("username").asText()).isEqualTo("system:serviceaccount:default:bound");

        admin.pods().inNamespace("default").withName("holder").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(postCode("/apis/authentication.k8s.io/v1/selfsubjectreviews", token, SELF_SUBJECT_REVIEW)).isEqualTo(401));
    }

    @Test
    void aClientCertificateAuthenticatesItsCommonNameAndOrganizations() throws Exception {
        String[] issued = ClusterPki.open(dataDir).clientCertificate("carol", List.of("auditors", "devs"));
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(api)
                .withCaCertData(base64(caPem))
                .withClientCertData(base64(issued[0])).withClientKeyData(base64(issued[1])).withClientKeyAlgo("RSA").build();
        try (KubernetesClient carol = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThatThrownBy(() -> carol.pods().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .isEqualTo("pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""));
            admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("auditors-view").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                    .addNewSubject().withKind("Group").withName("auditors").withApiGroup("rbac.authorization.k8s.io").endSubject().build()).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(carol.pods().inNamespace("default").list()).isNotNull());
        }
    }

    @Test
    void certsIssueWritesAKubeconfigThatAuthenticatesTheUser() throws Exception {
        Path out = dataDir.resolve("issued");
        assertThat(KronikaCommand.execute("certs", "issue", "dave", "--group", "testers", "--data-dir", dataDir.toString(),
                "--out", out.toString(), "--server", api)).isZero();
        assertThat(out.resolve("dave.crt")).exists();
        assertThat(out.resolve("dave.key")).exists();
        try (KubernetesClient dave = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(out.resolve("dave.kubeconfig")))).build()) {
            assertThatThrownBy(() -> dave.pods().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .isEqualTo("pods is forbidden: User \"dave\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""));
        }
    }

    @Test
    void aggregatedClusterRolesGainTheRulesOfTheRolesTheySelect() throws Exception {
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("widgets-view")
                .withLabels(Map.of("rbac.authorization.k8s.io/aggregate-to-view", "true")).endMetadata()
                .addNewRule().withApiGroups("example.com").withResources("widgets").withVerbs("get", "list", "watch").endRule()
                .build()).create();
        String token = addStaticToken("walt", "widget-watchers");
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("walt-edit").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
                .addNewSubject().withKind("User").withName("walt").withApiGroup("rbac.authorization.k8s.io").endSubject().build()).create();
        // view aggregates widgets-view, and edit aggregates view: both gain the rule.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(admin.rbac().clusterRoles().withName("view").get().getRules())
                    .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("widgets"));
            assertThat(admin.rbac().clusterRoles().withName("edit").get().getRules())
                    .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("widgets"));
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(selfCanIGroup(token, "list", "widgets", "example.com")).isTrue());
        assertThat(selfCanIGroup(token, "delete", "widgets", "example.com")).isFalse();
    }

    @Test
    void aKubeletWritingStraightToKafkaIsHeldToItsOwnNode() throws Exception {
        ClusterStatus status = cluster.status();
        var topics = new io.kronika.eventstore.topics.TopicNames(status.topicPrefix());
        try (var kubelet = new io.kronika.eventstore.client.CommandClient(status.kafkaBootstrap(), topics, cluster.schemaRegistry(), "ext-kubelet");
             var forger = new io.kronika.eventstore.client.CommandClient(status.kafkaBootstrap(), topics, cluster.schemaRegistry(), "forger")) {
            assertThat(io.kronika.launcher.security.ComponentKeys.sign(kubelet, "system:node:ext-1", null, dataDir)).contains("derived");
            forger.signAs("system:node:ext-1", "not the key".getBytes(StandardCharsets.UTF_8));
            var actor = io.kronika.eventstore.client.Commands.actor("system:node:ext-1", "kubelet/ext-1", "system:nodes");
            assertThat(kubelet.submit(io.kronika.eventstore.client.Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Node", "", "ext-1"),
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"ext-1\"}}", actor)).get().getOutcome())
                    .isEqualTo(io.kronika.schemas.Outcome.ACCEPTED);
            var other = kubelet.submit(io.kronika.eventstore.client.Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Node", "", "ext-2"),
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"ext-2\"}}", actor)).get();
            assertThat(other.getCode()).isEqualTo(403);
            assertThat(other.getMessage()).isEqualTo("node \"ext-1\" is not allowed to modify node \"ext-2\"");
            var forged = forger.submit(io.kronika.eventstore.client.Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Node", "", "ext-3"),
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"ext-3\"}}", actor)).get();
            assertThat(forged.getCode()).isEqualTo(401);
        }
        assertThat(admin.nodes().withName("ext-1").get()).isNotNull();
        assertThat(admin.nodes().withName("ext-2").get()).isNull();
    }

    @Test
    void byDefaultAnUnsignedCommandWrittenStraightToKafkaIsRefusedAndBecomesNoEvent() throws Exception {
        ClusterStatus status = cluster.status();
        var topics = new io.kronika.eventstore.topics.TopicNames(status.topicPrefix());
        var node = io.kronika.schemas.ObjectKeys.ref("", "Node", "", "unsigned-1");
        try (var writer = new io.kronika.eventstore.client.CommandClient(status.kafkaBootstrap(), topics, cluster.schemaRegistry(), "unsigned")) {
            var refused = writer.submit(io.kronika.eventstore.client.Commands.create(node,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"unsigned-1\"}}",
                    io.kronika.eventstore.client.Commands.actor("system:kronika", "kronika", "system:masters"))).get();
            assertThat(refused.getCode()).isEqualTo(401);
            assertThat(refused.getMessage()).contains("must carry a component credential");
        }
        Cluster log = Cluster.of(status.kafkaBootstrap(), status.schemaRegistryUrl(), status.topicPrefix(), api);
        assertThat(new LogReader(log).allEvents(Progress.NONE))
                .noneSatisfy(e -> assertThat(e.getRef().getName()).isEqualTo("unsigned-1"));
        assertThat(admin.nodes().withName("unsigned-1").get()).isNull();
    }

    @Test
    void aKubeletFleetSignsEachNodesCommandsAsThatNode() throws Exception {
        ClusterStatus status = cluster.status();
        var topics = new io.kronika.eventstore.topics.TopicNames(status.topicPrefix());
        try (var fleet = new io.kronika.eventstore.client.CommandClient(status.kafkaBootstrap(), topics, cluster.schemaRegistry(), "fleet")) {
            assertThat(io.kronika.launcher.security.ComponentKeys.signNodes(fleet, List.of("fleet-1", "fleet-2"), null, dataDir))
                    .contains("2 nodes");
            for (String name : List.of("fleet-1", "fleet-2")) {
                var actor = io.kronika.eventstore.client.Commands.actor("system:node:" + name, "kubelet", "system:nodes");
                assertThat(fleet.submit(io.kronika.eventstore.client.Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Node", "", name),
                        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"}}", actor)).get().getOutcome())
                        .isEqualTo(io.kronika.schemas.Outcome.ACCEPTED);
            }
            // Through the same client, a command of fleet-1 is signed as fleet-1 and may touch only fleet-1.s Node.
            var crossing = fleet.submit(io.kronika.eventstore.client.Commands.create(io.kronika.schemas.ObjectKeys.ref("", "Node", "", "fleet-3"),
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"fleet-3\"}}",
                    io.kronika.eventstore.client.Commands.actor("system:node:fleet-1", "kubelet", "system:nodes"))).get();
            assertThat(crossing.getCode()).isEqualTo(403);
            assertThat(crossing.getMessage()).isEqualTo("node \"fleet-1\" is not allowed to modify node \"fleet-3\"");
        }
        assertThat(admin.nodes().withName("fleet-2").get()).isNotNull();
        assertThat(admin.nodes().withName("fleet-3").get()).isNull();
    }

    @Test
    void grantingNeedsTheRightsGrantedOrTheBindVerbAsInKubernetes() throws Exception {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build()).create();
        String eddie = addStaticToken("eddie", "editors");
        bindInTeam("eddie-edit", "ClusterRole", "edit", "eddie");
        admin.rbac().roles().inNamespace("team").resource(new RoleBuilder().withNewMetadata().withName("rbac-writer").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io").withResources("roles", "rolebindings")
                        .withVerbs("create", "update", "get").build()).build()).create();
        bindInTeam("eddie-rbac-writer", "Role", "rbac-writer", "eddie");
        try (KubernetesClient client = client(eddie)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(selfCanIGroupIn(eddie, "create", "rolebindings",
                    "rbac.authorization.k8s.io", "team")).isTrue());
            for (String role : List.of("admin", "cluster-admin")) {
                assertThatThrownBy(() -> client.rbac().roleBindings().inNamespace("team").resource(binding("eddie-" + role, "ClusterRole", role,
                        "eddie")).create())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(403);
                            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                            assertThat(e.getStatus().getMessage()).startsWith("rolebindings.rbac.authorization.k8s.io \"eddie-" + role
                                    + "\" is forbidden: user \"eddie\" (groups=[\"editors\" \"system:authenticated\"]) is attempting to grant "
                                    + "RBAC permissions not currently held:\n{");
                        });
            }
            assertThatThrownBy(() -> client.rbac().roles().inNamespace("team").resource(new RoleBuilder().withNewMetadata()
                    .withName("node-reader").endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("nodes", "pods")
                            .withVerbs("get").build()).build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .isEqualTo("roles.rbac.authorization.k8s.io \"node-reader\" is forbidden: user \"eddie\" (groups=[\"editors\" "
                                    + "\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                                    + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}"));
            // What edit holds, eddie may grant: a role with fewer rights and a binding of view.
            client.rbac().roles().inNamespace("team").resource(new RoleBuilder().withNewMetadata().withName("pod-reader").endMetadata()
                    .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list").build()).build()).create();
            client.rbac().roleBindings().inNamespace("team").resource(binding("vic-view", "ClusterRole", "view", "vic")).create();

            // bind on the admin ClusterRole (by name) lets him bind admin there, and nothing else.
            admin.rbac().roles().inNamespace("team").resource(new RoleBuilder().withNewMetadata().withName("admin-binder").endMetadata()
                    .addToRules(new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles")
                            .withResourceNames("admin").withVerbs("bind").build()).build()).create();
            bindInTeam("eddie-admin-binder", "Role", "admin-binder", "eddie");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.rbac().roleBindings().inNamespace("team")
                    .resource(binding("vic-admin", "ClusterRole", "admin", "vic")).create()).isNotNull());
            assertThatThrownBy(() -> client.rbac().roleBindings().inNamespace("team")
                    .resource(binding("vic-cluster-admin", "ClusterRole", "cluster-admin", "vic")).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
        assertThat(admin.rbac().roleBindings().inNamespace("team").withName("eddie-admin").get()).as("nothing refused reached the log").isNull();
        assertThat(admin.rbac().roles().inNamespace("team").withName("node-reader").get()).isNull();

        // A user bound to cluster-admin (not in system:masters) holds everything, so may grant everything.
        String cora = addStaticToken("cora", "operators");
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("cora-cluster-admin").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject().withKind("User").withName("cora").withApiGroup("rbac.authorization.k8s.io").endSubject().build()).create();
        try (KubernetesClient client = client(cora)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.rbac().clusterRoleBindings().resource(
                    new ClusterRoleBindingBuilder().withNewMetadata().withName("eddie-cluster-admin").endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                            .addNewSubject().withKind("User").withName("eddie").withApiGroup("rbac.authorization.k8s.io").endSubject().build())
                    .create()).isNotNull());
        }
        // The refused grants are in the audit trail.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ClusterStatus status = cluster.status();
            Cluster log = Cluster.of(status.kafkaBootstrap(), status.schemaRegistryUrl(), status.topicPrefix(), api);
            assertThat(Audit.query(new LogReader(log), log, Audit.Filter.all(), Progress.NONE)).anySatisfy(e -> {
                assertThat(e.user()).isEqualTo("eddie");
                assertThat(e.code()).isEqualTo(403);
                assertThat(e.message()).contains("\"node-reader\" is forbidden").contains("attempting to grant RBAC permissions");
            });
        });
    }

    // ---- helpers

    private static void bindInTeam(String name, String roleKind, String role, String user) {
        admin.rbac().roleBindings().inNamespace("team").resource(binding(name, roleKind, role, user)).create();
    }

    private static io.fabric8.kubernetes.api.model.rbac.RoleBinding binding(String name, String roleKind, String role, String user) {
        return new RoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", roleKind, role)
                .addNewSubject().withKind("User").withName(user).withApiGroup("rbac.authorization.k8s.io").endSubject().build();
    }

    private static boolean selfCanIGroupIn(String token, String verb, String resource, String group, String namespace) throws Exception {
        return post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", token, """
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":
                 {"verb":"%s","resource":"%s","group":"%s","namespace":"%s"}}}""".formatted(verb, resource, group, namespace))
                .path("status").path("allowed").asBoolean();
    }

    private static final String SELF_SUBJECT_REVIEW = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";

    private static JsonNode whoami(String token) throws Exception {
        return post("/apis/authentication.k8s.io/v1/selfsubjectreviews", token, SELF_SUBJECT_REVIEW).path("status").path("userInfo");
    }

    private static boolean selfCanI(String token, String verb, String resource, String namespace) throws Exception {
        return post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", token, """
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":
                 {"verb":"%s","resource":"%s","namespace":"%s"}}}""".formatted(verb, resource, namespace))
                .path("status").path("allowed").asBoolean();
    }

    private static boolean selfCanIGroup(String token, String verb, String resource, String group) throws Exception {
        return post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", token, """
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":
                 {"verb":"%s","resource":"%s","group":"%s","namespace":"default"}}}""".formatted(verb, resource, group))
                .path("status").path("allowed").asBoolean();
    }

    private static String addStaticToken(String user, String group) throws Exception {
        String token = user + "-" + java.util.UUID.randomUUID();
        Path file = dataDir.resolve(ClusterPki.DIR).resolve(ClusterCredentials.TOKEN_FILE);
        Files.writeString(file, token + "," + user + "," + user + "-uid,\"" + group + "\"\n", StandardOpenOption.APPEND);
        // The gateway reads the file again when it changes; wait until it knows the token.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(whoami(token).path("username").asText()).isEqualTo(user));
        return token;
    }

    private static String adminToken() throws Exception {
        for (String line : Files.readAllLines(dataDir.resolve(ClusterPki.DIR).resolve(ClusterCredentials.TOKEN_FILE))) {
            if (line.contains("," + ClusterCredentials.ADMIN_USER + ",")) {
                return line.substring(0, line.indexOf(','));
            }
        }
        throw new IllegalStateException("no admin token");
    }

    private static KubernetesClient client(String token) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api)
                .withCaCertData(base64(caPem)).withOauthToken(token).withNamespace("default").build()).build();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode post(String path, String token, String body) throws Exception {
        HttpResponse<String> response = send(path, token, body);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static int postCode(String path, String token, String body) throws Exception {
        return send(path, token, body).statusCode();
    }

    private static HttpResponse<String> send(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
