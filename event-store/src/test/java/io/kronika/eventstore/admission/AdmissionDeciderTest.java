package io.kronika.eventstore.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Command;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admission rules as a pure function: no broker, no clock. */
class AdmissionDeciderTest {
    private static final long T0 = 1_790_000_000_000L;
    private final Map<String, ObjectEvent> store = new HashMap<>();
    private long revision;

    private static final ObjectRef NS = ObjectKeys.ref("", "Namespace", "", "ns");
    private static final ObjectRef POD = ObjectKeys.ref("", "Pod", "ns", "p");
    private static final String POD_JSON = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"1\"}},"
            + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";

    private Decision apply(Command command) {
        Decision decision = AdmissionDecider.decide(command, store::get, revision + 1, T0 + revision * 1000);
        if (decision.appends()) {
            revision++;
            if (decision.removesObject()) {
                store.remove(decision.key());
            } else {
                store.put(decision.key(), decision.event());
            }
        }
        return decision;
    }

    private JsonNode object(Decision decision) throws Exception {
        return ObjectJson.MAPPER.readTree(decision.result().getObject());
    }

    private Decision createNamespaceAndPod() {
        apply(Commands.create(NS, "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}", Commands.actor("u", "test")));
        return apply(Commands.create(POD, POD_JSON, Commands.actor("u", "test")));
    }

