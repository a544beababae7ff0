package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath that additionalPrinterColumns use: {@code .a.b}, {@code .a[0]}, {@code .a[*].b} and filters
 * {@code .a[?(@.type=="Ready")].status}; the results are the matching nodes in document order.
 */
final class SimpleJsonPath {
    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+|\\*)]|\\[\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

    private SimpleJsonPath() {
    }

    static List<JsonNode> evaluate(JsonNode root, String path) {
        String text = path.trim();
        if (text.startsWith("{") && text.endsWith("}")) {
            text = text.substring(1, text.length() - 1).trim();
        }
        if (text.startsWith("$")) {
            text = text.substring(1);
        }
        List<JsonNode> current = new ArrayList<>(List.of(root));
        Matcher m = STEP.matcher(text);
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                if (m.group(1) != null) {
                    JsonNode child = node.get(m.group(1));
                    if (child != null && !child.isNull()) {
                        next.add(child);
                    }
                } else if (m.group(2) != null) {
                    if (m.group(2).equals("*")) {
                        node.forEach(next::add);
                    } else if (node.isArray() && node.has(Integer.parseInt(m.group(2)))) {
                        next.add(node.get(Integer.parseInt(m.group(2))));
                    }
                } else {
                    for (JsonNode item : node) {
                        JsonNode field = item;
                        for (String part : m.group(3).split("\\.")) {
                            field = field.path(part);
                        }
                        if (field.isValueNode() && field.asText().equals(m.group(4))) {
                            next.add(item);
                        }
                    }
                }
            }
            current = next;
            at = m.end();
        }
        return at == text.length() ? current : List.of();
    }
}
