package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Renders the swagger 2.0 document kube-apiserver serves at /openapi/v2. */
final class OpenApiV2 {
    private OpenApiV2() {
    }

    static ObjectNode document(String version, Map<String, List<Operation>> paths, Collection<String> builtin, Map<String, JsonNode> custom) {
        ObjectNode doc = Json.newObject();
        doc.put("swagger", "2.0");
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
                    parameters.addObject().put("uniqueItems", true).put("type", "string").put("description", name + " of the resource")
                            .put("name", name).put("in", "path").put("required", true);
                }
            }
            parameters.addObject().put("uniqueItems", true).put("type", "string").put("description", "If 'true', then the output is pretty printed.")
                    .put("name", "pretty").put("in", "query");
        });
        ObjectNode definitions = doc.putObject("definitions");
        OpenApiDefinitions source = OpenApiDefinitions.get();
        for (String name : builtin) {
            definitions.set(name, source.definition(name));
        }
        custom.forEach(definitions::set);
        doc.putObject("securityDefinitions").putObject("BearerToken").put("description", "Bearer Token authentication")
                .put("type", "apiKey").put("name", "authorization").put("in", "header");
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    private static ObjectNode operation(Operation op) {
        ObjectNode out = Json.newObject();
        out.put("description", op.description());
        ArrayNode consumes = out.putArray("consumes");
        if (op.method().equals("patch")) {
            List.of("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                    "application/apply-patch+yaml").forEach(consumes::add);
        } else {
            consumes.add("*/*");
        }
        ArrayNode produces = out.putArray("produces");
        List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf").forEach(produces::add);
        out.putArray("schemes").add("https");
        out.putArray("tags").add(op.group().isEmpty() ? "core_" + op.version() : op.group().replace('.', '_') + "_" + op.version());
        out.put("operationId", op.operationId());
        ArrayNode parameters = out.putArray("parameters");
        if (op.body() != null) {
            parameters.addObject().put("name", "body").put("in", "body").put("required", !op.method().equals("delete"))
                    .putObject("schema").put("$ref", OpenApiDefinitions.REF_PREFIX + op.body());
        }
        for (String name : op.queryParams()) {
            Parameters.Param param = Parameters.QUERY.get(name);
            parameters.addObject().put("uniqueItems", true).put("type", param.type()).put("description", param.description())
                    .put("name", name).put("in", "query");
        }
        ObjectNode responses = out.putObject("responses");
        responses.putObject("200").put("description", "OK").putObject("schema").put("$ref", OpenApiDefinitions.REF_PREFIX + op.response());
        if (op.method().equals("post") || op.method().equals("put")) {
            responses.putObject("201").put("description", "Created").putObject("schema").put("$ref", OpenApiDefinitions.REF_PREFIX + op.response());
        }
        responses.putObject("401").put("description", "Unauthorized");
        out.put("x-kubernetes-action", op.action());
        out.putObject("x-kubernetes-group-version-kind").put("group", op.group()).put("kind", op.kind()).put("version", op.version());
        return out;
    }
}
