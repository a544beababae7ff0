package io.kronika.projections.fold;

import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each event into the stores. Deterministic (everything comes from the event and the stores) and idempotent:
 * an event whose revision is not above what its key already has was folded before (at-least-once redelivery) and
 * changes nothing, so the fold can run at_least_once and still equal a fresh fold of the log.
 */
final class EventFoldProcessor implements Processor<String, ObjectEvent, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(EventFoldProcessor.class);
    private static final String POD_PREFIX = ObjectKeys.kindPrefix("", "Pod");

    private final AppliedRevision applied;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, ObjectVersion> objects;
    private KeyValueStore<String, ObjectVersion> specs;
    private KeyValueStore<String, ObjectVersion> statuses;
    private KeyValueStore<String, ObjectVersion> history;
    private KeyValueStore<String, KeyLifetimes> lifetimes;
    private KeyValueStore<String, String> podsByNode;
    private KeyValueStore<String, String> nodeOfPod;
    private KeyValueStore<Long, Long> revisionOffsets;
    private KeyValueStore<String, Long> meta;

    EventFoldProcessor(AppliedRevision applied) {
        this.applied = applied;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        objects = context.getStateStore(ProjectionStores.OBJECTS);
        specs = context.getStateStore(ProjectionStores.SPECS);
        statuses = context.getStateStore(ProjectionStores.STATUSES);
        history = context.getStateStore(ProjectionStores.HISTORY);
        lifetimes = context.getStateStore(ProjectionStores.LIFETIMES);
        podsByNode = context.getStateStore(ProjectionStores.PODS_BY_NODE);
        nodeOfPod = context.getStateStore(ProjectionStores.NODE_OF_POD);
        revisionOffsets = context.getStateStore(ProjectionStores.REVISION_OFFSETS);
        meta = context.getStateStore(ProjectionStores.META);
        Long persisted = meta.get(ProjectionStores.APPLIED_REVISION);
        applied.advance(persisted == null ? 0 : persisted);
    }

    @Override
    public void process(Record<String, ObjectEvent> record) {
        ObjectEvent event = record.value();
        if (event == null) {
            return;
        }
        long revision = event.getRevision();
        String key = ObjectKeys.of(event.getRef());
        ObjectVersion current = objects.get(key);
        if (current == null || current.revision() < revision) {
            recordLifetime(key, current, event);
            fold(key, event);
        }
        context.recordMetadata().map(RecordMetadata::offset).ifPresent(offset -> revisionOffsets.put(revision, offset));
        markApplied(revision);
    }

    private void fold(String key, ObjectEvent event) {
        ObjectVersion version = ObjectVersion.of(event);
        history.put(HistoryKeys.of(key, event.getRevision()), version);
        if (event.getType() == EventType.DELETED) {
            objects.put(key, ObjectVersion.tombstone(event));
            specs.delete(key);
            statuses.delete(key);
            if (key.startsWith(POD_PREFIX)) {
                indexPod(key, null);
            }
            return;
        }
        ObjectParts parts = split(event);
        // Every event carries the whole object, so the joined view is the event's object as written to the log.
        objects.put(key, version);
        specs.put(key, version.withJson(parts.spec()));
        if (parts.status() == null) {
            statuses.delete(key);
        } else {
            statuses.put(key, version.withJson(parts.status()));
        }
        if (key.startsWith(POD_PREFIX)) {
            indexPod(key, parts.nodeName());
        }
    }

    /** Only a creation or a deletion changes when the key existed; the current entry tells which this is. */
    private void recordLifetime(String key, ObjectVersion current, ObjectEvent event) {
        boolean existed = current != null && !current.deleted();
        boolean deleted = event.getType() == EventType.DELETED;
        if (existed == deleted) {
            KeyLifetimes before = lifetimes.get(key);
            lifetimes.put(key, (before == null ? KeyLifetimes.never() : before).after(event.getRevision(), deleted));
        }
    }

    private static ObjectParts split(ObjectEvent event) {
        try {
            return ObjectParts.split(event.getObject());
        } catch (IllegalArgumentException e) {
            // Admission never writes such an object; stopping every reader of the cluster for one would be worse.
            LOG.error("Event {} carries an object that is not a JSON object; its spec view is the raw text", event.getRevision(), e);
            return new ObjectParts(event.getObject(), null, null);
        }
    }

    private void indexPod(String podKey, String node) {
        String previous = nodeOfPod.get(podKey);
        if (previous != null && !previous.equals(node)) {
            podsByNode.delete(NodeIndexKeys.of(previous, podKey));
        }
        if (node == null) {
            nodeOfPod.delete(podKey);
        } else if (!node.equals(previous)) {
            podsByNode.put(NodeIndexKeys.of(node, podKey), podKey);
            nodeOfPod.put(podKey, node);
        }
    }

    private void markApplied(long revision) {
        long before = applied.get();
        if (revision <= before) {
            return;
        }
        if (revision != before + 1 && before != 0) {
            LOG.warn("Revisions jump from {} to {}: the events topic is not dense here", before, revision);
        }
        meta.put(ProjectionStores.APPLIED_REVISION, revision);
        applied.advance(revision);
    }
}
