package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders values the way Kubernetes' Go code prints them in messages, so that Kronika's errors read like
 * kube-apiserver's: {@code %q} for strings, {@code %v} for decoded JSON ({@code map[k:v]}, {@code [a b]}).
 */
public final class GoFormat {
    private GoFormat() {
    }

    /** Go's {@code %q}: a double-quoted string with Go escapes. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case 7 -> sb.append("\\a");
                case 8 -> sb.append("\\b");
                case 12 -> sb.append("\\f");
                case 11 -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (!isPrintable(cp)) {
                        sb.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.SURROGATE && type != Character.PRIVATE_USE
                && (type != Character.SPACE_SEPARATOR || cp == ' ') && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }

    /** Go's {@code %v} of a value decoded from JSON into {@code interface{}} (ints preserved as int64). */
    public static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "<nil>";
        }
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(String::compareTo);
            StringBuilder sb = new StringBuilder("map[");
            for (int i = 0; i < keys.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(keys.get(i)).append(':').append(value(node.get(keys.get(i))));
            }
            return sb.append(']').toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            Iterator<JsonNode> it = node.elements();
            boolean first = true;
            while (it.hasNext()) {
                sb.append(first ? "" : " ").append(value(it.next()));
                first = false;
            }
            return sb.append(']').toString();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return floatString(node.doubleValue());
        }
        return node.asText();
    }

    /** Go's {@code %v} of a float64 (strconv 'g' with the shortest representation, exponent when < 1e-4 or ≥ 1e21). */
    public static String floatString(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 21) {
            String digits = bd.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return bd.toPlainString();
    }

    /** The Go type name of a value decoded from JSON, as {@code reflect.TypeOf(v)} prints it. */
    public static String typeName(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "%!s(<nil>)";
        }
        if (node.isObject()) {
            return "map[string]interface {}";
        }
        if (node.isArray()) {
            return "[]interface {}";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isIntegralNumber()) {
            return "int64";
        }
        if (node.isNumber()) {
            return "float64";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        return "interface {}";
    }

    /** The JSON type word used in "cannot unmarshal X into Go value" messages. */
    public static String jsonKind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        return "value";
    }

    /** Renders a Java value as a Go field.Error bad value: strings quoted with %q, numbers and bools plain. */
    public static String badValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof JsonNode n) {
            if (n.isTextual()) {
                return quote(n.textValue());
            }
            if (n.isNull()) {
                return "null";
            }
            if (n.isNumber() || n.isBoolean()) {
                return value(n);
            }
            return value(n);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return String.valueOf(value);
        }
        return String.valueOf(value);
    }
}
