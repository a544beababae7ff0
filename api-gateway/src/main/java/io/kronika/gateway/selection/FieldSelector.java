package io.kronika.gateway.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.catalog.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field selector: {@code field=value}, {@code field==value}, {@code field!=value}, joined by commas. Every
 * resource supports metadata.name and metadata.namespace; some built-in kinds support more fields, as in
 * Kubernetes (pods: spec.nodeName, status.phase, …).
 */
public final class FieldSelector {
    public record Term(String field, boolean equals, String value) {
    }

    private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
    private static final Map<String, Set<String>> BY_KIND = Map.of(
            "Pod", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "Event", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                    "reportingComponent", "source", "type"),
            "Secret", Set.of("type"),
            "Namespace", Set.of("status.phase"),
            "Node", Set.of("spec.unschedulable"),
            "ReplicationController", Set.of("status.replicas"),
            "ReplicaSet", Set.of("status.replicas"),
            "Job", Set.of("status.successful"));
    /** Fields whose absence reads as a value other than "" (Kubernetes renders the Go zero value). */
    private static final Map<String, String> ZERO_VALUES = Map.of(
            "spec.hostNetwork", "false", "spec.unschedulable", "false", "status.replicas", "0", "status.successful", "0");

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /** Parses and checks the fields against {@code type}; 400 BadRequest for syntax or an unsupported field. */
    public static FieldSelector parse(String text, ResourceType type) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : splitUnescaped(text, ',')) {
            if (part.isBlank()) {
                continue;
            }
            Term term = term(part.trim());
            if (!COMMON.contains(term.field()) && (type.custom() || !BY_KIND.getOrDefault(type.kind(), Set.of()).contains(term.field()))) {
                throw ApiException.badRequest("field label not supported: " + term.field());
            }
            terms.add(term);
        }
        return new FieldSelector(terms);
    }

    private static Term term(String text) {
        for (String operator : new String[]{"!=", "==", "="}) {
            int at = indexUnescaped(text, operator);
            if (at >= 0) {
                return new Term(unescape(text.substring(0, at).trim()), !operator.equals("!="),
                        unescape(text.substring(at + operator.length()).trim()));
            }
        }
        throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + text + "'");
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public List<Term> terms() {
        return terms;
    }

    /** The value the selector requires for {@code field} with "=", if it requires one. */
    public String required(String field) {
        for (Term term : terms) {
            if (term.field().equals(field) && term.equals()) {
                return term.value();
            }
        }
        return null;
    }

    /** Whether only metadata fields are used (no need to read the object's body). */
    public boolean metadataOnly() {
        return terms.stream().allMatch(t -> COMMON.contains(t.field()));
    }

    public boolean matches(String namespace, String name, JsonNode object) {
        for (Term term : terms) {
            String actual = switch (term.field()) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                default -> value(object, term.field());
            };
            if (actual.equals(term.value()) != term.equals()) {
                return false;
            }
        }
        return true;
    }

    private static String value(JsonNode object, String field) {
        JsonNode node = object;
        String path = field.equals("source") ? "source.component" : field;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node == null || node.isNull()) {
            return ZERO_VALUES.getOrDefault(field, "");
        }
        return node.asText();
    }

    private static List<String> splitUnescaped(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static int indexUnescaped(String text, String operator) {
        for (int i = 0; i + operator.length() <= text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (text.startsWith(operator, i)) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
