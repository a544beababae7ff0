package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Objects as a meta.k8s.io Table: the kind's column definitions, one row of cells per object, and the object as
 * {@code includeObject} asks (None, Metadata as PartialObjectMetadata — the default — or Object).
 */
public final class TableRenderer {
    private final Function<ResourceType, JsonNode> crdVersion;

    /** {@code crdVersion}: the CRD's {@code spec.versions[]} entry of a custom resource type, or null. */
    public TableRenderer(Function<ResourceType, JsonNode> crdVersion) {
        this.crdVersion = crdVersion;
    }

    public List<Column> columns(ResourceType type) {
        return type.custom() ? CustomColumns.of(crdVersion.apply(type)) : Printers.builtin(type.group(), type.kind());
    }

    /** A Table of {@code objects}; {@code continueToken} may be null. */
    public ObjectNode table(ResourceType type, String apiVersion, List<ObjectNode> objects, String resourceVersion, String continueToken,
                            String includeObject) {
        String include = includeObject == null ? "Metadata" : includeObject;
        if (!include.equals("None") && !include.equals("Metadata") && !include.equals("Object")) {
            throw ApiException.badRequest("includeObject: Unsupported value: \"" + include + "\": supported values: \"Metadata\", \"None\", \"Object\"");
        }
        List<Column> columns = columns(type);
        ObjectNode table = Json.newObject();
        table.put("kind", "Table");
        table.put("apiVersion", apiVersion);
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null) {
            metadata.put("continue", continueToken);
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column column : columns) {
            definitions.addObject().put("name", column.name()).put("type", column.type()).put("format", column.format())
                    .put("description", column.description()).put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        Instant now = Instant.now();
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column column : columns) {
                cells.add(Json.MAPPER.valueToTree(column.cell().apply(object, now)));
            }
            switch (include) {
                case "Object" -> row.set("object", object);
                case "Metadata" -> {
                    ObjectNode partial = row.putObject("object");
                    partial.put("kind", "PartialObjectMetadata");
                    partial.put("apiVersion", "meta.k8s.io/v1");
                    partial.set("metadata", object.path("metadata"));
                }
                default -> {
                }
            }
        }
        return table;
    }
}
