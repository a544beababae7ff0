package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.patch.PatchSchema.FieldMeta;
import io.kronika.gateway.patch.PatchSchema.GoType;
import io.kronika.gateway.validation.GoFormat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Strategic merge patch of built-in kinds, as kube-apiserver applies it (apimachinery strategicpatch,
 * StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls):
 * <ul>
 *   <li>objects merge key by key, {@code null} deletes; lists whose field has {@code patchStrategy: merge} merge —
 *       lists of objects by their {@code patchMergeKey}, lists of scalars as sets; other lists replace;</li>
 *   <li>directives: {@code $patch: replace|delete} in maps, {@code $patch: delete|replace} elements in merging
 *       lists ({@code merge} is refused as upstream does), {@code $retainKeys},
 *       {@code $deleteFromPrimitiveList/<field>}, {@code $setElementOrder/<field>};</li>
 *   <li>ordering as upstream: patch items in patch (or {@code $setElementOrder}) order, interleaved with the
 *       server-only items by their relative server order.</li>
 * </ul>
 * Errors map to the status kube-apiserver answers with: the mergepatch sentinel errors to 400 BadRequest or 422
 * Invalid (interpretStrategicMergePatchError), every other error (missing merge key, unknown field, …) passes
 * through unconverted and so becomes a 500 with an empty reason and the Go error text as message.
 */
final class StrategicMergePatch {
    private static final String DIRECTIVE = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";

    static final String ERR_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
    static final String ERR_BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
    static final String ERR_BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";
    static final String ERR_NO_LIST_OF_LISTS = "lists of lists are not supported";

    private final PatchSchema schema;

    private StrategicMergePatch(PatchSchema schema) {
        this.schema = schema;
    }

    /** An error of the patch engine, with the HTTP status kube-apiserver gives it. */
    static final class SmpError extends RuntimeException {
        final int code;

        SmpError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        static SmpError badRequest(String message) {
            return new SmpError(400, message);
        }

        static SmpError unprocessable(String message) {
            return new SmpError(422, message);
        }

        static SmpError other(String message) {
            return new SmpError(500, message);
        }

        ApiException toApiException() {
            ApiException ex = switch (code) {
                case 400 -> ApiException.badRequest(getMessage());
                case 422 -> new ApiException(422, "Invalid", JsonPatch.REJECTED);
                // kube-apiserver answers these unconverted errors with 500; they are the patch's fault, so 400 here
                default -> ApiException.badRequest(getMessage());
            };
            ex.initCause(this);
            return ex;
        }
    }

    static ObjectNode apply(ObjectNode original, JsonNode patch, GoType root, PatchSchema schema) {
        if (patch == null || patch.isNull() || patch.isMissingNode()) {
            return original.deepCopy();
        }
        if (!patch.isObject()) {
            throw ApiException.badRequest("json: cannot unmarshal " + GoFormat.jsonKind(patch)
                    + " into Go value of type map[string]interface {}");
        }
        try {
            return new StrategicMergePatch(schema).mergeMap(original.deepCopy(), (ObjectNode) patch.deepCopy(), root);
        } catch (SmpError e) {
            throw e.toApiException();
        } catch (PatchSchema.LookupError e) {
            throw SmpError.other(e.getMessage()).toApiException();
        }
    }

    // ---------------------------------------------------------------- maps

