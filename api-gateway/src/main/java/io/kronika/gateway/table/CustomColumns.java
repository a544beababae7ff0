package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a custom resource: Name, then the version's additionalPrinterColumns (an Age column on
 * metadata.creationTimestamp when it declares none), as kube-apiserver's CRD table convertor builds them.
 */
final class CustomColumns {
    private CustomColumns() {
    }

    static List<Column> of(JsonNode crdVersion) {
        List<Column> columns = new ArrayList<>();
        columns.add(Column.name("Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"));
        JsonNode declared = crdVersion == null ? null : crdVersion.get("additionalPrinterColumns");
        if (declared == null || declared.isEmpty()) {
            columns.add(new Column("Age", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.",
                    0, (o, now) -> Cells.age(o.path("metadata").path("creationTimestamp"), now)));
            return columns;
        }
        for (JsonNode column : declared) {
            String type = column.path("type").asText("string");
            String path = column.path("jsonPath").asText("");
            columns.add(new Column(column.path("name").asText(), type, column.path("format").asText(""),
                    column.path("description").asText(""), column.path("priority").asInt(0), (o, now) -> {
                List<JsonNode> found = SimpleJsonPath.evaluate(o, path);
                if (found.isEmpty()) {
                    return null;
                }
                JsonNode value = found.get(0);
                if (type.equals("date")) {
                    return Cells.age(value, now);
                }
                if (value.isContainerNode()) {
                    return value.toString();
                }
                return switch (type) {
                    case "integer" -> value.isNumber() ? value.asLong() : value.asText();
                    case "number" -> value.isNumber() ? value.numberValue() : value.asText();
                    case "boolean" -> value.isBoolean() ? value.asBoolean() : value.asText();
                    default -> value.asText();
                };
            }));
        }
        return columns;
    }
}
