package io.kronika.eventstore.admission;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.testing.AdmissionFixture;
import io.kronika.eventstore.testing.SharedKafka;
import io.kronika.eventstore.testing.TestFiles;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.eventstore.topics.TopicProvisioner;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.auth.BootstrapPolicy;
import io.kronika.schemas.auth.ComponentCredentials;
import io.kronika.schemas.k8s.JsonTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands written straight to Kafka carry a component credential that the admission processor verifies (real broker,
 * real Kafka Streams): unsigned and forged commands are refused 401; a kubelet may change only its own Node and the
 * status of pods bound to it; the scheduler is held to its RBAC role; nothing refused reaches the events.
 */
class ComponentCredentialsTest {
    private static final byte[] MASTER = "the-cluster-component-master-key".getBytes(StandardCharsets.UTF_8);
    private static final Actor ACTOR = Commands.actor("component", "test");
    private static TopicNames topics;
    private static Path stateDir;
    private static AdmissionProcessor processor;
    private static final List<CommandClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        topics = SharedKafka.uniqueTopics();
        TopicProvisioner.ensureTopics(SharedKafka.bootstrapServers(), topics, (short) 1);
        stateDir = Files.createTempDirectory("kronika-credentials");
        processor = AdmissionProcessor.start(SharedKafka.bootstrapServers(), topics, AdmissionFixture.REGISTRY,
                AdmissionProcessor.Settings.defaults(stateDir).withAuthorization(new CommandAuthorization(MASTER, true)))
                .awaitRunning(Duration.ofSeconds(60));
        CommandClient trusted = client(ComponentCredentials.TRUSTED, MASTER);
        accepted(trusted, Commands.builder(Operation.CREATE, ObjectKeys.ref("", "Namespace", "", "default"), ACTOR)
                .setObject(AdmissionFixture.namespaceJson("default")).setStatusSubresource(false).build());
        for (var object : BootstrapPolicy.clusterRoles()) {
            if (object.path("metadata").path("name").asText().equals("system:kube-scheduler")) {
                accepted(trusted, create(BootstrapPolicy.GROUP, "ClusterRole", "", object.path("metadata").path("name").asText(), JsonTrees.write(object)));
            }
        }
        for (var object : BootstrapPolicy.clusterRoleBindings()) {
            if (object.path("metadata").path("name").asText().equals("system:kube-scheduler")) {
                accepted(trusted, create(BootstrapPolicy.GROUP, "ClusterRoleBinding", "", "system:kube-scheduler", JsonTrees.write(object)));
            }
        }
        accepted(trusted, create("", "Pod", "default", "on-node-1", pod("on-node-1", "node-1")));
        accepted(trusted, create("", "Pod", "default", "unbound", pod("unbound", null)));
        accepted(trusted, create("", "Pod", "default", "to-schedule", pod("to-schedule", null)));
    }

    @AfterAll
    static void stop() {
        clients.forEach(CommandClient::close);
        if (processor != null) {
            processor.close();
        }
        TestFiles.deleteRecursively(stateDir);
    }

    @Test
    void unsignedAndForgedCommandsAreRefused() throws Exception {
        CommandClient unsigned = new CommandClient(SharedKafka.bootstrapServers(), topics, AdmissionFixture.REGISTRY, "unsigned-" + topics.prefix());
        clients.add(unsigned);
        Command command = create("", "ConfigMap", "default", "plain", AdmissionFixture.configMapJson("plain", "x"));
        CommandResult plain = submit(unsigned, command);
        assertThat(plain.getCode()).isEqualTo(401);
        assertThat(plain.getMessage()).contains("must carry a component credential");
        // The refusal is not remembered under the command id: the same command, signed, is decided on its own.
        CommandResult signedLater = submit(client("system:kube-scheduler", MASTER), command);
        assertThat(signedLater.getCode()).isEqualTo(403);
        assertThat(signedLater.getMessage()).contains("User \"system:kube-scheduler\" cannot create resource \"configmaps\"");

        CommandClient forger = client("system:node:node-1", "another-master-key".getBytes(StandardCharsets.UTF_8));
        CommandResult forged = submit(forger, create("", "Node", "", "node-1", node("node-1")));
        assertThat(forged.getCode()).isEqualTo(401);
        assertThat(forged.getMessage()).contains("does not verify");
        assertThat(keysInEvents()).doesNotContain(ObjectKeys.of("", "ConfigMap", "default", "plain"));
    }

    @Test
    void aKubeletChangesOnlyItsOwnNodeAndThePodsBoundToIt() throws Exception {
        CommandClient kubelet = client("system:node:node-1", MASTER);
        accepted(kubelet, create("", "Node", "", "node-1", node("node-1")));
        CommandResult other = submit(kubelet, create("", "Node", "", "node-2", node("node-2")));
        assertThat(other.getCode()).isEqualTo(403);
        assertThat(other.getMessage()).isEqualTo("node \"node-1\" is not allowed to modify node \"node-2\"");

        accepted(kubelet, Commands.updateStatus(ObjectKeys.ref("", "Pod", "default", "on-node-1"),
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"on-node-1\",\"namespace\":\"default\"},"
                        + "\"status\":{\"phase\":\"Running\"}}", null, ACTOR));
        CommandResult unbound = submit(kubelet, Commands.updateStatus(ObjectKeys.ref("", "Pod", "default", "unbound"),
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"unbound\",\"namespace\":\"default\"},"
                        + "\"status\":{\"phase\":\"Running\"}}", null, ACTOR));
        assertThat(unbound.getCode()).isEqualTo(403);
        assertThat(unbound.getMessage()).contains("can only update pods with spec.nodeName set to itself");
        CommandResult secret = submit(kubelet, create("", "Secret", "default", "stolen", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
                + "\"metadata\":{\"name\":\"stolen\",\"namespace\":\"default\"}}"));
        assertThat(secret.getCode()).isEqualTo(403);
        assertThat(keysInEvents()).doesNotContain(ObjectKeys.of("", "Node", "", "node-2"), ObjectKeys.of("", "Secret", "default", "stolen"));
    }

    @Test
    void theSchedulerIsHeldToItsRole() throws Exception {
        CommandClient scheduler = client("system:kube-scheduler", MASTER);
        ObjectRef pod = ObjectKeys.ref("", "Pod", "default", "to-schedule");
        accepted(scheduler, Commands.bind(pod, null, "node-1", ACTOR));
        CommandResult secret = submit(scheduler, create("", "Secret", "default", "s", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
                + "\"metadata\":{\"name\":\"s\",\"namespace\":\"default\"}}"));
        assertThat(secret.getCode()).isEqualTo(403);
        assertThat(secret.getMessage()).isEqualTo("secrets \"s\" is forbidden: User \"system:kube-scheduler\" cannot create resource "
                + "\"secrets\" in API group \"\" in the namespace \"default\"");
    }

    private static CommandClient client(String principal, byte[] master) {
        CommandClient client = new CommandClient(SharedKafka.bootstrapServers(), topics, AdmissionFixture.REGISTRY,
                principal.replace(':', '-') + "-" + clients.size() + "-" + topics.prefix())
                .signAs(principal, ComponentCredentials.derive(master, principal));
        clients.add(client);
        return client;
    }

    private static Command create(String group, String kind, String namespace, String name, String json) {
        return Commands.builder(Operation.CREATE, ObjectKeys.ref(group, kind, namespace, name), ACTOR).setObject(json)
                .setStatusSubresource(!group.equals(BootstrapPolicy.GROUP) && !kind.equals("Secret") && !kind.equals("ConfigMap")).build();
    }

    private static CommandResult submit(CommandClient client, Command command) throws Exception {
        return client.submit(command).get(30, TimeUnit.SECONDS);
    }

    private static void accepted(CommandClient client, Command command) throws Exception {
        CommandResult result = submit(client, command);
        assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(Outcome.ACCEPTED);
    }

    private static List<String> keysInEvents() {
        return AdmissionFixture.readAllEvents(SharedKafka.bootstrapServers(), topics.events()).stream()
                .map(ObjectEvent::getRef).map(ObjectKeys::of).toList();
    }

    private static String node(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    private static String pod(String name, String node) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},\"spec\":{"
                + (node == null ? "" : "\"nodeName\":\"" + node + "\",") + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    }
}
