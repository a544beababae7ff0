package io.kronika.eventstore.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The admission rules as one pure function: a command and the current state in, a {@link Decision} out.
 * No clock, no randomness: the time is the command record's, uids and generated names derive from the command id.
 */
public final class AdmissionDecider {
    /** Largest object accepted, as etcd's default request limit (1.5 MiB). */
    public static final int MAX_OBJECT_BYTES = 1536 * 1024;
    private static final String NAMESPACE_KIND = "Namespace";
    private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int GENERATE_NAME_ATTEMPTS = 16;

    /** Read access to the current object of every key. */
    @FunctionalInterface
    public interface CurrentState {
        /** The event that produced the current state of {@code key}, or null when there is no such object. */
        ObjectEvent get(String key);

        /** The current objects whose keys start with {@code prefix}, in key order (none where the state cannot list). */
        default java.util.List<ObjectEvent> scan(String prefix) {
            return java.util.List.of();
        }
    }

    private AdmissionDecider() {
    }

    public static Decision decide(Command command, CurrentState state, long nextRevision, long timestamp) {
        try {
            if (command.getObject() != null && command.getObject().getBytes(StandardCharsets.UTF_8).length > MAX_OBJECT_BYTES) {
                throw new InvalidObjectException(413, "RequestEntityTooLarge",
                        "Request entity too large: the object is larger than the limit of " + MAX_OBJECT_BYTES + " bytes");
            }
            checkRef(command.getTarget(), command.getOperation() == io.kronika.schemas.Operation.CREATE);
            return switch (command.getOperation()) {
                case CREATE -> create(command, state, nextRevision, timestamp);
                case UPDATE -> update(command, state, nextRevision, timestamp, false);
                case UPDATE_STATUS -> update(command, state, nextRevision, timestamp, true);
                case DELETE -> delete(command, state, nextRevision, timestamp);
                case BIND -> bind(command, state, nextRevision, timestamp);
                case IMPORT -> importEvent(command, state, nextRevision, timestamp);
                case UNKNOWN -> throw new InvalidObjectException(400, "BadRequest",
                        "unknown operation: this admission processor understands CREATE, UPDATE, UPDATE_STATUS, DELETE, BIND and IMPORT");
            };
        } catch (InvalidObjectException e) {
            return reject(command, timestamp, e.code(), e.reason(), e.getMessage());
        }
    }

    /**
     * IMPORT: appends an event of an exported log unchanged (revision, uid, object, actor, time), so the imported
     * cluster has the same history and resourceVersions. Accepted only as the log's next revision and only when it
     * continues the object's own history, so imports go into a log that holds nothing but the earlier imported
     * events (docs/decisions/007-snapshots-and-import.md); the state stores are seeded as by any other event.
     */
    private static Decision importEvent(Command command, CurrentState state, long nextRevision, long timestamp) {
        ObjectEvent event = command.getImportedEvent();
        if (event == null) {
            throw new InvalidObjectException(400, "BadRequest", "importedEvent: Required value: an IMPORT carries the event to append");
        }
        String key = ObjectKeys.of(event.getRef());
        if (!key.equals(ObjectKeys.of(command.getTarget()))) {
            throw new InvalidObjectException(400, "BadRequest", "target: Invalid value: \"" + ObjectKeys.of(command.getTarget())
                    + "\": the imported event is of " + key);
        }
        if (event.getRevision() != nextRevision) {
            throw new InvalidObjectException(409, "Conflict", "cannot import the event at revision " + event.getRevision()
                    + ": this log's next revision is " + nextRevision + " (import only into a fresh cluster, in revision order)");
        }
        ObjectEvent current = state.get(key);
        String problem = switch (event.getType()) {
            case ADDED -> current == null ? null : "it exists since revision " + current.getRevision();
            case MODIFIED, DELETED -> current == null ? "it does not exist"
                    : !current.getUid().equals(event.getUid()) ? "its uid is " + current.getUid() + ", the event's " + event.getUid()
                    : event.getPreviousRevision() != null && event.getPreviousRevision() != current.getRevision()
                    ? "its current revision is " + current.getRevision() + ", the event replaces " + event.getPreviousRevision() : null;
        };
        if (problem != null) {
            throw new InvalidObjectException(409, "Conflict", "cannot import " + event.getType() + " of " + key + " at revision "
                    + event.getRevision() + ": " + problem);
        }
        CommandResult result = result(command, event.getRef(), timestamp, Outcome.ACCEPTED, 200, "", "", event.getRevision(),
                null, event.getType());
        return new Decision(result, event, key);
    }