    private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, GoType type) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            if (isText(directive, "replace")) {
                patch.remove(DIRECTIVE);
                return patch;
            }
            if (isText(directive, "delete")) {
                return JsonNodeFactory.instance.objectNode();
            }
            throw badPatchType(directive, patch);
        }
        if (original == null) {
            original = JsonNodeFactory.instance.objectNode();
        }
        applyRetainKeys(original, patch);
        mergeSetElementOrder(original, patch, type);

        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        patch.fields().forEachRemaining(entries::add);
        for (Map.Entry<String, JsonNode> entry : entries) {
            String k = entry.getKey();
            JsonNode patchV = entry.getValue();
            boolean deleteList = false;
            if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                k = extractKey(k, DELETE_FROM_PRIMITIVE_LIST, ERR_BAD_PRIMITIVE_LIST);
                deleteList = true;
            }
            if (patchV.isNull()) {
                original.remove(k);
                continue;
            }
            JsonNode origV = original.get(k);
            if (origV == null || !GoFormat.typeName(origV).equals(GoFormat.typeName(patchV))) {
                if (!deleteList) {
                    discardNulls(patchV);
                    JsonNode v = removeDirectives(patchV);
                    if (v == null) {
                        original.remove(k);
                    } else {
                        original.set(k, v);
                    }
                }
                continue;
            }
            if (origV.isObject()) {
                FieldMeta meta = schema.lookupStruct(type, k);
                String strategy = otherStrategy(meta.strategies());
                original.set(k, strategy.equals("replace") ? patchV : mergeMap((ObjectNode) origV, (ObjectNode) patchV, meta.type()));
            } else if (origV.isArray()) {
                FieldMeta meta = schema.lookupSlice(type, k);
                String strategy = otherStrategy(meta.strategies());
                original.set(k, mergeSliceHandler((ArrayNode) origV, (ArrayNode) patchV, meta.type(), strategy, meta.mergeKey(), deleteList));
            } else {
                JsonNode v = removeDirectives(patchV);
                if (v == null) {
                    original.remove(k);
                } else {
                    original.set(k, v);
                }
            }
        }
        return original;
    }

    private static boolean isText(JsonNode n, String s) {
        return n != null && n.isTextual() && n.textValue().equals(s);
    }

    private static SmpError badPatchType(JsonNode directive, JsonNode map) {
        String t = directive.isTextual() ? directive.textValue() : "%!s(" + GoFormat.typeName(directive) + "=" + GoFormat.value(directive) + ")";
        return SmpError.other("unknown patch type: " + t + " in map: " + GoFormat.value(map));
    }

    private static String extractKey(String s, String prefix, String error) {
        String[] parts = s.split("/", 2);
        if (parts.length <= 1 || !parts[0].equals(prefix)) {
            throw SmpError.badRequest(error);
        }
        return parts[1];
    }

    /** extractRetainKeysPatchStrategy: the strategy other than retainKeys ("" when none). */
    private static String otherStrategy(List<String> strategies) {
        switch (strategies.size()) {
            case 0:
                return "";
            case 1:
                return strategies.get(0).equals("retainKeys") ? "" : strategies.get(0);
            case 2:
                if (strategies.get(0).equals("retainKeys")) {
                    return strategies.get(1);
                }
                if (strategies.get(1).equals("retainKeys")) {
                    return strategies.get(0);
                }
                // fall through
            default:
                throw SmpError.other("unexpected patch strategy: [" + String.join(" ", strategies) + "]");
        }
    }

    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw SmpError.badRequest(ERR_BAD_RETAIN_KEYS);
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (JsonNode v : retain) {
            if (v.isTextual()) {
                keep.add(v.textValue());
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) {
                throw SmpError.badRequest(ERR_BAD_RETAIN_KEYS);
            }
        }
        List<String> drop = new ArrayList<>();
        original.fieldNames().forEachRemaining(k -> {
            if (!keep.contains(k)) {
                drop.add(k);
            }
        });
        original.remove(drop);
    }

    private static void discardNulls(JsonNode v) {
        if (v.isObject()) {
            List<String> nulls = new ArrayList<>();
            v.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    discardNulls(e.getValue());
                }
            });
            ((ObjectNode) v).remove(nulls);
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                discardNulls(e);
            }
        }
    }

    /** Drops maps carrying {@code $patch} (returns null when {@code v} itself is one). */
    private static JsonNode removeDirectives(JsonNode v) {
        if (v.isObject()) {
            if (v.has(DIRECTIVE)) {
                return null;
            }
            List<String> drop = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode nv = removeDirectives(e.getValue());
                if (nv == null) {
                    drop.add(e.getKey());
                } else if (nv != e.getValue()) {
                    e.setValue(nv);
                }
            }
            ((ObjectNode) v).remove(drop);
            return v;
        }
        if (v.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : v) {
                JsonNode nv = removeDirectives(e);
                if (nv != null) {
                    out.add(nv);
                }
            }
            return out;
        }
        return v;
    }

    // ------------------------------------------------------- $setElementOrder

    private void mergeSetElementOrder(ObjectNode original, ObjectNode patch, GoType type) {
        List<String> keys = new ArrayList<>();
        patch.fieldNames().forEachRemaining(k -> {
            if (k.startsWith(SET_ELEMENT_ORDER)) {
                keys.add(k);
            }
        });
        for (String key : keys) {
            JsonNode order = patch.remove(key);
            if (!order.isArray()) {
                throw SmpError.other(badArgType("[]interface {}", order));
            }
            String originalKey = extractKey(key, SET_ELEMENT_ORDER, ERR_BAD_SET_ELEMENT_ORDER);
            JsonNode originalList = original.get(originalKey);
            JsonNode patchList = patch.get(originalKey);
            if (originalList != null && !originalList.isArray()) {
                throw SmpError.other(badArgType("[]interface {}", originalList));
            }
            if (patchList != null && !patchList.isArray()) {
                throw SmpError.other(badArgType("[]interface {}", patchList));
            }
            FieldMeta meta = schema.lookupSlice(type, originalKey);
            String strategy = otherStrategy(meta.strategies());
            String mergeKey = meta.mergeKey();
            validatePatchWithSetOrderList((ArrayNode) patchList, (ArrayNode) order, mergeKey);

            List<JsonNode> merged;
            if (originalList != null && patchList == null) {
                merged = list(originalList);
            } else if (originalList == null && patchList != null) {
                merged = list(removeDirectives(patchList));
            } else if (originalList != null) {
                merged = list(mergeSliceHandler((ArrayNode) originalList, (ArrayNode) patchList, meta.type(), strategy, mergeKey, false));
            } else {
                continue;
            }
            List<JsonNode> orderList = list(order);
            List<JsonNode> patchItems = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            partition(merged, orderList, mergeKey, patchItems, serverOnly);
            boolean maps = elementsAreMaps(list(originalList), list(patchList));
            List<JsonNode> both = normalizeElementOrder(patchItems, serverOnly, orderList, list(originalList), mergeKey, maps);
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            both.forEach(out::add);
            original.set(originalKey, out);
            patch.remove(originalKey);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null) {
            array.forEach(out::add);
        }
        return out;
    }

    private static String badArgType(String expected, JsonNode actual) {
        return "expected a " + expected + ", but received a " + GoFormat.typeName(actual);
    }

    private static void validatePatchWithSetOrderList(ArrayNode patchList, ArrayNode order, String mergeKey) {
        if (order.isEmpty() || patchList == null || patchList.isEmpty()) {
            return;
        }
        List<JsonNode> nonDelete = new ArrayList<>();
        if (!mergeKey.isEmpty()) {
            for (JsonNode v : patchList) {
                if (!v.isObject()) {
                    throw SmpError.other(badArgType("map[string]interface {}", v));
                }
                if (!isText(v.get(DIRECTIVE), "delete")) {
                    nonDelete.add(v);
                }
            }
        } else {
            patchList.forEach(nonDelete::add);
        }
        int p = 0;
        int s = 0;
        while (p < nonDelete.size() && s < order.size()) {
            if (nonDelete.get(p).isObject() && nonDelete.get(p).has(DIRECTIVE)) {
                p++;
                continue;
            }
            if (mergeKeyValueEqual(nonDelete.get(p), order.get(s), mergeKey)) {
                p++;
            }
            s++;
        }
        if (p < nonDelete.size() && s >= order.size()) {
            throw SmpError.other("The order in patch list:\n" + GoFormat.value(patchList) + "\n doesn't match "
                    + SET_ELEMENT_ORDER + " list:\n" + GoFormat.value(order) + "\n");
        }
    }

    private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) {
        if (mergeKey.isEmpty()) {
            return goEquals(left, right);
        }
        if (!left.isObject()) {
            throw SmpError.other(badArgType("map[string]interface {}", left));
        }
        if (!right.isObject()) {
            throw SmpError.other(badArgType("map[string]interface {}", right));
        }
        if (!left.has(mergeKey)) {
            throw noMergeKey(left, mergeKey);
        }
        if (!right.has(mergeKey)) {
            throw noMergeKey(right, mergeKey);
        }
        return goEquals(left.get(mergeKey), right.get(mergeKey));
    }

    private static SmpError noMergeKey(JsonNode map, String mergeKey) {
        return SmpError.other("map: " + GoFormat.value(map) + " does not contain declared merge key: " + mergeKey);
    }

    // ---------------------------------------------------------------- lists

    private ArrayNode mergeSliceHandler(ArrayNode original, ArrayNode patch, GoType elem, String strategy, String mergeKey, boolean deleteList) {
        if (strategy.equals("merge") || deleteList) {
            return mergeSlice(original, patch, elem, mergeKey, deleteList);
        }
        return patch;
    }

    private ArrayNode mergeSlice(ArrayNode originalNode, ArrayNode patchNode, GoType elem, String mergeKey, boolean deleteList) {
        if (originalNode.isEmpty() && patchNode.isEmpty()) {
            return originalNode;
        }
        List<JsonNode> original = list(originalNode);
        List<JsonNode> patch = list(patchNode);
        boolean maps = elementsAreMaps(original, patch);
        List<JsonNode> merged;
        if (!maps) {
            if (deleteList) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                for (JsonNode v : original) {
                    if (patch.stream().noneMatch(d -> goEquals(d, v))) {
                        out.add(v);
                    }
                }
                return out;
            }
            List<JsonNode> both = new ArrayList<>(original);
            both.addAll(patch);
            merged = deduplicate(both);
        } else {
            if (mergeKey.isEmpty()) {
                throw SmpError.other("cannot merge lists without merge key for " + elem.kindName());
            }
            // special elements: $patch delete / replace
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            for (JsonNode v : patch) {
                JsonNode directive = v.get(DIRECTIVE);
                if (directive == null) {
                    plain.add(v);
                } else if (isText(directive, "delete")) {
                    JsonNode value = v.get(mergeKey);
                    if (value == null) {
                        throw noMergeKey(v, mergeKey);
                    }
                    List<JsonNode> kept = new ArrayList<>();
                    for (int i = 0; i < original.size(); i++) {
                        JsonNode o = original.get(i);
                        if (!o.isObject()) {
                            throw SmpError.other("value for key " + i + " is not a map");
                        }
                        if (!(o.has(mergeKey) && goEquals(o.get(mergeKey), value))) {
                            kept.add(o);
                        }
                    }
                    original = kept;
                } else if (isText(directive, "replace")) {
                    replace = true;
                } else if (isText(directive, "merge")) {
                    throw SmpError.other("merging lists cannot yet be specified in the patch");
                } else {
                    throw badPatchType(directive, v);
                }
            }
            if (replace) {
                original = plain;
                patch = List.of();
            } else {
                patch = plain;
            }
            merged = new ArrayList<>(original);
            for (JsonNode v : patch) {
                JsonNode value = v.get(mergeKey);
                if (value == null) {
                    throw noMergeKey(v, mergeKey);
                }
                int found = -1;
                for (int i = 0; i < merged.size(); i++) {
                    JsonNode o = merged.get(i);
                    if (!o.isObject()) {
                        throw SmpError.other("value for key " + i + " is not a map");
                    }
                    if (o.has(mergeKey) && goEquals(o.get(mergeKey), value)) {
                        found = i;
                        break;
                    }
                }
                if (found >= 0) {
                    merged.set(found, mergeMap((ObjectNode) merged.get(found), (ObjectNode) v, elem));
                } else {
                    merged.add(v);
                }
            }
            // the server order is the original list after deletions, with merged elements in place
            List<JsonNode> serverOrder = new ArrayList<>(merged.subList(0, original.size()));
            original = serverOrder;
        }
        List<JsonNode> patchItems = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        partition(merged, patch, mergeKey, patchItems, serverOnly);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, maps).forEach(out::add);
        return out;
    }

    /** sliceElementType: all elements share one Go type, which must not be a list; true when they are maps. */
    private static boolean elementsAreMaps(List<JsonNode> a, List<JsonNode> b) {
        String type = null;
        List<List<JsonNode>> slices = List.of(a, b);
        for (List<JsonNode> s : slices) {
            for (JsonNode v : s) {
                String t = GoFormat.typeName(v);
                if (type == null) {
                    type = t;
                    if (v.isArray()) {
                        throw SmpError.unprocessable(ERR_NO_LIST_OF_LISTS);
                    }
                } else if (!type.equals(t)) {
                    throw SmpError.other("list element types are not identical: ["
                            + GoFormat.value(JsonNodeFactory.instance.arrayNode().addAll(a)) + " "
                            + GoFormat.value(JsonNodeFactory.instance.arrayNode().addAll(b)) + "]");
                }
            }
        }
        if (type == null) {
            throw SmpError.other("no elements in any of the given slices");
        }
        return type.equals("map[string]interface {}");
    }

    private static List<JsonNode> deduplicate(List<JsonNode> s) {
        // upstream's in-place algorithm: a later duplicate is overwritten by the last element
        List<JsonNode> out = new ArrayList<>(s);
        int length = out.size() - 1;
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j <= length; j++) {
                if (goEquals(out.get(i), out.get(j))) {
                    out.set(j, out.get(length));
                    out.remove(length);
                    length--;
                    j--;
                }
            }
        }
        return out;
    }

    private static void partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey, List<JsonNode> present, List<JsonNode> absent) {
        for (JsonNode v : merged) {
            boolean found;
            if (mergeKey.isEmpty()) {
                found = by.stream().anyMatch(p -> goEquals(p, v));
            } else {
                if (!v.isObject()) {
                    throw SmpError.other(badArgType("map[string]interface {}", v));
                }
                JsonNode value = v.get(mergeKey);
                if (value == null) {
                    throw noMergeKey(v, mergeKey);
                }
                found = false;
                for (int i = 0; i < by.size(); i++) {
                    JsonNode p = by.get(i);
                    if (!p.isObject()) {
                        throw SmpError.other("value for key " + i + " is not a map");
                    }
                    if (p.has(mergeKey) && goEquals(p.get(mergeKey), value)) {
                        found = true;
                        break;
                    }
                }
            }
            (found ? present : absent).add(v);
        }
    }

    private static List<JsonNode> normalizeElementOrder(List<JsonNode> patch, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
                                                        List<JsonNode> serverOrder, String mergeKey, boolean maps) {
        List<JsonNode> p = normalizeSliceOrder(patch, patchOrder, mergeKey, maps);
        List<JsonNode> s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, maps);
        // mergeSortedSlice: server-only items go before a patch item only when the server order says so
        List<JsonNode> out = new ArrayList<>(p.size() + s.size());
        int i = 0;
        int j = 0;
        while (i < s.size() || j < p.size()) {
            if (i >= s.size()) {
                out.add(p.get(j++));
            } else if (j >= p.size()) {
                out.add(s.get(i++));
            } else {
                int li = index(serverOrder, s.get(i), mergeKey, maps);
                int ri = index(serverOrder, p.get(j), mergeKey, maps);
                if (li >= 0 && ri >= 0 && li < ri) {
                    out.add(s.get(i++));
                } else {
                    out.add(p.get(j++));
                }
            }
        }
        return out;
    }

    private static List<JsonNode> normalizeSliceOrder(List<JsonNode> toSort, List<JsonNode> order, String mergeKey, boolean maps) {
        List<JsonNode> keep = new ArrayList<>(toSort);
        List<JsonNode> toDelete = new ArrayList<>();
        if (maps) {
            for (List<JsonNode> l : List.of(toSort, order)) {
                for (JsonNode item : l) {
                    if (!item.isObject()) {
                        throw SmpError.other(badArgType("map[string]interface {}", item));
                    }
                    if (!item.has(mergeKey)) {
                        throw noMergeKey(item, mergeKey);
                    }
                }
            }
            keep.clear();
            for (JsonNode v : toSort) {
                (isText(v.get(DIRECTIVE), "delete") ? toDelete : keep).add(v);
            }
        }
        keep.sort(Comparator.comparingInt(v -> {
            int idx = index(order, v, mergeKey, maps);
            return idx < 0 ? Integer.MAX_VALUE : idx;
        }));
        keep.addAll(toDelete);
        return keep;
    }

    private static int index(List<JsonNode> l, JsonNode v, String mergeKey, boolean maps) {
        JsonNode look = maps ? (v.isObject() ? v.get(mergeKey) : null) : v;
        for (int i = 0; i < l.size(); i++) {
            JsonNode item = maps ? (l.get(i).isObject() ? l.get(i).get(mergeKey) : null) : l.get(i);
            if (look == null ? item == null : goEquals(look, item)) {
                return i;
            }
        }
        return -1;
    }

    /** Go's {@code ==} on values decoded into interface{}: same dynamic type and value; maps and slices never equal. */
    static boolean goEquals(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNull() || b.isNull()) {
            return a.isNull() && b.isNull();
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.bigIntegerValue().equals(b.bigIntegerValue());
        }
        if (a.isNumber() && b.isNumber() && !a.isIntegralNumber() && !b.isIntegralNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isBoolean() && b.isBoolean()) {
            return a.booleanValue() == b.booleanValue();
        }
        return false;
    }
}
