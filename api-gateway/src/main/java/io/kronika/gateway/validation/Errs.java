package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.FieldError;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A field.ErrorList in Kubernetes' words: each error renders as apimachinery's field.Error does
 * ({@code Invalid value: "x": detail}, {@code Required value}, {@code Unsupported value: …: supported values: …}).
 */
final class Errs {
    private final List<FieldError> list = new ArrayList<>();

    List<FieldError> list() {
        return list;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    /** A bad value rendered verbatim (for Go's %#v renderings of structs and maps). */
    record Raw(String text) {
    }

    static String render(Object value) {
        if (value instanceof Raw r) {
            return r.text();
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonNode n) {
            if (n.isNull()) {
                return "null";
            }
            if (n.isTextual()) {
                return GoFormat.quote(n.textValue());
            }
            if (n.isNumber() || n.isBoolean()) {
                return GoFormat.value(n);
            }
            return GoFormat.value(n);
        }
        if (value instanceof String s) {
            return GoFormat.quote(s);
        }
        if (value instanceof Double d) {
            return GoFormat.floatString(d);
        }
        return String.valueOf(value);
    }

    void required(String field, String detail) {
        list.add(new FieldError("FieldValueRequired", field, "Required value" + (detail == null || detail.isEmpty() ? "" : ": " + detail)));
    }

    void invalid(String field, Object value, String detail) {
        list.add(new FieldError("FieldValueInvalid", field, "Invalid value: " + render(value) + (detail == null || detail.isEmpty() ? "" : ": " + detail)));
    }

    void invalidAll(String field, Object value, List<String> details) {
        for (String d : details) {
            invalid(field, value, d);
        }
    }

    void notSupported(String field, Object value, Collection<String> supported) {
        StringBuilder sb = new StringBuilder("Unsupported value: ").append(render(value));
        if (!supported.isEmpty()) {
            sb.append(": supported values: ").append(String.join(", ", supported.stream().map(GoFormat::quote).toList()));
        }
        list.add(new FieldError("FieldValueNotSupported", field, sb.toString()));
    }

    void duplicate(String field, Object value) {
        list.add(new FieldError("FieldValueDuplicate", field, "Duplicate value: " + render(value)));
    }

    void notFound(String field, Object value) {
        list.add(new FieldError("FieldValueNotFound", field, "Not found: " + render(value)));
    }

    void forbidden(String field, String detail) {
        list.add(new FieldError("FieldValueForbidden", field, "Forbidden" + (detail == null || detail.isEmpty() ? "" : ": " + detail)));
    }

    void tooLong(String field, long max) {
        list.add(new FieldError("FieldValueTooLong", field, "Too long: may not be more than " + max + " bytes"));
    }

    void tooMany(String field, long actual, long max) {
        list.add(new FieldError("FieldValueTooMany", field, "Too many: " + actual + ": must have at most " + max + " items"));
    }

    void typeInvalid(String field, Object value, String detail) {
        list.add(new FieldError("FieldValueTypeInvalid", field, "Invalid value: " + render(value) + ": " + detail));
    }

    void add(FieldError e) {
        list.add(e);
    }

    // ------------------------------------------------------------------ name rules (apimachinery validation)

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("^" + DNS1123_SUBDOMAIN_FMT + "$");
    private static final Pattern DNS1035_LABEL = Pattern.compile("^" + DNS1035_LABEL_FMT + "$");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^" + QUALIFIED_NAME_FMT + "$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^" + LABEL_VALUE_FMT + "$");
    private static final Pattern CONFIG_KEY = Pattern.compile("^" + CONFIG_KEY_FMT + "$");
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("^[-a-z0-9]+$");
    private static final Pattern ONE_LETTER = Pattern.compile("[a-z]");

    static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    static int byteLength(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static List<String> dns1123Label(String v) {
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1123_LABEL.matcher(v).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(v).matches()) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                        DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    static List<String> dns1123Subdomain(String v) {
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > 253) {
            errs.add(maxLen(253));
        }
        if (!DNS1123_SUBDOMAIN.matcher(v).matches()) {
            errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                    DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    static List<String> dns1035Label(String v) {
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1035_LABEL.matcher(v).matches()) {
            errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                    DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String m : dns1123Subdomain(prefix)) {
                    errs.add("prefix part " + m);
                }
            }
        } else {
            errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (byteLength(name) > 63) {
            errs.add("name part " + maxLen(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    static List<String> labelValue(String v) {
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE.matcher(v).matches()) {
            errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                    LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    static List<String> configMapKey(String v) {
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > 253) {
            errs.add(maxLen(253));
        }
        if (!CONFIG_KEY.matcher(v).matches()) {
            errs.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT,
                    "key.name", "KEY_NAME", "key-name"));
        }
        errs.addAll(chDirPrefix(v));
        return errs;
    }

    static List<String> chDirPrefix(String v) {
        if (v.equals(".")) {
            return List.of("must not be '.'");
        }
        if (v.equals("..")) {
            return List.of("must not be '..'");
        }
        if (v.startsWith("..")) {
            return List.of("must not start with '..'");
        }
        return List.of();
    }

    static List<String> portName(String port) {
        List<String> errs = new ArrayList<>();
        if (port.length() > 15) {
            errs.add(maxLen(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!ONE_LETTER.matcher(port).find()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    static List<String> relaxedEnvVarName(String v) {
        List<String> errs = new ArrayList<>();
        if (v.isEmpty()) {
            errs.add("environment variable name must be non-empty");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c > 126 || c < 32 || c == '=') {
                errs.add("a valid environment variable name must consist only of printable ASCII characters other than '='");
                break;
            }
        }
        return errs;
    }

    static String inclusiveRange(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    /** Go's %#v of a map[string]string, as Kubernetes prints template labels. */
    static Raw goMapLiteral(Map<String, String> m) {
        StringBuilder sb = new StringBuilder("map[string]string{");
        List<String> keys = new ArrayList<>(m.keySet());
        keys.sort(String::compareTo);
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(GoFormat.quote(keys.get(i))).append(':').append(GoFormat.quote(m.get(keys.get(i))));
        }
        return new Raw(sb.append('}').toString());
    }
}
