package io.kronika.gateway.fieldmanager;

import io.kronika.gateway.api.JsonValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.catalog.ResourceType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field management as kube-apiserver does it (structured-merge-diff): every write records in metadata.managedFields
 * which manager set which fields. Updates take the fields they change from everyone else; server-side apply merges
 * the configuration into the live object, refuses with 409 to change fields another manager owns unless forced,
 * and removes the fields a manager applied before but no longer applies when nobody else owns them.
 */
public final class FieldManager {
    /** Fields nobody manages: type meta and the metadata the server owns. */
    private static final Set<String> STRIPPED_METADATA = Set.of("f:name", "f:namespace", "f:creationTimestamp", "f:selfLink", "f:uid",
            "f:generation", "f:managedFields", "f:resourceVersion", "f:deletionTimestamp", "f:deletionGracePeriodSeconds");

    private FieldManager() {
    }

    /**
     * Records a create, update or patch by {@code manager} into {@code updated}'s managedFields. The entries start
     * from those {@code updated} carries (a client sent them back), else from {@code live}'s; {@code live} is null
     * for a create; {@code subresource} is null for the main resource.
     */
    public static void recordUpdate(ResourceType type, String subresource, JsonNode live, ObjectNode updated, String manager, Instant now) {
        Schema schema = Schema.forType(type);
        List<ManagedFields.Entry> entries = ManagedFields.read(updated.path("metadata").has("managedFields") || live == null ? updated : live);
        FieldSet before = live == null ? new FieldSet() : scope(Paths.of(schema, live), type, subresource);
        FieldSet after = scope(Paths.of(schema, updated), type, subresource);
        FieldSet removed = before.difference(after);
        FieldSet modified = new FieldSet();
        for (List<String> path : after.intersection(before).paths()) {
            if (!isItem(path) && !JsonValues.same(Paths.at(live, path), Paths.at(updated, path))) {
                modified.add(path);
            }
        }
        FieldSet changed = after.difference(before).union(modified);
        ManagedFields.Entry mine = ManagedFields.find(entries, manager, ManagedFields.UPDATE, subresource);
        for (ManagedFields.Entry entry : entries) {
            if (entry != mine) {
                entry.fields = entry.fields.difference(modified).difference(removed);
            }
        }
        if (!changed.isEmpty() || mine != null) {
            mine = ManagedFields.findOrAdd(entries, manager, ManagedFields.UPDATE, type.apiVersion(), subresource);
            mine.fields = mine.fields.union(changed).difference(removed);
            if (!changed.isEmpty()) {
                mine.time = timestamp(now);
            }
        }
        ManagedFields.write(updated, entries);
    }

