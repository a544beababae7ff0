package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kronika.gateway.api.Json;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders one group version's OpenAPI 3.0 document, as kube-apiserver serves it under /openapi/v3/. */
final class OpenApiV3 {
    static final String REF_PREFIX = "#/components/schemas/";

    private OpenApiV3() {
    }

    static ObjectNode document(String version, Map<String, List<Operation>> paths, Collection<String> builtin, Map<String, JsonNode> custom) {
        ObjectNode doc = Json.newObject();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", version);
        ObjectNode pathsNode = doc.putObject("paths");
        paths.forEach((path, operations) -> {
            ObjectNode item = pathsNode.putObject(path);
            for (Operation op : operations) {
                item.set(op.method(), operation(op));
            }
            ArrayNode parameters = item.putArray("parameters");
            for (String name : new String[]{"name", "namespace"}) {
                if (path.contains("{" + name + "}")) {
                    ObjectNode param = parameters.addObject().put("name", name).put("in", "path").put("description", name + " of the resource")
                            .put("required", true);
                    param.putObject("schema").put("type", "string").put("uniqueItems", true);
                }
            }
        });
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        OpenApiDefinitions source = OpenApiDefinitions.get();
        for (String name : builtin) {
            schemas.set(name, rewriteRefs(source.definition(name).deepCopy()));
        }
        custom.forEach((name, schema) -> schemas.set(name, rewriteRefs(schema.deepCopy())));
        return doc;
    }

    private static ObjectNode operation(Operation op) {
        ObjectNode out = Json.newObject();
        out.putArray("tags").add(op.group().isEmpty() ? "core_" + op.version() : op.group().replace('.', '_') + "_" + op.version());
        out.put("description", op.description());
        out.put("operationId", op.operationId());
        ArrayNode parameters = out.putArray("parameters");
        for (String name : op.queryParams()) {
            Parameters.Param param = Parameters.QUERY.get(name);
            ObjectNode node = parameters.addObject().put("name", name).put("in", "query").put("description", param.description());
            node.putObject("schema").put("type", param.type()).put("uniqueItems", true);
        }
        if (op.body() != null) {
            ObjectNode body = out.putObject("requestBody");
            ObjectNode content = body.putObject("content");
            List<String> types = op.method().equals("patch")
                    ? List.of("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml")
                    : List.of("*/*");
            for (String type : types) {
                content.putObject(type).putObject("schema").put("$ref", REF_PREFIX + op.body());
            }
            body.put("required", !op.method().equals("delete"));
        }
        ObjectNode responses = out.putObject("responses");
        ObjectNode ok = responses.putObject("200").put("description", "OK").putObject("content");
        for (String type : List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")) {
            ok.putObject(type).putObject("schema").put("$ref", REF_PREFIX + op.response());
        }
        responses.putObject("401").put("description", "Unauthorized");
        out.put("x-kubernetes-action", op.action());
        out.putObject("x-kubernetes-group-version-kind").put("group", op.group()).put("kind", op.kind()).put("version", op.version());
        return out;
    }

    /**
     * {@code #/definitions/X} → {@code #/components/schemas/X}, in place; a reference with siblings (a property's
     * description) becomes {@code allOf: [{$ref}]} beside them, since OpenAPI 3.0 ignores the siblings of $ref.
     */
    static JsonNode rewriteRefs(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(OpenApiDefinitions.REF_PREFIX)) {
                TextNode target = new TextNode(REF_PREFIX + ref.asText().substring(OpenApiDefinitions.REF_PREFIX.length()));
                if (object.size() > 1) {
                    object.remove("$ref");
                    object.putArray("allOf").addObject().set("$ref", target);
                    if (!object.has("default")) {
                        object.putObject("default");
                    }
                } else {
                    object.set("$ref", target);
                }
                return node;
            }
            Iterator<JsonNode> children = object.elements();
            while (children.hasNext()) {
                rewriteRefs(children.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiV3::rewriteRefs);
        }
        return node;
    }
}
