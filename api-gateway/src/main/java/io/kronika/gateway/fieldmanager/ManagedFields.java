package io.kronika.gateway.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** metadata.managedFields: one entry per manager, operation (Apply or Update), and subresource. */
final class ManagedFields {
    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    static final class Entry {
        final String manager;
        final String operation;
        String apiVersion;
        String time;
        final String subresource;
        FieldSet fields;

        Entry(String manager, String operation, String apiVersion, String time, String subresource, FieldSet fields) {
            this.manager = manager;
            this.operation = operation;
            this.apiVersion = apiVersion;
            this.time = time;
            this.subresource = subresource == null ? "" : subresource;
            this.fields = fields;
        }

        boolean sameOwner(String otherManager, String otherOperation, String otherSubresource) {
            return manager.equals(otherManager) && operation.equals(otherOperation)
                    && subresource.equals(otherSubresource == null ? "" : otherSubresource);
        }
    }

    private ManagedFields() {
    }

    static List<Entry> read(JsonNode object) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            entries.add(new Entry(entry.path("manager").asText(""), entry.path("operation").asText(UPDATE),
                    entry.path("apiVersion").asText(""), entry.path("time").asText(null), entry.path("subresource").asText(""),
                    FieldSet.fromFieldsV1(entry.get("fieldsV1"))));
        }
        return entries;
    }

    /** Writes {@code entries} (those that still own something) into {@code object}'s metadata. */
    static void write(ObjectNode object, List<Entry> entries) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Entry entry : entries) {
            if (entry.fields.isEmpty()) {
                continue;
            }
            ObjectNode node = array.addObject();
            node.put("manager", entry.manager);
            node.put("operation", entry.operation);
            node.put("apiVersion", entry.apiVersion);
            if (entry.time != null) {
                node.put("time", entry.time);
            }
            node.put("fieldsType", "FieldsV1");
            node.set("fieldsV1", entry.fields.toFieldsV1());
            if (!entry.subresource.isEmpty()) {
                node.put("subresource", entry.subresource);
            }
        }
        ObjectNode metadata = Json.metadata(object);
        if (array.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            metadata.set("managedFields", array);
        }
    }

    static Entry find(List<Entry> entries, String manager, String operation, String subresource) {
        for (Entry entry : entries) {
            if (entry.sameOwner(manager, operation, subresource)) {
                return entry;
            }
        }
        return null;
    }

    static Entry findOrAdd(List<Entry> entries, String manager, String operation, String apiVersion, String subresource) {
        Entry entry = find(entries, manager, operation, subresource);
        if (entry == null) {
            entry = new Entry(manager, operation, apiVersion, null, subresource, new FieldSet());
            entries.add(entry);
        }
        if (!Objects.equals(entry.apiVersion, apiVersion)) {
            entry.apiVersion = apiVersion;
        }
        return entry;
    }
}
