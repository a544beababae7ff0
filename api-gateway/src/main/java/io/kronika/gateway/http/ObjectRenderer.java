package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;

import java.util.Iterator;
import java.util.Map;

/**
 * Objects as the API returns them: {@code kind} and {@code apiVersion} of the version served first, then the rest.
 * Stored objects already in that shape are passed through as text.
 */
public final class ObjectRenderer {
    private ObjectRenderer() {
    }

    /** The object JSON for {@code type}'s version, as text. */
    public static String render(ResourceType type, String storedJson) {
        if (storedJson.startsWith(head(type))) {
            return storedJson;
        }
        return Json.write(typed(type, Json.object(storedJson)));
    }

    public static ObjectNode renderNode(ResourceType type, String storedJson) {
        return typed(type, Json.object(storedJson));
    }

    /** {@code object} with kind and apiVersion of {@code type} in front (a new node; the input is not changed). */
    public static ObjectNode typed(ResourceType type, ObjectNode object) {
        return withTypeMeta(type.kind(), type.apiVersion(), object);
    }

    public static ObjectNode withTypeMeta(String kind, String apiVersion, ObjectNode object) {
        ObjectNode out = Json.newObject();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("kind") && !field.getKey().equals("apiVersion")) {
                out.set(field.getKey(), field.getValue());
            }
        }
        return out;
    }

    private static String head(ResourceType type) {
        return "{\"kind\":\"" + type.kind() + "\",\"apiVersion\":\"" + type.apiVersion() + "\"";
    }
}