    private static void checkRef(ObjectRef ref, boolean creating) {
        if (ref.getKind() == null || ref.getKind().isEmpty()) {
            throw new InvalidObjectException(400, "BadRequest", "target.kind: Required value");
        }
        if (!ref.getNamespace().isEmpty()) {
            String problem = ResourceNames.namespaceProblem(ref.getNamespace());
            if (problem != null) {
                throw invalid(ref, "metadata.namespace", ref.getNamespace(), problem);
            }
        }
        if (!creating && ref.getName().isEmpty()) {
            throw new InvalidObjectException(400, "BadRequest", "target.name: Required value: name is required");
        }
    }

    // ---- CREATE ----

    private static Decision create(Command command, CurrentState state, long revision, long timestamp) {
        ObjectRef ref = command.getTarget();
        ObjectNode object = ObjectJson.parse(command.getObject());
        ObjectNode metadata = ObjectJson.metadata(object);
        checkKind(object, ref);
        checkNamespaceField(metadata, ref);

        String name = ObjectJson.text(metadata, "name");
        if (name == null || name.isEmpty()) {
            name = ref.getName().isEmpty() ? null : ref.getName();
        } else if (!ref.getName().isEmpty() && !ref.getName().equals(name)) {
            throw new InvalidObjectException(400, "BadRequest",
                    "the name of the object (" + name + ") does not match the name on the URL (" + ref.getName() + ")");
        }
        String generateName = ObjectJson.text(metadata, "generateName");
        if (name == null) {
            if (generateName == null || generateName.isEmpty()) {
                throw invalid(ref, "metadata.name", "", "Required value: name or generateName is required");
            }
            name = generateUnusedName(ref, generateName, command.getCommandId(), state);
        }
        String problem = ResourceNames.nameProblem(ref.getGroup(), name);
        if (problem != null) {
            throw invalid(ref, "metadata.name", name, problem);
        }
        ObjectRef named = ObjectKeys.ref(ref.getGroup(), ref.getKind(), ref.getNamespace(), name);
        String key = ObjectKeys.of(named);
        if (state.get(key) != null) {
            return reject(command, named, timestamp, 409, "AlreadyExists",
                    resource(named) + " \"" + name + "\" already exists");
        }
        checkNamespaceAcceptsObjects(named, state);
        NamespacePolicies.admitCreate(named, object, state, timestamp);

        String uid = UUID.nameUUIDFromBytes(("uid:" + command.getCommandId()).getBytes(StandardCharsets.UTF_8)).toString();
        metadata.put("name", name);
        if (!ref.getNamespace().isEmpty()) {
            metadata.put("namespace", ref.getNamespace());
        }
        metadata.put("uid", uid);
        metadata.put("resourceVersion", String.valueOf(revision));
        metadata.put("generation", 1);
        metadata.put("creationTimestamp", ObjectJson.timestamp(timestamp));
        metadata.remove("deletionTimestamp");
        metadata.remove("deletionGracePeriodSeconds");
        return accept(command, named, key, EventType.ADDED, uid, object, null, revision, timestamp);
    }

    private static String generateUnusedName(ObjectRef ref, String prefix, String commandId, CurrentState state) {
        for (int attempt = 0; attempt < GENERATE_NAME_ATTEMPTS; attempt++) {
            String candidate = prefix + suffix(commandId, attempt);
            if (state.get(ObjectKeys.of(ref.getGroup(), ref.getKind(), ref.getNamespace(), candidate)) == null) {
                return candidate;
            }
        }
        throw new InvalidObjectException(409, "AlreadyExists",
                "could not find an unused name with generateName " + prefix + " after " + GENERATE_NAME_ATTEMPTS + " attempts");
    }

