package io.kronika.gateway.http;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.auth.AccessControl;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.schemas.auth.UserInfo;
import io.vertx.core.MultiMap;

/**
 * One resolved API request: the verb (Kubernetes' words: get, list, watch, create, update, patch, delete,
 * deletecollection), the resource it addresses and everything the handlers read. Immutable once built, so
 * handlers may run on any thread.
 */
public final class ApiRequest {
    private final String method;
    private final String verb;
    private final ApiPath path;
    private final ResourceType type;
    private final MultiMap query;
    private final MultiMap headers;
    private final byte[] body;
    private final UserInfo user;
    private final AccessControl access;

    public ApiRequest(String method, String verb, ApiPath path, ResourceType type, MultiMap query, MultiMap headers, byte[] body) {
        this(method, verb, path, type, query, headers, body, null);
    }

    /** {@code user}: who sent it, null when the gateway does not authenticate. */
    public ApiRequest(String method, String verb, ApiPath path, ResourceType type, MultiMap query, MultiMap headers, byte[] body,
                      UserInfo user) {
        this(method, verb, path, type, query, headers, body, user, AccessControl.disabled());
    }

    /** {@code access}: the authorizer the write handlers ask what only the written object shows (RBAC escalation). */
    public ApiRequest(String method, String verb, ApiPath path, ResourceType type, MultiMap query, MultiMap headers, byte[] body,
                      UserInfo user, AccessControl access) {
        this.user = user;
        this.access = access;
        this.method = method;
        this.verb = verb;
        this.path = path;
        this.type = type;
        this.query = query;
        this.headers = headers;
        this.body = body == null ? new byte[0] : body;
    }

    public String method() { return method; }
    public String verb() { return verb; }
    public ApiPath path() { return path; }
    public ResourceType type() { return type; }
    public byte[] body() { return body; }
    public MultiMap headers() { return headers; }
    /** The authenticated user, or null when the gateway does not authenticate. */
    public UserInfo user() { return user; }
    public AccessControl access() { return access; }

    /** The namespace of the request: from the path, or for a namespace itself its own name; null for none. */
    public String namespace() {
        return path.namespace();
    }

    public String name() {
        return path.name();
    }

    public String subresource() {
        return path.subresource();
    }

    /** First value of a query parameter, or null. */
    public String param(String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Every query parameter, repeated ones included, in request order. */
    public java.util.List<java.util.Map.Entry<String, String>> queryEntries() {
        return query.entries();
    }

    public boolean flag(String name) {
        String value = param(name);
        return value != null && (value.equals("true") || value.equals("1"));
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The dryRun query parameter: only "All" is known, as in Kubernetes. */
    public boolean dryRun() {
        boolean dryRun = false;
        for (String value : query.getAll("dryRun")) {
            if (value.equals("All")) {
                dryRun = true;
            } else if (!value.isEmpty()) {
                throw new ApiException(400, "BadRequest", "Invalid dryRun value: \"" + value + "\": supported values: \"All\"");
            }
        }
        return dryRun;
    }

    /** Integer query parameter, or {@code fallback} when absent; 400 when it is not a number. */
    public long longParam(String name, long fallback) {
        String value = param(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid value for " + name + ": \"" + value + "\" is not an integer");
        }
    }
}
