package io.kronika.projections.testing;

import io.kronika.schemas.Actor;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;

import java.time.Instant;
import java.util.List;

/** Hand-made events for unit tests of the fold (integration tests get theirs from the admission processor). */
public final class TestEvents {
    private static final Actor ACTOR = new Actor("test-user", List.of(), "test");

    private TestEvents() {
    }

    public static ObjectEvent event(long revision, EventType type, ObjectRef ref, String uid, String json, Long previousRevision) {
        return ObjectEvent.newBuilder()
                .setRevision(revision)
                .setType(type)
                .setRef(ref)
                .setUid(uid)
                .setObject(json)
                .setPreviousRevision(previousRevision)
                .setOperation(type == EventType.DELETED ? Operation.DELETE : type == EventType.ADDED ? Operation.CREATE : Operation.UPDATE)
                .setCommandId("cmd-" + revision)
                .setActor(ACTOR)
                .setTimestamp(Instant.ofEpochSecond(1_700_000_000L + revision))
                .build();
    }

    public static ObjectRef configMap(String namespace, String name) {
        return ObjectKeys.ref("", "ConfigMap", namespace, name);
    }

    public static ObjectRef pod(String namespace, String name) {
        return ObjectKeys.ref("", "Pod", namespace, name);
    }

    public static String configMapJson(String namespace, String name, long revision, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace
                + "\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"" + revision + "\"},\"data\":{\"k\":\"" + value + "\"}}";
    }

    /** A pod, bound to {@code node} when it is not null, with a status phase. */
    public static String podJson(String namespace, String name, long revision, String node, String phase) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace
                + "\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"" + revision + "\"},\"spec\":{"
                + (node == null ? "" : "\"nodeName\":\"" + node + "\",")
                + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":{\"phase\":\"" + phase + "\"}}";
    }

    /** A pod as the API accepts it on create: no server-set metadata. */
    public static String newPodJson(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    }
}
