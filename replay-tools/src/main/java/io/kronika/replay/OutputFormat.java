package io.kronika.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/** {@code -o table|json|yaml}: tables for people, JSON and YAML for programs. */
public enum OutputFormat {
    TABLE, JSON, YAML;

    public static OutputFormat parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown output format '" + s + "': use table, json or yaml");
        }
    }

    public void write(PrintStream out, JsonNode document) {
        try {
            switch (this) {
                case JSON -> out.println(Jsons.PRETTY.writeValueAsString(document));
                case YAML -> out.print(Jsons.YAML.writeValueAsString(document));
                case TABLE -> throw new IllegalStateException("a table needs rows");
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints aligned columns, kubectl style. */
    public static void table(PrintStream out, List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < row.size() && i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i) == null ? 6 : row.get(i).length());
            }
        }
        out.println(line(headers, widths));
        rows.forEach(r -> out.println(line(r, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i) == null ? "<none>" : cells.get(i);
            b.append(c);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(widths[i] - c.length() + 3));
            }
        }
        return b.toString().stripTrailing();
    }
}
