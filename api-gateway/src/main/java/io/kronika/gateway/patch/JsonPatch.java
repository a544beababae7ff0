package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.validation.GoFormat;

import java.util.Iterator;
import java.util.Map;

/**
 * RFC 6902 JSON patch with the semantics of the library kube-apiserver uses (evanphx/json-patch v4):
 * <ul>
 *   <li>JSON pointers with {@code ~1}/{@code ~0} escapes; {@code -} appends in {@code add}; negative array indices
 *       count from the end (the library's default, kept by Kubernetes);</li>
 *   <li>{@code replace} of a missing <em>object member</em> sets it (only a missing array index fails);
 *       {@code copy}/{@code move} from a missing object member carry {@code null};</li>
 *   <li>{@code test} compares structurally; a missing member equals {@code null}.</li>
 * </ul>
 * A patch that is not a JSON array of objects is 400 BadRequest ("error decoding" in the server); more than 10000
 * operations is 413; any operation that does not apply (bad path, failed test, unknown op) is 422 Invalid with
 * Kubernetes' generic message "the server rejected our request due to an error in our request" — the specific
 * reason is kept as the exception's cause for logs, as kube-apiserver keeps it only in its own logs.
 */
final class JsonPatch {
    static final int MAX_OPERATIONS = 10000;
    static final String REJECTED = "the server rejected our request due to an error in our request";

    private JsonNode root;

    private JsonPatch(JsonNode root) {
        this.root = root;
    }

