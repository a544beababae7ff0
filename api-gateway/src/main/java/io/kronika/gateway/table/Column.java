package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.function.BiFunction;

/**
 * One column of a Table: its TableColumnDefinition (name, type, format, description, priority: 0 shown by
 * default, 1 with {@code -o wide}) and how a cell is computed from an object at a moment.
 */
public record Column(String name, String type, String format, String description, int priority,
                     BiFunction<JsonNode, Instant, Object> cell) {

    public static Column name(String description) {
        return new Column("Name", "string", "name", description, 0, (o, now) -> o.path("metadata").path("name").asText(""));
    }

    public static Column age() {
        return new Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.",
                0, (o, now) -> Cells.age(o.path("metadata").path("creationTimestamp"), now));
    }

    public static Column text(String name, String description, java.util.function.Function<JsonNode, Object> cell) {
        return new Column(name, "string", "", description, 0, (o, now) -> cell.apply(o));
    }

    public static Column number(String name, String description, java.util.function.Function<JsonNode, Object> cell) {
        return new Column(name, "integer", "", description, 0, (o, now) -> cell.apply(o));
    }

    /** The same column shown only with {@code -o wide}. */
    public Column wide() {
        return new Column(name, type, format, description, 1, cell);
    }
}
