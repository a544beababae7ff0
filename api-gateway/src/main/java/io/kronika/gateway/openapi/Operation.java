package io.kronika.gateway.openapi;

import java.util.List;

/**
 * One operation of a path, in neutral form for both OpenAPI versions.
 *
 * @param method        get, put, post, patch or delete
 * @param action        x-kubernetes-action (get, list, watch, post, put, patch, delete, deletecollection)
 * @param body          definition name of the request body, or null
 * @param response      definition name of the 200 answer
 * @param queryParams   names of the query parameters (see {@link Parameters})
 */
record Operation(String method, String operationId, String action, String group, String version, String kind, String body,
                 String response, List<String> queryParams, String description) {
}
