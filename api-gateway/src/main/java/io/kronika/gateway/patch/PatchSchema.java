package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The strategic-merge-patch metadata of built-in kinds: Go type shapes with their {@code patchStrategy} and
 * {@code patchMergeKey} struct tags, loaded from {@code kronika/patch/strategies.json} (generated from the
 * Kubernetes API sources: see the README there). Lookups behave as kube-apiserver's reflection over the Go structs
 * (strategicpatch.PatchMetaFromStruct), including its errors.
 */
final class PatchSchema {
    static final String RESOURCE = "/kronika/patch/strategies.json";
    private static volatile PatchSchema instance;

    private final Map<String, String> kinds = new LinkedHashMap<>();
    private final JsonNode types;
    private final String source;
    private final Map<String, Map<String, FieldMeta>> structs = new ConcurrentHashMap<>();
    private final Map<String, GoType> parsed = new ConcurrentHashMap<>();

    private PatchSchema(JsonNode table) {
        Iterator<Map.Entry<String, JsonNode>> it = table.get("kinds").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            kinds.put(e.getKey(), e.getValue().asText());
        }
        this.types = table.get("types");
        this.source = table.path("source").asText();
    }

    static PatchSchema get() {
        PatchSchema s = instance;
        if (s == null) {
            synchronized (PatchSchema.class) {
                if (instance == null) {
                    try (InputStream in = PatchSchema.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("missing resource " + RESOURCE);
                        }
                        instance = new PatchSchema(new ObjectMapper().readTree(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                s = instance;
            }
        }
        return s;
    }

    String source() {
        return source;
    }

    /** The Go type of field {@code jsonName} of struct {@code structKey} ("core/v1.Container"), or null. */
    String fieldType(String structKey, String jsonName) {
        JsonNode def = types.get(structKey);
        JsonNode field = def == null ? null : def.get(jsonName);
        if (field == null) {
            return null;
        }
        return field.isTextual() ? field.textValue() : field.path("t").asText(null);
    }

    /** The Go type of a built-in kind, or empty for kinds the table does not know (custom resources). */
    Optional<GoType> kind(String group, String kind) {
        String t = kinds.get((group == null ? "" : group) + "/" + kind);
        return t == null ? Optional.empty() : Optional.of(type(t));
    }

    Map<String, String> kinds() {
        return kinds;
    }

    GoType type(String expr) {
        GoType t = parsed.get(expr);
        if (t == null) {
            t = parse(expr);
            parsed.putIfAbsent(expr, t);
        }
        return t;
    }

    private GoType parse(String expr) {
        if (expr.startsWith("*")) {
            return new GoType(Kind.PTR, expr, type(expr.substring(1)));
        }
        if (expr.startsWith("[]")) {
            return new GoType(Kind.SLICE, expr, type(expr.substring(2)));
        }
        if (expr.startsWith("map[")) {
            int depth = 0;
            for (int i = 3; i < expr.length(); i++) {
                char c = expr.charAt(i);
                if (c == '[') {
                    depth++;
                } else if (c == ']' && --depth == 0) {
                    return new GoType(Kind.MAP, expr, type(expr.substring(i + 1)));
                }
            }
            throw new IllegalArgumentException("bad type " + expr);
        }
        if (expr.equals("interface{}")) {
            return new GoType(Kind.INTERFACE, expr, null);
        }
        if (types.has(expr)) {
            return new GoType(Kind.STRUCT, expr, null);
        }
        return new GoType(Kind.SCALAR, expr, null);
    }

    enum Kind { PTR, SLICE, MAP, STRUCT, SCALAR, INTERFACE }

    /** A Go type as reflection sees it: pointer, slice, map, struct (by table key), scalar or interface. */
    record GoType(Kind kind, String name, GoType elem) {
        /** reflect.Kind's name, as Go error messages print it. */
        String kindName() {
            return switch (kind) {
                case PTR -> "ptr";
                case SLICE -> "slice";
                case MAP -> "map";
                case STRUCT -> "struct";
                case INTERFACE -> "interface";
                case SCALAR -> name;
            };
        }

        /** reflect.Type.Name(): the bare type name of a struct, "" for unnamed types. */
        String typeName() {
            return kind == Kind.STRUCT ? name.substring(name.lastIndexOf('.') + 1) : kind == Kind.SCALAR ? name : "";
        }
    }

    /** A struct field's type and its patch tags. */
    record FieldMeta(GoType type, List<String> strategies, String mergeKey) {
    }

    /** Raised where kube-apiserver's lookup returns an error. */
    static final class LookupError extends RuntimeException {
        LookupError(String message) {
            super(message, null, false, false);
        }
    }

    /** forkedjson.LookupPatchMetadataForStruct: the field of struct {@code t} named {@code key} in JSON. */
    FieldMeta lookupStruct(GoType t, String key) {
        if (t.kind() == Kind.PTR) {
            t = t.elem();
        }
        if (t.kind() != Kind.STRUCT) {
            throw new LookupError("merging an object in json but data type is not struct, instead is: " + t.kindName());
        }
        Map<String, FieldMeta> fields = fields(t.name());
        FieldMeta f = fields.get(key);
        if (f == null) {
            for (Map.Entry<String, FieldMeta> e : fields.entrySet()) {
                if (e.getKey().equalsIgnoreCase(key)) {
                    f = e.getValue();
                    break;
                }
            }
        }
        if (f == null) {
            throw new LookupError("unable to find api field in struct " + t.typeName() + " for the json field \"" + key + "\"");
        }
        return f;
    }

    /** PatchMetaFromStruct.LookupPatchMetadataForSlice: the element type of slice field {@code key} of {@code t}. */
    FieldMeta lookupSlice(GoType t, String key) {
        FieldMeta f = lookupStruct(t, key);
        GoType ft = f.type();
        GoType elem;
        switch (ft.kind()) {
            case SLICE -> {
                elem = ft.elem();
                if (elem.kind() == Kind.SLICE) {
                    throw new LookupError("unexpected slice of slice");
                }
            }
            case PTR -> {
                GoType inner = ft.elem();
                elem = inner.kind() == Kind.SLICE ? inner.elem() : inner;
            }
            default -> throw new LookupError("expected slice or array type, but got: " + t.kindName());
        }
        return new FieldMeta(elem, f.strategies(), f.mergeKey());
    }

    private Map<String, FieldMeta> fields(String structKey) {
        Map<String, FieldMeta> cached = structs.get(structKey);
        if (cached != null) {
            return cached;
        }
        String k = structKey;
        {
            Map<String, FieldMeta> out = new LinkedHashMap<>();
            JsonNode def = types.get(k);
            if (def == null) {
                return out;
            }
            Iterator<Map.Entry<String, JsonNode>> it = def.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isTextual()) {
                    out.put(e.getKey(), new FieldMeta(type(v.textValue()), List.of(""), ""));
                } else {
                    out.put(e.getKey(), new FieldMeta(type(v.get("t").asText()),
                            Arrays.asList(v.path("s").asText("").split(",", -1)), v.path("k").asText("")));
                }
            }
            structs.putIfAbsent(k, out);
            return out;
        }
    }
}