    /** Applies {@code patch} to a copy of {@code original}; the result may be a non-object if the root was replaced. */
    static JsonNode apply(ObjectNode original, JsonNode patch) {
        if (patch == null || patch.isNull() || patch.isMissingNode()) {
            return original.deepCopy();
        }
        if (!patch.isArray()) {
            throw ApiException.badRequest("json: cannot unmarshal " + GoFormat.jsonKind(patch) + " into Go value of type jsonpatch.Patch");
        }
        for (JsonNode op : patch) {
            if (!op.isObject() && !op.isNull()) {
                throw ApiException.badRequest("json: cannot unmarshal " + GoFormat.jsonKind(op) + " into Go value of type jsonpatch.Operation");
            }
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw new ApiException(413, "RequestEntityTooLarge", "Request entity too large: The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + patch.size());
        }
        JsonPatch state = new JsonPatch(original.deepCopy());
        for (JsonNode op : patch) {
            try {
                state.applyOne(op.isNull() ? null : (ObjectNode) op);
            } catch (PatchFailure e) {
                ApiException ex = new ApiException(422, "Invalid", REJECTED);
                ex.initCause(e);
                throw ex;
            }
        }
        return state.root;
    }

    /** Why an operation did not apply (the library's message). */
    static final class PatchFailure extends RuntimeException {
        PatchFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static String text(ObjectNode op, String field) {
        JsonNode v = op == null ? null : op.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private void applyOne(ObjectNode op) {
        String kind = text(op, "op");
        if (kind == null) {
            kind = "unknown";
        }
        switch (kind) {
            case "add" -> add(op);
            case "remove" -> remove(op);
            case "replace" -> replace(op);
            case "move" -> move(op);
            case "test" -> test(op);
            case "copy" -> copy(op);
            default -> throw new PatchFailure("Unexpected kind: " + kind);
        }
    }

    private static String path(ObjectNode op, String field, String what) {
        JsonNode v = op.get(field);
        if (v == null || v.isNull()) {
            throw new PatchFailure(what + ": missing value");
        }
        if (!v.isTextual()) {
            throw new PatchFailure("json: cannot unmarshal " + GoFormat.jsonKind(v) + " into Go value of type string");
        }
        return v.textValue();
    }

    private static JsonNode value(ObjectNode op) {
        JsonNode v = op.get("value");
        return v == null ? NullNode.getInstance() : v.deepCopy();
    }

    /** A container (object or array) and the last, decoded reference token. */
    private record Target(JsonNode container, String key) {
    }

    private Target find(String path) {
        String[] split = path.split("/", -1);
        if (split.length < 2) {
            return null;
        }
        JsonNode doc = root;
        for (int i = 1; i < split.length - 1; i++) {
            JsonNode next;
            try {
                next = get(doc, decode(split[i]));
            } catch (PatchFailure e) {
                return null;
            }
            if (next == null || !(next.isObject() || next.isArray())) {
                return null;
            }
            doc = next;
        }
        return new Target(doc, decode(split[split.length - 1]));
    }

    static String decode(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    private static int atoi(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new PatchFailure("strconv.Atoi: parsing " + GoFormat.quote(key) + ": invalid syntax");
        }
    }

    /** Value at key, or null when an object member is missing or JSON null. */
    private static JsonNode get(JsonNode container, String key) {
        if (container.isObject()) {
            JsonNode v = container.get(key);
            return v == null || v.isNull() ? null : v;
        }
        ArrayNode ary = (ArrayNode) container;
        int idx = atoi(key);
        if (idx < 0) {
            if (idx < -ary.size()) {
                throw invalidIndex(idx);
            }
            idx += ary.size();
        }
        if (idx >= ary.size()) {
            throw invalidIndex(idx);
        }
        JsonNode v = ary.get(idx);
        return v.isNull() ? null : v;
    }

    private static PatchFailure invalidIndex(int idx) {
        return new PatchFailure("Unable to access invalid index: " + idx + ": invalid index referenced");
    }

    private static void addTo(JsonNode container, String key, JsonNode val) {
        if (container.isObject()) {
            ((ObjectNode) container).set(key, val);
            return;
        }
        ArrayNode ary = (ArrayNode) container;
        if (key.equals("-")) {
            ary.add(val);
            return;
        }
        int idx;
        try {
            idx = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new PatchFailure("value was not a proper array index: '" + key + "'");
        }
        int size = ary.size() + 1;
        if (idx >= size) {
            throw invalidIndex(idx);
        }
        if (idx < 0) {
            if (idx < -size) {
                throw invalidIndex(idx);
            }
            idx += size;
        }
        ary.insert(idx, val);
    }

    private static void removeFrom(JsonNode container, String key) {
        if (container.isObject()) {
            if (!container.has(key)) {
                throw new PatchFailure("Unable to remove nonexistent key: " + key + ": missing value");
            }
            ((ObjectNode) container).remove(key);
            return;
        }
        ArrayNode ary = (ArrayNode) container;
        int idx = atoi(key);
        if (idx >= ary.size()) {
            throw invalidIndex(idx);
        }
        if (idx < 0) {
            if (idx < -ary.size()) {
                throw invalidIndex(idx);
            }
            idx += ary.size();
        }
        ary.remove(idx);
    }

    private void add(ObjectNode op) {
        String path = path(op, "path", "add operation failed to decode path");
        Target t = find(path);
        if (t == null) {
            throw new PatchFailure("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
        }
        try {
            addTo(t.container(), t.key(), value(op));
        } catch (PatchFailure e) {
            throw new PatchFailure("error in add for path: '" + path + "': " + e.getMessage());
        }
    }

    private void remove(ObjectNode op) {
        String path = path(op, "path", "remove operation failed to decode path");
        Target t = find(path);
        if (t == null) {
            throw new PatchFailure("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
        }
        try {
            removeFrom(t.container(), t.key());
        } catch (PatchFailure e) {
            throw new PatchFailure("error in remove for path: '" + path + "': " + e.getMessage());
        }
    }

    private void replace(ObjectNode op) {
        String path = path(op, "path", "replace operation failed to decode path");
        if (path.isEmpty()) {
            JsonNode val = value(op);
            if (!val.isObject() && !val.isArray()) {
                throw new PatchFailure("replace operation value must be object or array");
            }
            root = val;
            return;
        }
        Target t = find(path);
        if (t == null) {
            throw new PatchFailure("replace operation does not apply: doc is missing path: " + path + ": missing value");
        }
        try {
            get(t.container(), t.key());
        } catch (PatchFailure e) {
            throw new PatchFailure("replace operation does not apply: doc is missing key: " + path + ": missing value");
        }
        JsonNode val = value(op);
        if (t.container().isObject()) {
            ((ObjectNode) t.container()).set(t.key(), val);
        } else {
            ArrayNode ary = (ArrayNode) t.container();
            int idx = atoi(t.key());
            ary.set(idx < 0 ? idx + ary.size() : idx, val);
        }
    }

    private void move(ObjectNode op) {
        String from = path(op, "from", "move operation failed to decode from");
        Target src = find(from);
        if (src == null) {
            throw new PatchFailure("move operation does not apply: doc is missing from path: " + from + ": missing value");
        }
        JsonNode val;
        try {
            val = get(src.container(), src.key());
            removeFrom(src.container(), src.key());
        } catch (PatchFailure e) {
            throw new PatchFailure("error in move for path: '" + src.key() + "': " + e.getMessage());
        }
        String path = path(op, "path", "move operation failed to decode path");
        Target dst = find(path);
        if (dst == null) {
            throw new PatchFailure("move operation does not apply: doc is missing destination path: " + path + ": missing value");
        }
        try {
            addTo(dst.container(), dst.key(), val == null ? NullNode.getInstance() : val);
        } catch (PatchFailure e) {
            throw new PatchFailure("error in move for path: '" + path + "': " + e.getMessage());
        }
    }

    private void copy(ObjectNode op) {
        String from = path(op, "from", "copy operation failed to decode from");
        Target src = find(from);
        if (src == null) {
            throw new PatchFailure("copy operation does not apply: doc is missing from path: " + from + ": missing value");
        }
        JsonNode val;
        try {
            val = get(src.container(), src.key());
        } catch (PatchFailure e) {
            throw new PatchFailure("error in copy for from: '" + from + "': " + e.getMessage());
        }
        String path = path(op, "path", "copy operation failed to decode path");
        Target dst = find(path);
        if (dst == null) {
            throw new PatchFailure("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
        }
        try {
            addTo(dst.container(), dst.key(), val == null ? NullNode.getInstance() : val.deepCopy());
        } catch (PatchFailure e) {
            throw new PatchFailure("error while adding value during copy: " + e.getMessage());
        }
    }

    private void test(ObjectNode op) {
        String path = path(op, "path", "test operation failed to decode path");
        JsonNode expected = op.get("value");
        if (path.isEmpty()) {
            if (expected != null && jsonEquals(root, expected)) {
                return;
            }
            throw testFailed(path);
        }
        Target t = find(path);
        if (t == null) {
            throw new PatchFailure("test operation does not apply: is missing path: " + path + ": missing value");
        }
        JsonNode actual;
        try {
            actual = get(t.container(), t.key());
        } catch (PatchFailure e) {
            throw new PatchFailure("error in test for path: '" + path + "': " + e.getMessage());
        }
        if (actual == null) {
            if (expected == null || expected.isNull()) {
                return;
            }
            throw testFailed(path);
        }
        if (expected == null || !jsonEquals(actual, expected)) {
            throw testFailed(path);
        }
    }

    private static PatchFailure testFailed(String path) {
        return new PatchFailure("testing value " + path + " failed: test failed");
    }

    /** Structural JSON equality; integers and decimals are different JSON texts and never equal each other. */
    static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() != b.isIntegralNumber()) {
                return false;
            }
            return a.isIntegralNumber() ? a.bigIntegerValue().equals(b.bigIntegerValue())
                    : a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !jsonEquals(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
