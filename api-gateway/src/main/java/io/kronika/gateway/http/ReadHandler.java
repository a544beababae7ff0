package io.kronika.gateway.http;

import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.selection.ContinueToken;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.table.TableFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** get and list, served from the projections with read-your-writes and Kubernetes' resourceVersion semantics. */
public final class ReadHandler {
    private final GatewayContext gateway;

    public ReadHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    /** GET of one object (and of its status subresource, which is the whole object). */
    public Reply get(ApiRequest request) {
        StoredObject object = current(request);
        Optional<String> table = TableFormat.requested(request.header("Accept"));
        if (table.isPresent()) {
            ObjectNode rendered = ObjectRenderer.renderNode(request.type(), object.json());
            return tableReply(request, table.get(), List.of(rendered), Json.text(Json.metadata(rendered), "resourceVersion"), null);
        }
        return Reply.rawJson(200, ObjectRenderer.render(request.type(), object.json()));
    }

    private Reply tableReply(ApiRequest request, String apiVersion, List<ObjectNode> objects, String resourceVersion, String continueToken) {
        ObjectNode table = gateway.tables().table(request.type(), apiVersion, objects, resourceVersion, continueToken,
                request.param("includeObject"));
        return new Reply(200, TableFormat.contentType(apiVersion), Json.bytes(table));
    }

    /**
     * The current version of the addressed object after read-your-writes (or, with ?resourceVersion=N, once the view
     * has reached N; "0" serves whatever the view has); 404 when there is none.
     */
    public StoredObject current(ApiRequest request) {
        String rv = request.param("resourceVersion");
        if (rv == null) {
            gateway.readYourWrites().awaitLatestWrite();
        } else {
            long revision = ListOptions.parseRevision(rv);
            if (revision > 0) {
                gateway.readYourWrites().await(revision);
            }
        }
        return gateway.view().get(request.type().key(request.namespace(), request.name()))
                .orElseThrow(() -> ApiErrors.notFound(request.type(), request.name()));
    }

    public Reply list(ApiRequest request) {
        ListOptions options = ListOptions.from(request, false);
        long snapshot;
        String after = null;
        if (options.continueToken() != null) {
            snapshot = options.continueToken().revision();
            after = options.continueToken().afterKey();
            if (!after.startsWith(options.selection().keyPrefix())) {
                throw ApiException.badRequest("continue key is not valid: it belongs to another list");
            }
            // The token may come from another gateway whose view is ahead of this one.
            gateway.readYourWrites().await(snapshot);
        } else if (options.resourceVersion() == null) {
            snapshot = gateway.readYourWrites().awaitLatestWrite();
        } else if (options.resourceVersion() == 0) {
            snapshot = gateway.view().appliedRevision();
        } else if (options.exact()) {
            gateway.readYourWrites().await(options.resourceVersion());
            snapshot = options.resourceVersion();
        } else {
            snapshot = gateway.readYourWrites().await(options.resourceVersion());
        }
        ListPage page;
        try {
            page = gateway.view().list(options.selection().keyPrefix(), snapshot, options.selection().storedFilter(),
                    options.limit(), after);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (snapshot < gateway.view().appliedRevision()) {
                throw tooOld(options);
            }
            throw e;
        }
        String next = page.continueAfterKey() == null ? null : new ContinueToken(snapshot, page.continueAfterKey()).encode();
        Optional<String> table = TableFormat.requested(request.header("Accept"));
        if (table.isPresent()) {
            List<ObjectNode> objects = new ArrayList<>();
            page.items().forEach(item -> objects.add(ObjectRenderer.renderNode(request.type(), item.json())));
            return tableReply(request, table.get(), objects, String.valueOf(snapshot), next);
        }
        return Reply.rawJson(200, listJson(request.type(), snapshot, next, page));
    }

    private static ApiException tooOld(ListOptions options) {
        if (options.continueToken() != null) {
            return new ApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. "
                    + "You can start a new list without the continue parameter.");
        }
        return new ApiException(410, "Expired", "Timeout: Too large resource version: the requested revision is no longer available");
    }

    static String listJson(ResourceType type, long revision, String continueToken, ListPage page) {
        StringBuilder json = new StringBuilder(256 + page.items().size() * 512);
        json.append("{\"kind\":\"").append(type.listKind()).append("\",\"apiVersion\":\"").append(type.apiVersion())
                .append("\",\"metadata\":{\"resourceVersion\":\"").append(revision).append('"');
        if (continueToken != null) {
            json.append(",\"continue\":\"").append(continueToken).append('"');
        }
        json.append("},\"items\":[");
        boolean first = true;
        for (StoredObject item : page.items()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append(ObjectRenderer.render(type, item.json()));
        }
        return json.append("]}").toString();
    }
}