    /** Five characters from Kubernetes' generateName alphabet, derived from the command id. */
    private static String suffix(String commandId, int attempt) {
        UUID hash = UUID.nameUUIDFromBytes((commandId + "#" + attempt).getBytes(StandardCharsets.UTF_8));
        long bits = hash.getMostSignificantBits() ^ hash.getLeastSignificantBits();
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(GENERATE_NAME_ALPHABET.charAt((int) Long.remainderUnsigned(bits, GENERATE_NAME_ALPHABET.length())));
            bits = Long.divideUnsigned(bits, GENERATE_NAME_ALPHABET.length());
        }
        return sb.toString();
    }

    private static void checkNamespaceAcceptsObjects(ObjectRef ref, CurrentState state) {
        if (ref.getNamespace().isEmpty() || NAMESPACE_KIND.equals(ref.getKind()) && ref.getGroup().isEmpty()) {
            return;
        }
        ObjectEvent namespace = state.get(ObjectKeys.of("", NAMESPACE_KIND, "", ref.getNamespace()));
        if (namespace == null) {
            throw new InvalidObjectException(404, "NotFound", "namespaces \"" + ref.getNamespace() + "\" not found");
        }
        if (ObjectJson.isTerminating(ObjectJson.parse(namespace.getObject()))) {
            throw new InvalidObjectException(403, "Forbidden", resource(ref) + " \"" + ref.getName()
                    + "\" is forbidden: unable to create new content in namespace " + ref.getNamespace()
                    + " because it is being terminated");
        }
    }

    // ---- UPDATE and UPDATE_STATUS ----

    private static Decision update(Command command, CurrentState state, long revision, long timestamp, boolean statusOnly) {
        ObjectRef ref = command.getTarget();
        ObjectNode submitted = ObjectJson.parse(command.getObject());
        ObjectNode submittedMeta = ObjectJson.metadata(submitted);
        checkKind(submitted, ref);
        checkNamespaceField(submittedMeta, ref);
        String bodyName = ObjectJson.text(submittedMeta, "name");
        if (bodyName != null && !bodyName.equals(ref.getName())) {
            throw new InvalidObjectException(400, "BadRequest",
                    "the name of the object (" + bodyName + ") does not match the name on the URL (" + ref.getName() + ")");
        }
        String key = ObjectKeys.of(ref);
        ObjectEvent currentEvent = state.get(key);
        if (currentEvent == null) {
            throw notFound(ref);
        }
        ObjectNode current = ObjectJson.parse(currentEvent.getObject());
        Long expectedRevision = command.getExpectedResourceVersion();
        if (expectedRevision == null) {
            expectedRevision = bodyResourceVersion(ref, submittedMeta);
        }
        checkPreconditions(ref, currentEvent, expectedRevision, command.getExpectedUid());
        String bodyUid = ObjectJson.text(submittedMeta, "uid");
        if (bodyUid != null && !bodyUid.isEmpty() && !bodyUid.equals(currentEvent.getUid())) {
            throw conflictUid(ref, bodyUid, currentEvent.getUid());
        }

        ObjectNode next;
        if (statusOnly) {
            next = current.deepCopy();
            JsonNode status = submitted.get("status");
            if (status == null || status.isNull()) {
                next.remove("status");
            } else {
                next.set("status", status.deepCopy());
            }
        } else {
            next = submitted.deepCopy();
            if (command.getStatusSubresource()) {
                if (current.has("status")) {
                    next.set("status", current.get("status").deepCopy());
                } else {
                    next.remove("status");
                }
            }
            ObjectNode nextMeta = ObjectJson.metadata(next);
            ObjectNode currentMeta = ObjectJson.metadata(current);
            for (String immutable : new String[]{"name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                    "deletionGracePeriodSeconds", "generation"}) {
                copyField(currentMeta, nextMeta, immutable);
            }
            NamespacePolicies.admitUpdate(ref, next, current, state, timestamp);
            boolean desiredStateChanged = !ObjectJson.desiredState(current, command.getStatusSubresource())
                    .equals(ObjectJson.desiredState(next, command.getStatusSubresource()));
            if (desiredStateChanged) {
                nextMeta.put("generation", currentMeta.path("generation").asLong(1) + 1);
            }
        }
        ObjectJson.metadata(next).put("resourceVersion", String.valueOf(currentEvent.getRevision()));
        if (next.equals(current)) {
            // Nothing changed: Kubernetes keeps the resourceVersion and writes nothing.
            return new Decision(result(command, ref, timestamp, Outcome.ACCEPTED, 200, "", "",
                    currentEvent.getRevision(), currentEvent.getObject(), null), null, key);
        }
        if (ObjectJson.isTerminating(next) && !Finalizers.pending(ref, next)) {
            return deleteNow(command, ref, key, currentEvent, next, revision, timestamp);
        }
        ObjectJson.metadata(next).put("resourceVersion", String.valueOf(revision));
        return accept(command, ref, key, EventType.MODIFIED, currentEvent.getUid(), next, currentEvent.getRevision(), revision, timestamp);
    }

    private static void copyField(ObjectNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field).deepCopy());
        } else {
            to.remove(field);
        }
    }

    private static Long bodyResourceVersion(ObjectRef ref, ObjectNode metadata) {
        String rv = ObjectJson.text(metadata, "resourceVersion");
        if (rv == null || rv.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw invalid(ref, "metadata.resourceVersion", rv, "must be a resourceVersion this server issued");
        }
    }

    // ---- DELETE ----

    private static Decision delete(Command command, CurrentState state, long revision, long timestamp) {
        ObjectRef ref = command.getTarget();
        String key = ObjectKeys.of(ref);
        ObjectEvent currentEvent = state.get(key);
        if (currentEvent == null) {
            throw notFound(ref);
        }
        checkPreconditions(ref, currentEvent, command.getExpectedResourceVersion(), command.getExpectedUid());
        ObjectNode current = ObjectJson.parse(currentEvent.getObject());
        if (GracefulPodDeletion.applies(ref, current)) {
            Decision graceful = deleteGracefully(command, ref, key, currentEvent, current, revision, timestamp);
            if (graceful != null) {
                return graceful;
            }
        }
        if (!Finalizers.pending(ref, current)) {
            return deleteNow(command, ref, key, currentEvent, current.deepCopy(), revision, timestamp);
        }
        if (ObjectJson.isTerminating(current)) {
            return new Decision(result(command, ref, timestamp, Outcome.ACCEPTED, 202, "", "",
                    currentEvent.getRevision(), currentEvent.getObject(), null), null, key);
        }
        ObjectNode next = current.deepCopy();
        ObjectNode meta = ObjectJson.metadata(next);
        meta.put("deletionTimestamp", ObjectJson.timestamp(timestamp));
        meta.put("deletionGracePeriodSeconds", 0);
        meta.put("generation", meta.path("generation").asLong(1) + 1);
        meta.put("resourceVersion", String.valueOf(revision));
        Finalizers.markTerminating(ref, next);
        Decision decision = accept(command, ref, key, EventType.MODIFIED, currentEvent.getUid(), next, currentEvent.getRevision(), revision, timestamp);
        decision.result().setCode(202);
        return decision;
    }

    /**
     * A pod bound to a node is not removed at once: it gets a deletionTimestamp (now + grace period) and its kubelet
     * stops the containers, then deletes it with grace 0. Returns null when the deletion should proceed as usual.
     */
    private static Decision deleteGracefully(Command command, ObjectRef ref, String key, ObjectEvent currentEvent,
                                             ObjectNode current, long revision, long timestamp) {
        long grace = GracefulPodDeletion.gracePeriod(command.getGracePeriodSeconds(), current);
        ObjectNode meta = ObjectJson.metadata(current);
        boolean terminating = ObjectJson.isTerminating(current);
        if (grace == 0) {
            return null;
        }
        if (terminating && grace >= meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)) {
            return new Decision(result(command, ref, timestamp, Outcome.ACCEPTED, 200, "", "",
                    currentEvent.getRevision(), currentEvent.getObject(), null), null, key);
        }
        ObjectNode next = current.deepCopy();
        ObjectNode nextMeta = ObjectJson.metadata(next);
        nextMeta.put("deletionTimestamp", ObjectJson.timestamp(timestamp + grace * 1000));
        nextMeta.put("deletionGracePeriodSeconds", grace);
        if (!terminating) {
            nextMeta.put("generation", nextMeta.path("generation").asLong(1) + 1);
        }
        nextMeta.put("resourceVersion", String.valueOf(revision));
        return accept(command, ref, key, EventType.MODIFIED, currentEvent.getUid(), next, currentEvent.getRevision(), revision, timestamp);
    }

    private static Decision deleteNow(Command command, ObjectRef ref, String key, ObjectEvent currentEvent,
                                      ObjectNode lastState, long revision, long timestamp) {
        ObjectJson.metadata(lastState).put("resourceVersion", String.valueOf(revision));
        return accept(command, ref, key, EventType.DELETED, currentEvent.getUid(), lastState, currentEvent.getRevision(), revision, timestamp);
    }

    // ---- BIND ----

    private static Decision bind(Command command, CurrentState state, long revision, long timestamp) {
        ObjectRef ref = command.getTarget();
        String node = command.getBindNode();
        if (node == null || node.isEmpty()) {
            throw invalid(ref, "target.name", "", "Required value: a binding needs a node");
        }
        String key = ObjectKeys.of(ref);
        ObjectEvent currentEvent = state.get(key);
        if (currentEvent == null) {
            throw notFound(ref);
        }
        checkPreconditions(ref, currentEvent, command.getExpectedResourceVersion(), command.getExpectedUid());
        ObjectNode pod = ObjectJson.parse(currentEvent.getObject());
        if (ObjectJson.isTerminating(pod)) {
            throw new InvalidObjectException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \""
                    + ref.getName() + "\": pod " + ref.getName() + " is being deleted, cannot be assigned to a host");
        }
        ObjectNode spec = pod.with("spec");
        String assigned = ObjectJson.text(spec, "nodeName");
        if (assigned != null && !assigned.isEmpty()) {
            throw new InvalidObjectException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \""
                    + ref.getName() + "\": pod " + ref.getName() + " is already assigned to node \"" + assigned + "\"");
        }
        spec.put("nodeName", node);
        setPodScheduled(pod, timestamp);
        ObjectJson.metadata(pod).put("resourceVersion", String.valueOf(revision));
        Decision decision = accept(command, ref, key, EventType.MODIFIED, currentEvent.getUid(), pod, currentEvent.getRevision(), revision, timestamp);
        decision.result().setCode(201);
        return decision;
    }

    private static void setPodScheduled(ObjectNode pod, long timestamp) {
        ObjectNode status = pod.with("status");
        JsonNode existing = status.get("conditions");
        ArrayNode conditions = existing instanceof ArrayNode a ? a : status.putArray("conditions");
        ObjectNode scheduled = null;
        for (JsonNode condition : conditions) {
            if ("PodScheduled".equals(ObjectJson.text(condition, "type")) && condition instanceof ObjectNode c) {
                scheduled = c;
            }
        }
        if (scheduled == null) {
            scheduled = conditions.addObject();
            scheduled.put("type", "PodScheduled");
        }
        scheduled.put("status", "True");
        scheduled.putNull("lastProbeTime");
        scheduled.put("lastTransitionTime", ObjectJson.timestamp(timestamp));
        scheduled.remove("reason");
        scheduled.remove("message");
    }

    // ---- shared checks ----

    private static void checkKind(ObjectNode object, ObjectRef ref) {
        String kind = ObjectJson.text(object, "kind");
        if (kind != null && !kind.equals(ref.getKind())) {
            throw new InvalidObjectException(400, "BadRequest",
                    "kind: the object's kind " + kind + " does not match the target kind " + ref.getKind());
        }
    }

    private static void checkNamespaceField(ObjectNode metadata, ObjectRef ref) {
        String namespace = ObjectJson.text(metadata, "namespace");
        if (namespace != null && !namespace.isEmpty() && !namespace.equals(ref.getNamespace())) {
            throw new InvalidObjectException(400, "BadRequest", "the namespace of the object (" + namespace
                    + ") does not match the namespace on the request (" + ref.getNamespace() + ")");
        }
    }

    private static void checkPreconditions(ObjectRef ref, ObjectEvent current, Long expectedRevision, String expectedUid) {
        if (expectedUid != null && !expectedUid.isEmpty() && !expectedUid.equals(current.getUid())) {
            throw conflictUid(ref, expectedUid, current.getUid());
        }
        if (expectedRevision != null && expectedRevision != current.getRevision()) {
            throw new InvalidObjectException(409, "Conflict", "Operation cannot be fulfilled on " + resource(ref)
                    + " \"" + ref.getName() + "\": the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    private static InvalidObjectException conflictUid(ObjectRef ref, String expected, String actual) {
        return new InvalidObjectException(409, "Conflict", "Operation cannot be fulfilled on " + resource(ref) + " \""
                + ref.getName() + "\": Precondition failed: UID in precondition: " + expected + ", UID in object meta: " + actual);
    }

    private static InvalidObjectException notFound(ObjectRef ref) {
        return new InvalidObjectException(404, "NotFound", resource(ref) + " \"" + ref.getName() + "\" not found");
    }

    private static InvalidObjectException invalid(ObjectRef ref, String field, String value, String detail) {
        return new InvalidObjectException(422, "Invalid", ref.getKind() + " \"" + ref.getName() + "\" is invalid: "
                + field + ": Invalid value: \"" + value + "\": " + detail);
    }

    private static String resource(ObjectRef ref) {
        return ResourceNames.qualifiedResource(ref.getGroup(), ref.getKind());
    }

    // ---- results ----

    private static Decision accept(Command command, ObjectRef ref, String key, EventType type, String uid, ObjectNode object,
                                   Long previousRevision, long revision, long timestamp) {
        String json = ObjectJson.write(object);
        ObjectEvent event = ObjectEvent.newBuilder()
                .setRevision(revision)
                .setType(type)
                .setRef(ref)
                .setUid(uid)
                .setObject(json)
                .setPreviousRevision(previousRevision)
                .setOperation(command.getOperation())
                .setCommandId(command.getCommandId())
                .setActor(command.getActor())
                .setCause(command.getCause())
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .build();
        int code = type == EventType.ADDED ? 201 : 200;
        CommandResult result = result(command, ref, timestamp, Outcome.ACCEPTED, code, "", "", revision, json, type);
        if (command.getDryRun()) {
            result.setRevision(null);
            return new Decision(result, null, key);
        }
        return new Decision(result, event, key);
    }

    private static Decision reject(Command command, long timestamp, int code, String reason, String message) {
        return reject(command, command.getTarget(), timestamp, code, reason, message);
    }

    private static Decision reject(Command command, ObjectRef ref, long timestamp, int code, String reason, String message) {
        return new Decision(result(command, ref, timestamp, Outcome.REJECTED, code, reason, message, null, null, null),
                null, ObjectKeys.of(ref));
    }

    private static CommandResult result(Command command, ObjectRef ref, long timestamp, Outcome outcome, int code,
                                        String reason, String message, Long revision, String object, EventType type) {
        return CommandResult.newBuilder()
                .setCommandId(Objects.requireNonNullElse(command.getCommandId(), ""))
                .setOutcome(outcome)
                .setCode(code)
                .setReason(reason)
                .setMessage(message)
                .setRef(ref)
                .setRevision(revision)
                .setObject(object)
                .setEventType(type)
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .build();
    }
}
