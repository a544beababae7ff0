package io.kronika.schemas.auth;

/**
 * What a request asks to do, in the words RBAC decides on: a resource request (verb, API group, resource,
 * subresource, namespace, name) or a non-resource request (verb and path, e.g. {@code get /healthz}).
 */
public record RequestAttributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String resource,
                                String subresource, String namespace, String name, String path) {
    public RequestAttributes {
        apiGroup = apiGroup == null ? "" : apiGroup;
        resource = resource == null ? "" : resource;
        subresource = subresource == null ? "" : subresource;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        path = path == null ? "" : path;
    }

    public static RequestAttributes resource(UserInfo user, String verb, String apiGroup, String resource, String subresource,
                                             String namespace, String name) {
        return new RequestAttributes(user, verb, true, apiGroup, resource, subresource, namespace, name, "");
    }

    public static RequestAttributes nonResource(UserInfo user, String verb, String path) {
        return new RequestAttributes(user, verb, false, "", "", "", "", "", path);
    }

    /** {@code pods} or {@code pods/status}: how RBAC rules name a resource with its subresource. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    public RequestAttributes withUser(UserInfo other) {
        return new RequestAttributes(other, verb, resourceRequest, apiGroup, resource, subresource, namespace, name, path);
    }
}
