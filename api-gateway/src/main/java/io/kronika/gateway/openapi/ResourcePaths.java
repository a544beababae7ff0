package io.kronika.gateway.openapi;

import io.kronika.gateway.catalog.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The REST paths and operations of one served resource, as kube-apiserver documents them. */
final class ResourcePaths {
    private ResourcePaths() {
    }

    /**
     * Path → operations for {@code type}; {@code object} and {@code list} are the definition names of its kind and
     * list kind.
     */
    static Map<String, List<Operation>> of(ResourceType type, String object, String list) {
        Map<String, List<Operation>> paths = new LinkedHashMap<>();
        String root = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        String scope = type.namespaced() ? "/namespaces/{namespace}/" : "/";
        String id = groupId(type) + (type.namespaced() ? "Namespaced" : "") + type.kind();
        String collection = root + scope + type.plural();
        String item = collection + "/{name}";
        boolean creates = type.allows("create");
        List<Operation> collectionOps = new ArrayList<>();
        if (type.allows("list")) {
            collectionOps.add(op(type, "get", "list" + id, "list", null, list, Parameters.LIST, "list or watch objects of kind " + type.kind()));
        }
        if (creates) {
            collectionOps.add(op(type, "post", "create" + id, "post", object, object, Parameters.CREATE, "create a " + type.kind()));
        }
        if (type.allows("deletecollection")) {
            collectionOps.add(op(type, "delete", "deletecollection" + id, "deletecollection", OpenApiDefinitions.DELETE_OPTIONS,
                    OpenApiDefinitions.STATUS, Parameters.DELETE_COLLECTION, "delete collection of " + type.kind()));
        }
        if (!collectionOps.isEmpty()) {
            paths.put(collection, collectionOps);
        }
        if (type.allows("get")) {
            List<Operation> itemOps = new ArrayList<>();
            itemOps.add(op(type, "get", "read" + id, "get", null, object, List.of(), "read the specified " + type.kind()));
            if (type.allows("update")) {
                itemOps.add(op(type, "put", "replace" + id, "put", object, object, Parameters.CREATE, "replace the specified " + type.kind()));
            }
            if (type.allows("patch")) {
                itemOps.add(op(type, "patch", "patch" + id, "patch", OpenApiDefinitions.PATCH, object, Parameters.PATCH,
                        "partially update the specified " + type.kind()));
            }
            if (type.allows("delete")) {
                itemOps.add(op(type, "delete", "delete" + id, "delete", OpenApiDefinitions.DELETE_OPTIONS, OpenApiDefinitions.STATUS,
                        Parameters.DELETE, "delete a " + type.kind()));
            }
            paths.put(item, itemOps);
        }
        if (type.statusSubresource()) {
            paths.put(item + "/status", List.of(
                    op(type, "get", "read" + id + "Status", "get", null, object, List.of(), "read status of the specified " + type.kind()),
                    op(type, "put", "replace" + id + "Status", "put", object, object, Parameters.CREATE, "replace status of the specified " + type.kind()),
                    op(type, "patch", "patch" + id + "Status", "patch", OpenApiDefinitions.PATCH, object, Parameters.PATCH,
                            "partially update status of the specified " + type.kind())));
        }
        if (type.namespaced() && type.allows("list")) {
            paths.put(root + "/" + type.plural(), List.of(op(type, "get", "list" + groupId(type) + type.kind() + "ForAllNamespaces", "list",
                    null, list, Parameters.LIST, "list or watch objects of kind " + type.kind())));
        }
        return paths;
    }

    private static Operation op(ResourceType type, String method, String id, String action, String body, String response,
                                List<String> params, String description) {
        return new Operation(method, id, action, type.group(), type.version(), type.kind(), body, response, params, description);
    }

    /** {@code CoreV1}, {@code AppsV1}, {@code RbacAuthorizationV1}: the group version as operation ids spell it. */
    static String groupId(ResourceType type) {
        StringBuilder out = new StringBuilder();
        String group = type.group().isEmpty() ? "core" : type.group().replace(".k8s.io", "").replace(".apiserver", "");
        for (String part : group.split("[.-]")) {
            if (!part.isEmpty()) {
                out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return out.append(type.version().substring(0, 1).toUpperCase(Locale.ROOT)).append(type.version().substring(1)).toString();
    }
}