    @Test
    void createSetsServerFieldsFromTheCommandNotTheClock() throws Exception {
        Decision created = createNamespaceAndPod();
        JsonNode meta = object(created).get("metadata");
        assertThat(created.result().getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(created.result().getCode()).isEqualTo(201);
        assertThat(meta.get("resourceVersion").asText()).isEqualTo("2");
        assertThat(meta.get("generation").asLong()).isEqualTo(1);
        assertThat(meta.get("namespace").asText()).isEqualTo("ns");
        assertThat(meta.get("creationTimestamp").asText()).isEqualTo(java.time.Instant.ofEpochMilli(T0 + 1000).toString());
        assertThat(meta.get("uid").asText()).isEqualTo(created.event().getUid()).hasSize(36);
    }

    @Test
    void generateNameIsDeterministicPerCommandAndAvoidsTakenNames() throws Exception {
        apply(Commands.create(NS, "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}", Commands.actor("u", "test")));
        Command generate = Commands.create(ObjectKeys.ref("", "ConfigMap", "ns", ""),
                "{\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"web-\"}}", Commands.actor("u", "test"));
        String first = AdmissionDecider.decide(generate, store::get, 2, T0).event().getRef().getName();
        String again = AdmissionDecider.decide(generate, store::get, 2, T0).event().getRef().getName();
        assertThat(first).isEqualTo(again).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");

        store.put(ObjectKeys.of("", "ConfigMap", "ns", first), AdmissionDecider.decide(generate, store::get, 2, T0).event());
        String other = AdmissionDecider.decide(generate, store::get, 3, T0).event().getRef().getName();
        assertThat(other).isNotEqualTo(first).startsWith("web-");
    }

    @Test
    void generationCountsOnlyDesiredStateChanges() throws Exception {
        createNamespaceAndPod();
        Decision labelled = apply(Commands.update(POD, POD_JSON.replace("\"a\":\"1\"", "\"a\":\"2\""), null, Commands.actor("u", "test")));
        assertThat(object(labelled).at("/metadata/generation").asLong()).isEqualTo(1);

        Decision respecced = apply(Commands.update(POD, POD_JSON.replace("busybox", "nginx"), null, Commands.actor("u", "test")));
        assertThat(object(respecced).at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(object(respecced).at("/metadata/resourceVersion").asText()).isEqualTo("4");
    }

    @Test
    void unchangedUpdateWritesNothingAndKeepsTheRevision() {
        Decision created = createNamespaceAndPod();
        Decision same = apply(Commands.update(POD, POD_JSON, null, Commands.actor("u", "test")));
        assertThat(same.appends()).isFalse();
        assertThat(same.result().getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(same.result().getRevision()).isEqualTo(created.result().getRevision());
    }

    @Test
    void updateKeepsStatusAndStatusUpdateKeepsSpec() throws Exception {
        createNamespaceAndPod();
        String withStatus = withStatus("nginx", "Running");
        Decision statusOnly = apply(Commands.updateStatus(POD, withStatus, null, Commands.actor("kubelet", "kubelet/n1")));
        assertThat(object(statusOnly).at("/status/phase").asText()).isEqualTo("Running");
        assertThat(object(statusOnly).at("/spec/containers/0/image").asText()).isEqualTo("busybox");

        String specWithOtherStatus = withStatus("nginx", "Failed");
        Decision spec = apply(Commands.update(POD, specWithOtherStatus, null, Commands.actor("u", "test")));
        assertThat(object(spec).at("/status/phase").asText()).isEqualTo("Running");
        assertThat(object(spec).at("/spec/containers/0/image").asText()).isEqualTo("nginx");
    }

    private static String withStatus(String image, String phase) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"1\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]},\"status\":{\"phase\":\"" + phase + "\"}}";
    }

    @Test
    void aPodIsBoundOnceAndGetsPodScheduled() throws Exception {
        Decision pod = createNamespaceAndPod();
        Decision first = apply(Commands.bind(POD, pod.event().getUid(), "node-1", Commands.actor("scheduler", "scheduler")));
        Decision second = apply(Commands.bind(POD, pod.event().getUid(), "node-2", Commands.actor("scheduler", "scheduler-2")));

        assertThat(object(first).at("/spec/nodeName").asText()).isEqualTo("node-1");
        assertThat(object(first).at("/status/conditions/0/type").asText()).isEqualTo("PodScheduled");
        assertThat(object(first).at("/status/conditions/0/status").asText()).isEqualTo("True");
        assertThat(second.appends()).isFalse();
        assertThat(second.result().getCode()).isEqualTo(409);
        assertThat(second.result().getMessage()).contains("already assigned to node \"node-1\"");
    }

    @Test
    void dryRunAnswersButAppendsNothing() {
        createNamespaceAndPod();
        Command dryRun = Commands.builder(io.kronika.schemas.Operation.CREATE, ObjectKeys.ref("", "Pod", "ns", "q"), Commands.actor("u", "t"))
                .setObject(POD_JSON.replace("\"p\"", "\"q\"")).setDryRun(true).build();
        Decision decision = apply(dryRun);
        assertThat(decision.result().getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(decision.result().getRevision()).isNull();
        assertThat(decision.appends()).isFalse();
    }

    @Test
    void deleteWithoutFinalizersRemovesAtANewRevision() {
        createNamespaceAndPod();
        Decision deleted = apply(Commands.delete(POD, 2L, null, Commands.actor("u", "t")));
        assertThat(deleted.event().getType()).isEqualTo(EventType.DELETED);
        assertThat(deleted.event().getRevision()).isEqualTo(3);
        assertThat(deleted.event().getPreviousRevision()).isEqualTo(2);
        assertThat(store).doesNotContainKey(ObjectKeys.of(POD));
    }

    @Test
    void aBoundPodIsDeletedGracefullyThenForGoodByItsKubelet() throws Exception {
        Decision pod = createNamespaceAndPod();
        apply(Commands.bind(POD, pod.event().getUid(), "node-1", Commands.actor("scheduler", "scheduler")));

        Decision graceful = apply(Commands.builder(io.kronika.schemas.Operation.DELETE, POD, Commands.actor("u", "t"))
                .setGracePeriodSeconds(20L).build());
        assertThat(graceful.event().getType()).isEqualTo(EventType.MODIFIED);
        assertThat(object(graceful).at("/metadata/deletionGracePeriodSeconds").asLong()).isEqualTo(20);
        assertThat(object(graceful).at("/metadata/deletionTimestamp").asText())
                .isEqualTo(java.time.Instant.ofEpochMilli(T0 + 3000 + 20_000).toString());

        Decision again = apply(Commands.delete(POD, null, null, Commands.actor("u", "t")));
        assertThat(again.appends()).as("a longer grace period does not extend a running deletion").isFalse();

        Decision confirmed = apply(Commands.builder(io.kronika.schemas.Operation.DELETE, POD, Commands.actor("kubelet", "kubelet/node-1"))
                .setGracePeriodSeconds(0L).build());
        assertThat(confirmed.event().getType()).isEqualTo(EventType.DELETED);
    }

    @Test
    void aNamespaceTerminatesUntilItsSpecFinalizersAreGone() throws Exception {
        ObjectRef ns = ObjectKeys.ref("", "Namespace", "", "team");
        apply(Commands.create(ns, "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team\"},\"spec\":{\"finalizers\":[\"kubernetes\"]}}",
                Commands.actor("u", "t")));
        Decision terminating = apply(Commands.delete(ns, null, null, Commands.actor("u", "t")));
        assertThat(terminating.event().getType()).isEqualTo(EventType.MODIFIED);
        assertThat(object(terminating).at("/status/phase").asText()).isEqualTo("Terminating");
        assertThat(object(terminating).at("/metadata/deletionTimestamp").isMissingNode()).isFalse();

        Decision finalized = apply(Commands.update(ns, "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team\"},\"spec\":{\"finalizers\":[]}}",
                null, Commands.actor("namespace-controller", "controllers")));
        assertThat(finalized.event().getType()).isEqualTo(EventType.DELETED);
    }

    @Test
    void staleDeleteIsAConflict() {
        createNamespaceAndPod();
        apply(Commands.update(POD, POD_JSON.replace("busybox", "nginx"), null, Commands.actor("u", "test")));
        Decision stale = apply(Commands.delete(POD, 2L, null, Commands.actor("u", "t")));
        assertThat(stale.result().getReason()).isEqualTo("Conflict");
        assertThat(store).containsKey(ObjectKeys.of(POD));
    }
}
