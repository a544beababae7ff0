package io.kronika.launcher.bench;

import io.kronika.schemas.Actor;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.registry.SchemaRegistry;
import io.kronika.schemas.serde.KronikaSerdes;
import io.kronika.replay.Progress;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A valid cluster history written straight to the events topic (no admission processor: it would take hours at
 * a million commands on this machine): nodes, then pods that are created, bound, updated by their kubelet and
 * deleted, around a steady population, in ten namespaces, by a handful of users and components. Revisions are
 * dense from 1, every MODIFIED and DELETED names the revision it replaces, and time moves 10 ms per event.
 */
final class SyntheticHistory {
    static final int NAMESPACES = 10;
    static final int NODES = 100;
    static final String[] USERS = {"alice", "bob", "carol", "ci-bot"};

    private record Live(ObjectRef ref, String uid, long revision, boolean bound, int phase) {
    }

    private SyntheticHistory() {
    }

    /** Writes {@code count} events; returns the first event's timestamp. */
    static Instant write(String bootstrap, String eventsTopic, SchemaRegistry registry, long count, int livePods, Progress progress) {
        Random random = new Random(42);
        Instant start = Instant.now().minusMillis(count * 10);
        List<Live> live = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, ObjectEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                new StringSerializer(), KronikaSerdes.avro(ObjectEvent.class, registry).serializer())) {
            long podSeq = 0;
            for (long revision = 1; revision <= count; revision++) {
                if (failure.get() != null) {
                    throw new IllegalStateException("writing the synthetic history failed", failure.get());
                }
                Instant at = start.plusMillis(revision * 10);
                ObjectEvent event;
                if (revision <= NODES) {
                    event = node(revision, at);
                } else {
                    int action = random.nextInt(100);
                    if (live.size() < livePods && action < 60 || live.isEmpty() || action < 12) {
                        String ns = "ns-" + random.nextInt(NAMESPACES);
                        ObjectRef ref = ObjectKeys.ref("", "Pod", ns, "pod-" + podSeq++);
                        String uid = "00000000-0000-4000-8000-" + String.format("%012d", revision);
                        event = pod(revision, EventType.ADDED, Operation.CREATE, ref, uid, null, "", "Pending", at, user(random));
                        live.add(new Live(ref, uid, revision, false, 0));
                    } else {
                        int i = random.nextInt(live.size());
                        Live p = live.get(i);
                        if (action < 24) {
                            event = pod(revision, EventType.DELETED, Operation.DELETE, p.ref(), p.uid(), p.revision(),
                                    p.bound() ? "node-" + (p.uid().hashCode() & 0x7fffffff) % NODES : "", "Running", at, user(random));
                            live.set(i, live.get(live.size() - 1));
                            live.remove(live.size() - 1);
                        } else if (!p.bound()) {
                            event = pod(revision, EventType.MODIFIED, Operation.BIND, p.ref(), p.uid(), p.revision(),
                                    "node-" + (p.uid().hashCode() & 0x7fffffff) % NODES, "Pending", at,
                                    new Actor("system:kube-scheduler", List.of(), "scheduler"));
                            live.set(i, new Live(p.ref(), p.uid(), revision, true, 0));
                        } else {
                            String node = "node-" + (p.uid().hashCode() & 0x7fffffff) % NODES;
                            event = pod(revision, EventType.MODIFIED, Operation.UPDATE_STATUS, p.ref(), p.uid(), p.revision(), node,
                                    p.phase() % 2 == 0 ? "Running" : "Pending", at, new Actor("system:node:" + node, List.of(), "kubelet"));
                            live.set(i, new Live(p.ref(), p.uid(), revision, true, p.phase() + 1));
                        }
                    }
                }
                producer.send(new ProducerRecord<>(eventsTopic, null, at.toEpochMilli(), ObjectKeys.of(event.getRef()), event), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                if (revision % 1000 == 0) {
                    progress.update(revision, count);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("writing the synthetic history failed", failure.get());
        }
        progress.done(count);
        return start;
    }

    private static Actor user(Random random) {
        return new Actor(USERS[random.nextInt(USERS.length)], List.of("devs"), "api-gateway");
    }

    private static ObjectEvent node(long revision, Instant at) {
        String name = "node-" + (revision - 1);
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"uid\":\"node-uid-" + revision
                + "\",\"resourceVersion\":\"" + revision + "\",\"creationTimestamp\":\"" + at + "\",\"labels\":{\"kubernetes.io/hostname\":\""
                + name + "\"}},\"status\":{\"allocatable\":{\"cpu\":\"16\",\"memory\":\"64Gi\",\"pods\":\"110\"},"
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
        return event(revision, EventType.ADDED, Operation.CREATE, ObjectKeys.ref("", "Node", "", name), "node-uid-" + revision, json, null, at,
                new Actor("system:node:" + name, List.of(), "kubelet"));
    }

    private static ObjectEvent pod(long revision, EventType type, Operation op, ObjectRef ref, String uid, Long previous, String node,
                                   String phase, Instant at, Actor actor) {
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + ref.getName() + "\",\"namespace\":\""
                + ref.getNamespace() + "\",\"uid\":\"" + uid + "\",\"resourceVersion\":\"" + revision + "\",\"labels\":{\"app\":\"web\","
                + "\"tier\":\"frontend\"}},\"spec\":{" + (node.isEmpty() ? "" : "\"nodeName\":\"" + node + "\",")
                + "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}],"
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}],\"restartPolicy\":\"Always\"},"
                + "\"status\":{\"phase\":\"" + phase + "\"}}";
        return event(revision, type, op, ref, uid, json, previous, at, actor);
    }

    private static ObjectEvent event(long revision, EventType type, Operation op, ObjectRef ref, String uid, String json, Long previous,
                                     Instant at, Actor actor) {
        return ObjectEvent.newBuilder().setRevision(revision).setType(type).setRef(ref).setUid(uid).setObject(json)
                .setPreviousRevision(previous).setOperation(op).setCommandId("bench-" + revision).setActor(actor)
                .setCause(null).setTimestamp(at).build();
    }
}
