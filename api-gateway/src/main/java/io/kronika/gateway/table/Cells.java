package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Helpers the printers share: ages, "<none>", joined lists, label selectors as strings. */
final class Cells {
    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";

    private Cells() {
    }

    /** A timestamp as the age kubectl shows (HumanDuration), "<unknown>" when absent. */
    static String age(JsonNode timestamp, Instant now) {
        if (timestamp == null || !timestamp.isTextual()) {
            return UNKNOWN;
        }
        try {
            return HumanDuration.format(Duration.between(Instant.parse(timestamp.asText()), now));
        } catch (DateTimeParseException e) {
            return UNKNOWN;
        }
    }

    static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? "" : node.asText("");
    }

    static long number(JsonNode node) {
        return node == null || !node.isNumber() ? 0 : node.asLong();
    }

    /** Values of {@code field} in each element of {@code array}, joined with commas ("<none>" when empty). */
    static String join(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            String value = field == null ? item.asText("") : item.path(field).asText("");
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values.isEmpty() ? NONE : String.join(",", values);
    }

    /** A metav1.LabelSelector as kubectl prints it ({@code app=web,tier in (a,b)}), "<none>" when empty. */
    static String selector(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return NONE;
        }
        List<String> parts = new ArrayList<>();
        Map<String, String> labels = new TreeMap<>();
        selector.path("matchLabels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.forEach((k, v) -> parts.add(k + "=" + v));
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            switch (expression.path("operator").asText()) {
                case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> parts.add(key);
                case "DoesNotExist" -> parts.add("!" + key);
                default -> {
                }
            }
        }
        return parts.isEmpty() ? NONE : String.join(",", parts);
    }

    /** A plain label map as a selector string (services, replication controllers). */
    static String labels(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        if (map != null) {
            map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        }
        if (sorted.isEmpty()) {
            return NONE;
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    static String containerNames(JsonNode podSpec) {
        return join(podSpec.path("containers"), "name");
    }

    static String containerImages(JsonNode podSpec) {
        return join(podSpec.path("containers"), "image");
    }
}