    /**
     * Server-side apply of {@code config} by {@code manager} to {@code live} (null when the object does not exist
     * yet): the object to store, with its managedFields. 409 Conflict naming the other managers of fields it would
     * change, unless {@code force}.
     */
    public static ObjectNode apply(ResourceType type, ObjectNode live, ObjectNode config, String manager, boolean force, String name,
                                   Instant now) {
        Schema schema = Schema.forType(type);
        ObjectNode applied = config.deepCopy();
        if (applied.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        if (type.statusSubresource()) {
            applied.remove("status");
        }
        Merge.alignKeys(schema, live, applied);
        FieldSet configured = scope(Paths.of(schema, applied), type, null);
        List<ManagedFields.Entry> entries = live == null ? new ArrayList<>() : ManagedFields.read(live);
        FieldSet changed = new FieldSet();
        for (List<String> path : configured.paths()) {
            JsonNode was = live == null ? null : Paths.at(live, path);
            if (isItem(path) ? was == null : !JsonValues.same(was, Paths.at(applied, path))) {
                changed.add(path);
            }
        }
        ManagedFields.Entry mine = ManagedFields.find(entries, manager, ManagedFields.APPLY, null);
        Map<ManagedFields.Entry, FieldSet> conflicts = new LinkedHashMap<>();
        for (ManagedFields.Entry entry : entries) {
            FieldSet overlap = entry == mine ? new FieldSet() : entry.fields.intersection(changed);
            if (!overlap.isEmpty()) {
                conflicts.put(entry, overlap);
            }
        }
        if (!conflicts.isEmpty()) {
            if (!force && !LastApplied.allowsConflicts(schema, live, manager, conflicts.values())) {
                throw conflict(type, name, conflicts);
            }
            conflicts.keySet().forEach(entry -> entry.fields = entry.fields.difference(changed));
        }
        FieldSet previous = mine == null ? new FieldSet() : mine.fields;
        ObjectNode merged = live == null ? applied : (ObjectNode) Merge.merge(schema, live, applied);
        FieldSet others = new FieldSet();
        for (ManagedFields.Entry entry : entries) {
            if (entry != mine) {
                others = others.union(entry.fields);
            }
        }
        List<List<String>> dropped = previous.difference(configured).paths();
        for (int i = dropped.size() - 1; i >= 0; i--) {
            if (!others.contains(dropped.get(i))) {
                Paths.remove(merged, dropped.get(i));
            }
        }
        mine = ManagedFields.findOrAdd(entries, manager, ManagedFields.APPLY, type.apiVersion(), null);
        mine.fields = configured;
        mine.time = timestamp(now);
        ManagedFields.write(merged, entries);
        LastApplied.update(merged, config, manager);
        return merged;
    }

    /** The manager of a non-apply write: the fieldManager parameter, else the client's User-Agent up to its first '/'. */
    public static String managerOf(String fieldManager, String userAgent) {
        if (fieldManager != null && !fieldManager.isEmpty()) {
            if (fieldManager.length() > 128) {
                throw ApiException.invalid("meta.k8s.io", "UpdateOptions", "", List.of(
                        FieldError.invalid("fieldManager", fieldManager, "must be no more than 128 characters")));
            }
            return fieldManager;
        }
        if (userAgent == null || userAgent.isEmpty()) {
            return "unknown";
        }
        String prefix = userAgent.split("/")[0];
        return prefix.length() > 128 ? prefix.substring(0, 128) : prefix;
    }

    private static boolean isItem(List<String> path) {
        String last = path.get(path.size() - 1);
        return last.startsWith("k:") || last.startsWith("v:");
    }


    /** Leaves out what nobody manages; the main resource of a kind with a status subresource leaves status out too. */
    private static FieldSet scope(FieldSet set, ResourceType type, String subresource) {
        FieldSet out = new FieldSet();
        for (List<String> path : set.paths()) {
            String first = path.get(0);
            if (first.equals("f:apiVersion") || first.equals("f:kind")) {
                continue;
            }
            if (first.equals("f:metadata") && (path.size() == 1 || STRIPPED_METADATA.contains(path.get(1)))) {
                continue;
            }
            boolean status = first.equals("f:status");
            if (type.statusSubresource() && ("status".equals(subresource) ? !status : status && subresource == null)) {
                continue;
            }
            out.add(path);
        }
        return out;
    }

    private static ApiException conflict(ResourceType type, String name, Map<ManagedFields.Entry, FieldSet> conflicts) {
        List<FieldError> causes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        int count = 0;
        for (Map.Entry<ManagedFields.Entry, FieldSet> conflict : conflicts.entrySet()) {
            ManagedFields.Entry entry = conflict.getKey();
            String with = "conflict with \"" + entry.manager + "\"" + (entry.operation.equals(ManagedFields.UPDATE) ? " using " + entry.apiVersion : "");
            List<String> fields = conflict.getValue().paths().stream().map(FieldSet::describe).toList();
            count += fields.size();
            fields.forEach(field -> causes.add(new FieldError("FieldManagerConflict", field, with)));
            parts.add(fields.size() == 1 ? with + ": " + fields.get(0)
                    : with.replaceFirst("^conflict", "conflicts") + ":\n- " + String.join("\n- ", fields));
        }
        String message = "Apply failed with " + count + " conflict" + (count == 1 ? "" : "s") + ": " + String.join("\n", parts);
        return new ApiException(409, "Conflict", message, causes, type.group(), type.plural(), name);
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
