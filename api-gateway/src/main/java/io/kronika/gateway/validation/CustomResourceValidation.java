package io.kronika.gateway.validation;

import io.kronika.gateway.api.JsonValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Structural-schema handling of a custom resource, in the order kube-apiserver applies it
 * (apiextensions-apiserver): <b>pruning</b> of fields the schema does not know (unless
 * {@code x-kubernetes-preserve-unknown-fields}; {@code apiVersion}, {@code kind} and {@code metadata} at the root and
 * in {@code x-kubernetes-embedded-resource} objects are kept, unknown metadata fields dropped), removal of
 * {@code null}s of non-nullable fields without default, <b>defaulting</b> from {@code default}, then
 * <b>validation</b> with the OpenAPI validator's rules and messages (kube-openapi), converted to field errors as
 * apiextensions does: {@code spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer:
 * "string"}. Supported keywords: type, nullable, properties, required, additionalProperties, items, enum,
 * minimum/maximum (and exclusive), multipleOf, minLength/maxLength, pattern, minItems/maxItems, uniqueItems,
 * minProperties/maxProperties, format (date-time, date, uuid, byte, ipv4, ipv6, email, hostname; int32/int64 only
 * as types), allOf/anyOf/oneOf/not, {@code x-kubernetes-int-or-string}. Metadata is validated as for any object
 * (name a DNS subdomain, labels, annotations). Not covered: CEL rules ({@code x-kubernetes-validations}),
 * list-type/map-type uniqueness ({@code x-kubernetes-list-type}), ratcheting on update.
 */
public final class CustomResourceValidation {
    private CustomResourceValidation() {
    }

