package io.kronika.gateway.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A label selector in Kubernetes' string form: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)},
 * {@code a notin (x,y)}, {@code a}, {@code !a}, {@code a>1}, {@code a<1}, joined by commas (all must hold).
 */
public final class LabelSelector {
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(JsonNode labels) {
            JsonNode value = labels == null ? null : labels.get(key);
            boolean has = value != null && !value.isNull();
            String text = has ? value.asText() : null;
            return switch (operator) {
                case EQUALS, IN -> has && values.contains(text);
                case NOT_EQUALS, NOT_IN -> !has || !values.contains(text);
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case GREATER_THAN, LESS_THAN -> has && compare(text);
            };
        }

        private boolean compare(String text) {
            try {
                long actual = Long.parseLong(text);
                long bound = Long.parseLong(values.iterator().next());
                return operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** Kubernetes' rendering of one requirement. */
        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.iterator().next();
                case NOT_EQUALS -> key + "!=" + values.iterator().next();
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case GREATER_THAN -> key + ">" + values.iterator().next();
                case LESS_THAN -> key + "<" + values.iterator().next();
            };
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key));
        this.requirements = List.copyOf(sorted);
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector of(List<Requirement> requirements) {
        return new LabelSelector(requirements);
    }

    /** Parses the string form; 400 BadRequest naming the problem. Null or blank selects everything. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(new Parser(text).parse());
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** Whether an object with these labels (a JSON object of strings, or null) is selected. */
    public boolean matches(JsonNode labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(Requirement::toString).toList());
    }

    static void checkKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw invalid("key: Invalid value: \"" + key + "\": prefix part must be a lowercase RFC 1123 subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw invalid("key: Invalid value: \"" + key + "\": name part must consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                    + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') and be at most 63 characters");
        }
    }

    static void checkValue(String value) {
        if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
            throw invalid("values[0][" + value + "]: Invalid value: \"" + value + "\": a valid label must be an empty string "
                    + "or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("unable to parse requirement: " + detail);
    }

    /** A small recursive-descent parser over Kubernetes' selector tokens. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        List<Requirement> parse() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                out.add(requirement());
                skipSpaces();
                if (at >= text.length()) {
                    return out;
                }
                expect(",");
            }
        }

        private Requirement requirement() {
            skipSpaces();
            if (peek("!") && !peek("!=")) {
                at++;
                String key = identifier();
                checkKey(key);
                return new Requirement(key, Operator.DOES_NOT_EXIST, Set.of());
            }
            String key = identifier();
            checkKey(key);
            skipSpaces();
            if (at >= text.length() || peek(",")) {
                return new Requirement(key, Operator.EXISTS, Set.of());
            }
            Operator operator;
            if (peek("==")) {
                at += 2;
                operator = Operator.EQUALS;
            } else if (peek("!=")) {
                at += 2;
                operator = Operator.NOT_EQUALS;
            } else if (peek("=")) {
                at += 1;
                operator = Operator.EQUALS;
            } else if (peek(">")) {
                at += 1;
                operator = Operator.GREATER_THAN;
            } else if (peek("<")) {
                at += 1;
                operator = Operator.LESS_THAN;
            } else {
                String word = identifier();
                operator = switch (word) {
                    case "in" -> Operator.IN;
                    case "notin" -> Operator.NOT_IN;
                    default -> throw ApiException.badRequest("found '" + word + "', expected: '=', '!=', '==', 'in', notin'");
                };
                return new Requirement(key, operator, valueSet());
            }
            skipSpaces();
            String value = at < text.length() && !peek(",") ? identifier() : "";
            if (operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN) {
                try {
                    Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw invalid("for 'Gt', 'Lt' operators, the value must be an integer");
                }
            } else {
                checkValue(value);
            }
            return new Requirement(key, operator, Set.of(value));
        }

        private Set<String> valueSet() {
            skipSpaces();
            expect("(");
            Set<String> values = new TreeSet<>();
            while (true) {
                skipSpaces();
                String value = peek(",") || peek(")") ? "" : identifier();
                checkValue(value);
                values.add(value);
                skipSpaces();
                if (peek(")")) {
                    at++;
                    return values;
                }
                expect(",");
            }
        }

        private String identifier() {
            skipSpaces();
            int start = at;
            while (at < text.length() && " \t!=,()<>".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            if (start == at) {
                throw ApiException.badRequest("unable to parse requirement: found '"
                        + (at < text.length() ? String.valueOf(text.charAt(at)) : "") + "', expected: identifier");
            }
            return text.substring(start, at);
        }

        private void expect(String token) {
            skipSpaces();
            if (!peek(token)) {
                throw ApiException.badRequest("found '" + (at < text.length() ? text.substring(at, at + 1) : "")
                        + "', expected: '" + token + "' in label selector \"" + text + "\"");
            }
            at += token.length();
        }

        private boolean peek(String token) {
            return text.startsWith(token, at);
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
