package io.kronika.gateway.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.http.ApiPath;
import io.kronika.gateway.http.ObjectRenderer;
import io.kronika.gateway.http.Reply;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;

import java.util.Optional;

/**
 * Read-only: the versions of one object, newest first, as of a revision — {@code GET /history/versions/<API object
 * path>?revision=R&limit=N}, e.g. {@code /history/versions/apis/apps/v1/namespaces/default/deployments/web}. Walks
 * back through {@link ClusterView#getAt}: the version at R, then the one before that version's revision, and so on,
 * so it costs one view read per version, never a scan of the log. The walk stops where the object did not exist
 * (before its creation, or across a delete and re-create). The user must be allowed to {@code get} the object.
 */
public final class ObjectVersions {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final ClusterView view;
    private final ResourceCatalog catalog;

    public ObjectVersions(ClusterView view, ResourceCatalog catalog) {
        this.view = view;
        this.catalog = catalog;
    }

    /** Throws (a 403 Status) when the requesting user may not {@code get} the object; versions are as secret as it is. */
    @FunctionalInterface
    public interface ReadCheck {
        void check(ResourceType type, String namespace, String name);
    }

    public Reply list(String apiPath, String revisionParam, String limitParam, ReadCheck readCheck) {
        ApiPath path = ApiPath.parse(apiPath).filter(p -> p.name() != null && p.subresource() == null && !p.watchPrefix())
                .orElseThrow(() -> ApiException.badRequest("/history/versions needs an object's API path after it, e.g. "
                        + "/history/versions/api/v1/namespaces/default/pods/web-1; got " + apiPath));
        ResourceType type = catalog.find(path.group(), path.version(), path.resource())
                .orElseThrow(() -> new ApiException(404, "NotFound", "the server could not find the requested resource "
                        + path.resource() + " in " + (path.group().isEmpty() ? "" : path.group() + "/") + path.version()));
        readCheck.check(type, type.namespaced() ? path.namespace() : null, path.name());
        long applied = view.appliedRevision();
        long revision = number("revision", revisionParam, applied, 1, applied);
        int limit = (int) number("limit", limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT);
        String key = type.key(type.namespaced() ? path.namespace() : null, path.name());

        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        long at = revision;
        while (items.size() < limit && at >= 1) {
            Optional<StoredObject> version = view.getAt(key, at);
            if (version.isEmpty()) {
                break;
            }
            ObjectNode item = items.addObject();
            item.put("revision", version.get().revision());
            item.set("object", ObjectRenderer.renderNode(type, version.get().json()));
            at = version.get().revision() - 1;
        }
        ObjectNode list = Json.newObject();
        list.put("kind", "ObjectVersionList");
        list.put("apiVersion", "kronika.io/v1");
        list.putObject("metadata").put("resourceVersion", Long.toString(revision));
        list.put("more", items.size() == limit && at >= 1 && view.getAt(key, at).isPresent());
        list.set("items", items);
        return Reply.json(200, list);
    }

    /** A numeric query parameter: {@code fallback} when absent, else within [min, max] or a 400 naming it. */
    static long number(String name, String value, long fallback, long min, long max) {
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max + "; got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number; got " + value);
        }
    }
}