    private static final Set<String> OBJECT_META_FIELDS = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
            "annotations", "ownerReferences", "finalizers", "managedFields");
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /** Applies schema defaults in place and throws ApiException 422 Invalid naming every field that breaks the schema. */
    public static void defaultAndValidate(JsonNode openApiV3Schema, ObjectNode object, String group, String kind) {
        JsonNode schema = openApiV3Schema == null || openApiV3Schema.isNull() ? null : openApiV3Schema;
        if (schema != null) {
            prune(object, schema, true);
            pruneNonNullableNulls(object, schema);
            applyDefaults(object, schema);
        } else {
            pruneMetadata(object);
        }
        Errs errs = new Errs();
        JsonNode meta = Json.obj(object, "metadata");
        boolean namespaced = !Json.str(meta, "namespace").isEmpty();
        ObjectMetaRules.validate(object, namespaced, ObjectMetaRules.DNS_SUBDOMAIN, errs);
        if (schema != null) {
            ObjectNode body = object.deepCopy();
            body.remove(List.of("apiVersion", "kind", "metadata"));
            // the root is validated without its type meta and metadata (validated above as ObjectMeta)
            JsonNode rootSchema = schema.isObject() ? withoutRootMeta((ObjectNode) schema.deepCopy()) : schema;
            validate(body, new Schema(rootSchema), "", errs);
        }
        if (!errs.isEmpty()) {
            throw ObjectValidation.invalid(group == null ? "" : group, kind, Json.str(meta, "name"), errs.list());
        }
    }

    private static JsonNode withoutRootMeta(ObjectNode schema) {
        ObjectNode props = Json.obj(schema, "properties");
        if (props != null) {
            props.remove(List.of("apiVersion", "kind", "metadata"));
        }
        ArrayNode required = Json.arr(schema, "required");
        if (required != null) {
            ArrayNode kept = Json.F.arrayNode();
            required.forEach(r -> {
                if (!List.of("apiVersion", "kind", "metadata").contains(r.asText())) {
                    kept.add(r);
                }
            });
            schema.set("required", kept);
        }
        return schema;
    }

    /** A view of one JSONSchemaProps node. */
    private record Schema(JsonNode node) {
        JsonNode get(String f) {
            return Json.get(node, f);
        }

        boolean flag(String f) {
            JsonNode v = get(f);
            return v != null && v.asBoolean(false);
        }

        List<String> types() {
            if (flag("x-kubernetes-int-or-string")) {
                return List.of("integer", "string");
            }
            JsonNode t = get("type");
            if (t == null) {
                return List.of();
            }
            if (t.isArray()) {
                List<String> out = new ArrayList<>();
                t.forEach(x -> out.add(x.asText()));
                return out;
            }
            return t.asText().isEmpty() ? List.of() : List.of(t.asText());
        }

        Schema property(String name) {
            JsonNode p = Json.get(get("properties"), name);
            return p == null ? null : new Schema(p);
        }

        /** additionalProperties as a schema (null when absent, false, or true). */
        Schema additional() {
            JsonNode a = get("additionalProperties");
            return a != null && a.isObject() ? new Schema(a) : null;
        }

        boolean additionalTrue() {
            JsonNode a = get("additionalProperties");
            return a != null && a.isBoolean() && a.booleanValue();
        }

        Schema items() {
            JsonNode i = get("items");
            if (i != null && i.isArray()) {
                return i.isEmpty() ? null : new Schema(i.get(0));
            }
            return i == null ? null : new Schema(i);
        }

        boolean preserveUnknown() {
            return flag("x-kubernetes-preserve-unknown-fields") || additionalTrue();
        }
    }

    // ------------------------------------------------------------------ pruning

    private static void pruneMetadata(ObjectNode object) {
        ObjectNode meta = Json.obj(object, "metadata");
        if (meta != null) {
            List<String> drop = new ArrayList<>();
            meta.fieldNames().forEachRemaining(k -> {
                if (!OBJECT_META_FIELDS.contains(k)) {
                    drop.add(k);
                }
            });
            meta.remove(drop);
        }
    }

    private static void prune(JsonNode x, JsonNode schemaNode, boolean resourceRoot) {
        Schema s = schemaNode == null ? null : new Schema(schemaNode);
        if (x instanceof ObjectNode obj) {
            boolean embedded = resourceRoot || (s != null && s.flag("x-kubernetes-embedded-resource"));
            if (embedded) {
                pruneMetadata(obj);
            }
            if (s == null) {
                return; // an unknown subtree kept by x-kubernetes-preserve-unknown-fields
            }
            List<String> drop = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (embedded && (k.equals("apiVersion") || k.equals("kind") || k.equals("metadata"))) {
                    continue;
                }
                Schema p = s.property(k);
                if (p != null) {
                    prune(e.getValue(), p.node(), false);
                } else if (s.additional() != null) {
                    prune(e.getValue(), s.additional().node(), false);
                } else if (s.preserveUnknown()) {
                    prune(e.getValue(), null, false);
                } else {
                    drop.add(k);
                }
            }
            obj.remove(drop);
        } else if (x instanceof ArrayNode arr) {
            Schema items = s == null ? null : s.items();
            for (JsonNode v : arr) {
                prune(v, items == null ? null : items.node(), false);
            }
        }
    }

    private static boolean nonNullableNull(JsonNode v, Schema s) {
        return v != null && v.isNull() && s != null && !s.flag("nullable");
    }

    /** PruneNonNullableNullsWithoutDefaults: a null where null is not allowed and no default exists is dropped. */
    private static void pruneNonNullableNulls(JsonNode x, JsonNode schemaNode) {
        if (schemaNode == null) {
            return;
        }
        Schema s = new Schema(schemaNode);
        if (x instanceof ObjectNode obj) {
            List<String> drop = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Schema p = s.property(e.getKey());
                if (p == null) {
                    p = s.additional();
                }
                if (p == null) {
                    continue;
                }
                if (nonNullableNull(e.getValue(), p) && p.get("default") == null) {
                    drop.add(e.getKey());
                } else {
                    pruneNonNullableNulls(e.getValue(), p.node());
                }
            }
            obj.remove(drop);
        } else if (x instanceof ArrayNode arr) {
            Schema items = s.items();
            if (items != null) {
                arr.forEach(v -> pruneNonNullableNulls(v, items.node()));
            }
        }
    }

    // ------------------------------------------------------------------ defaulting

    private static void applyDefaults(JsonNode x, JsonNode schemaNode) {
        if (schemaNode == null) {
            return;
        }
        Schema s = new Schema(schemaNode);
        if (x instanceof ObjectNode obj) {
            JsonNode props = s.get("properties");
            if (props != null) {
                props.fields().forEachRemaining(e -> {
                    Schema p = new Schema(e.getValue());
                    JsonNode def = p.get("default");
                    if (def == null) {
                        return;
                    }
                    JsonNode cur = obj.get(e.getKey());
                    if (cur == null || nonNullableNull(cur, p)) {
                        obj.set(e.getKey(), def.deepCopy());
                    }
                });
            }
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            obj.fields().forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> e : entries) {
                Schema p = s.property(e.getKey());
                if (p != null) {
                    applyDefaults(e.getValue(), p.node());
                } else if (s.additional() != null) {
                    Schema a = s.additional();
                    if (nonNullableNull(e.getValue(), a) && a.get("default") != null) {
                        obj.set(e.getKey(), a.get("default").deepCopy());
                    }
                    applyDefaults(obj.get(e.getKey()), a.node());
                }
            }
        } else if (x instanceof ArrayNode arr) {
            Schema items = s.items();
            if (items == null) {
                return;
            }
            for (int i = 0; i < arr.size(); i++) {
                if (nonNullableNull(arr.get(i), items) && items.get("default") != null) {
                    arr.set(i, items.get("default").deepCopy());
                }
                applyDefaults(arr.get(i), items.node());
            }
        }
    }

    // ------------------------------------------------------------------ validation

    private static String jsonType(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isObject()) {
            return "object";
        }
        return "null";
    }

    private static String field(String path) {
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static Object value(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber() || v.isBoolean()) {
            return new Errs.Raw(GoFormat.value(v));
        }
        return new Errs.Raw(GoFormat.value(v));
    }

    /** The validator of one schema node at one path, as kube-openapi's SchemaValidator (in "body"). */
    private static void validate(JsonNode v, Schema s, String path, Errs errs) {
        String name = field(path);
        List<String> types = s.types();
        if (v == null || v.isNull()) {
            if (!types.isEmpty() && !types.contains("null") && !s.flag("nullable")) {
                typeError(name, types, "null", errs);
            }
            validateEnum(v, s, name, errs);
            return;
        }
        String actual = jsonType(v);
        boolean floatInt = actual.equals("number") && types.contains("integer") && isIntegral(v);
        boolean intFloat = actual.equals("integer") && types.contains("number");
        if (!types.isEmpty() && !(types.contains(actual) || floatInt || intFloat)) {
            typeError(name, types, actual, errs);
        }
        validateComposition(v, s, path, errs);
        if (v.isTextual()) {
            validateString(v.textValue(), s, name, errs);
        } else if (v.isNumber()) {
            validateNumber(v, s, name, errs);
        } else if (v.isArray()) {
            validateArray((ArrayNode) v, s, path, errs);
        }
        validateEnum(v, s, name, errs);
        if (v.isObject()) {
            validateObject((ObjectNode) v, s, path, errs);
        }
    }

    private static boolean isIntegral(JsonNode v) {
        BigDecimal d = v.decimalValue();
        return d.stripTrailingZeros().scale() <= 0;
    }

    private static void typeError(String name, List<String> types, String actual, Errs errs) {
        errs.typeInvalid(name, actual, name + " in body must be of type " + String.join(",", types) + ": " + GoFormat.quote(actual));
    }

    private static void validateComposition(JsonNode v, Schema s, String path, Errs errs) {
        String name = field(path);
        JsonNode allOf = s.get("allOf");
        if (allOf != null) {
            for (JsonNode sub : allOf) {
                validate(v, new Schema(sub), path, errs);
            }
        }
        JsonNode anyOf = s.get("anyOf");
        if (anyOf != null && !anyOf.isEmpty()) {
            Errs best = null;
            boolean ok = false;
            for (JsonNode sub : anyOf) {
                Errs e = new Errs();
                validate(v, new Schema(sub), path, e);
                if (e.isEmpty()) {
                    ok = true;
                    break;
                }
                if (best == null || e.size() < best.size()) {
                    best = e;
                }
            }
            if (!ok) {
                errs.invalid("<nil>", "", name + " must validate at least one schema (anyOf)");
                best.list().forEach(errs::add);
            }
        }
        JsonNode oneOf = s.get("oneOf");
        if (oneOf != null && !oneOf.isEmpty()) {
            int valid = 0;
            Errs best = null;
            for (JsonNode sub : oneOf) {
                Errs e = new Errs();
                validate(v, new Schema(sub), path, e);
                if (e.isEmpty()) {
                    valid++;
                } else if (best == null || e.size() < best.size()) {
                    best = e;
                }
            }
            if (valid != 1) {
                String extra = valid > 1 ? "Found " + valid + " valid alternatives" : "Found none valid";
                errs.invalid("<nil>", "", name + " must validate one and only one schema (oneOf). " + extra);
                if (valid == 0 && best != null) {
                    best.list().forEach(errs::add);
                }
            }
        }
        JsonNode not = s.get("not");
        if (not != null) {
            Errs e = new Errs();
            validate(v, new Schema(not), path, e);
            if (e.isEmpty()) {
                errs.invalid("<nil>", "", name + " must not validate the schema (not)");
            }
        }
    }

    private static void validateString(String v, Schema s, String name, Errs errs) {
        int length = v.codePointCount(0, v.length());
        JsonNode maxLength = s.get("maxLength");
        if (maxLength != null && length > maxLength.asLong()) {
            errs.tooLong(name, maxLength.asLong());
        }
        JsonNode minLength = s.get("minLength");
        if (minLength != null && length < minLength.asLong()) {
            errs.invalid(name, v, name + " in body should be at least " + minLength.asLong() + " chars long");
        }
        JsonNode pattern = s.get("pattern");
        if (pattern != null && !pattern.asText().isEmpty()) {
            Pattern p;
            try {
                p = PATTERNS.computeIfAbsent(pattern.asText(), Pattern::compile);
            } catch (PatternSyntaxException e) {
                p = null;
            }
            if (p != null && !p.matcher(v).find()) {
                errs.invalid(name, v, name + " in body should match '" + pattern.asText() + "'");
            }
        }
        String format = s.get("format") == null ? "" : s.get("format").asText();
        if (!format.isEmpty() && !validFormat(format, v)) {
            errs.typeInvalid(name, v, name + " in body must be of type " + format + ": " + GoFormat.quote(v));
        }
    }

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final Pattern HOSTNAME = Pattern.compile("^[a-zA-Z0-9]([-a-zA-Z0-9]{0,62})?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,62})?)*\\.?$");
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

    private static boolean validFormat(String format, String v) {
        try {
            switch (format) {
                case "date-time", "datetime" -> {
                    OffsetDateTime.parse(v.replace(' ', 'T').replace("z", "Z").replace("t", "T"));
                    return true;
                }
                case "date" -> {
                    LocalDate.parse(v);
                    return true;
                }
                case "uuid" -> {
                    return v.length() == 36 && UUID.fromString(v) != null;
                }
                case "byte" -> {
                    Base64.getDecoder().decode(v);
                    return true;
                }
                case "ipv4" -> {
                    return IPV4.matcher(v).matches();
                }
                case "ipv6" -> {
                    return v.contains(":") && java.net.InetAddress.getByName(v) instanceof java.net.Inet6Address;
                }
                case "email" -> {
                    return EMAIL.matcher(v).matches();
                }
                case "hostname" -> {
                    return v.length() <= 255 && HOSTNAME.matcher(v).matches();
                }
                default -> {
                    return true;
                }
            }
        } catch (DateTimeParseException | IllegalArgumentException | java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void validateNumber(JsonNode v, Schema s, String name, Errs errs) {
        BigDecimal d = v.decimalValue();
        JsonNode max = s.get("maximum");
        if (max != null && max.isNumber()) {
            boolean exclusive = s.flag("exclusiveMaximum");
            int c = d.compareTo(max.decimalValue());
            if (exclusive ? c >= 0 : c > 0) {
                errs.invalid(name, value(v), name + " in body should be less than " + (exclusive ? "" : "or equal to ") + bound(max));
            }
        }
        JsonNode min = s.get("minimum");
        if (min != null && min.isNumber()) {
            boolean exclusive = s.flag("exclusiveMinimum");
            int c = d.compareTo(min.decimalValue());
            if (exclusive ? c <= 0 : c < 0) {
                errs.invalid(name, value(v), name + " in body should be greater than " + (exclusive ? "" : "or equal to ") + bound(min));
            }
        }
        JsonNode multipleOf = s.get("multipleOf");
        if (multipleOf != null && multipleOf.isNumber() && multipleOf.decimalValue().signum() > 0
                && d.remainder(multipleOf.decimalValue()).signum() != 0) {
            errs.invalid(name, value(v), name + " in body should be a multiple of " + bound(multipleOf));
        }
    }

    private static String bound(JsonNode n) {
        return n.isIntegralNumber() ? n.bigIntegerValue().toString() : GoFormat.floatString(n.doubleValue());
    }

    private static void validateArray(ArrayNode v, Schema s, String path, Errs errs) {
        String name = field(path);
        Schema items = s.items();
        if (items != null) {
            for (int i = 0; i < v.size(); i++) {
                validate(v.get(i), items, path + "[" + i + "]", errs);
            }
        }
        JsonNode minItems = s.get("minItems");
        if (minItems != null && v.size() < minItems.asLong()) {
            errs.invalid(name, (long) v.size(), name + " in body should have at least " + minItems.asLong() + " items");
        }
        JsonNode maxItems = s.get("maxItems");
        if (maxItems != null && v.size() > maxItems.asLong()) {
            errs.tooMany(name, v.size(), maxItems.asLong());
        }
        if (s.flag("uniqueItems")) {
            for (int i = 0; i < v.size(); i++) {
                for (int j = i + 1; j < v.size(); j++) {
                    if (JsonValues.same(v.get(i), v.get(j))) {
                        errs.invalid(name, "", name + " in body shouldn't contain duplicates");
                        return;
                    }
                }
            }
        }
    }

    private static void validateEnum(JsonNode v, Schema s, String name, Errs errs) {
        JsonNode en = s.get("enum");
        if (en == null || !en.isArray() || en.isEmpty()) {
            return;
        }
        for (JsonNode allowed : en) {
            if (v == null ? allowed.isNull() : JsonValues.same(v, allowed)) {
                return;
            }
        }
        List<String> values = new ArrayList<>();
        en.forEach(a -> values.add(a.isTextual() ? a.textValue() : a.toString()));
        errs.notSupported(name, v == null ? new Errs.Raw("null") : value(v), values);
    }

    private static void validateObject(ObjectNode v, Schema s, String path, Errs errs) {
        String name = field(path);
        JsonNode minP = s.get("minProperties");
        if (minP != null && v.size() < minP.asLong()) {
            errs.invalid(name, (long) v.size(), name + " in body should have at least " + minP.asLong() + " properties");
            return;
        }
        JsonNode maxP = s.get("maxProperties");
        if (maxP != null && v.size() > maxP.asLong()) {
            errs.tooMany(name, v.size(), maxP.asLong());
            return;
        }
        JsonNode additional = s.get("additionalProperties");
        JsonNode props = s.get("properties");
        if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
            v.fieldNames().forEachRemaining(k -> {
                if (props == null || !props.has(k)) {
                    errs.invalid(name, k, name + "." + k + " in body is a forbidden property");
                }
            });
        } else if (s.additional() != null) {
            Schema a = s.additional();
            v.fields().forEachRemaining(e -> {
                if (props == null || !props.has(e.getKey())) {
                    validate(e.getValue(), a, path + "." + e.getKey(), errs);
                }
            });
        }
        if (props != null) {
            props.fields().forEachRemaining(e -> {
                JsonNode value = v.get(e.getKey());
                if (value != null) {
                    String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                    validate(value, new Schema(e.getValue()), child, errs);
                }
            });
        }
        JsonNode required = s.get("required");
        if (required != null) {
            for (JsonNode r : required) {
                if (!v.has(r.asText())) {
                    errs.required(field(path + "." + r.asText()), "");
                }
            }
        }
    }
}
