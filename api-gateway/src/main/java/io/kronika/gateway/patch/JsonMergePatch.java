package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch as kube-apiserver applies it (evanphx/json-patch v4 MergePatch): members set to
 * {@code null} are deleted, objects merge recursively, anything else (arrays included) replaces; nulls inside
 * newly added objects are pruned. A {@code null} or scalar patch is 400 "Invalid JSON Patch"; an array patch
 * replaces the whole document (which then fails to decode as an object: the caller turns that into 422).
 */
final class JsonMergePatch {
    private JsonMergePatch() {
    }

    static JsonNode apply(ObjectNode original, JsonNode patch) {
        if (patch == null || patch.isNull() || patch.isMissingNode() || patch.isValueNode()) {
            throw ApiException.badRequest("Invalid JSON Patch");
        }
        if (patch.isArray()) {
            ArrayNode copy = (ArrayNode) patch.deepCopy();
            pruneArrayNulls(copy);
            return copy;
        }
        ObjectNode doc = original.deepCopy();
        mergeDocs(doc, (ObjectNode) patch.deepCopy());
        return doc;
    }

    private static void mergeDocs(ObjectNode doc, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                doc.remove(k);
                continue;
            }
            JsonNode cur = doc.get(k);
            if (cur == null || cur.isNull()) {
                pruneNulls(v);
                doc.set(k, v);
            } else {
                doc.set(k, merge(cur, v));
            }
        }
    }

    private static JsonNode merge(JsonNode cur, JsonNode patch) {
        if (!cur.isObject()) {
            pruneNulls(patch);
            return patch;
        }
        if (!patch.isObject()) {
            return patch;
        }
        mergeDocs((ObjectNode) cur, (ObjectNode) patch);
        return cur;
    }

    static void pruneNulls(JsonNode n) {
        if (n.isObject()) {
            List<String> nulls = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    pruneNulls(e.getValue());
                }
            }
            ((ObjectNode) n).remove(nulls);
        } else if (n.isArray()) {
            pruneArrayNulls((ArrayNode) n);
        }
    }

    /** Nulls inside objects in an array are pruned; null elements of the array itself stay. */
    private static void pruneArrayNulls(ArrayNode ary) {
        for (JsonNode v : ary) {
            if (!v.isNull()) {
                pruneNulls(v);
            }
        }
    }
}
