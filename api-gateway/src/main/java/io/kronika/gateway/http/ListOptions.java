package io.kronika.gateway.http;

import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import io.kronika.gateway.selection.ContinueToken;
import io.kronika.gateway.selection.FieldSelector;
import io.kronika.gateway.selection.LabelSelector;
import io.kronika.gateway.selection.Selection;

import java.util.List;

/**
 * The query of a list or watch (metav1.ListOptions), checked as kube-apiserver checks it.
 *
 * @param resourceVersion   null when unset, otherwise the revision (0 for "any")
 * @param exact             resourceVersionMatch=Exact
 * @param sendInitialEvents null when unset
 */
public record ListOptions(Selection selection, int limit, ContinueToken continueToken, Long resourceVersion, boolean exact,
                          boolean allowWatchBookmarks, Long timeoutSeconds, Boolean sendInitialEvents) {
    public static final String NOT_OLDER_THAN = "NotOlderThan";
    public static final String EXACT = "Exact";

    public static ListOptions from(ApiRequest request, boolean watch) {
        LabelSelector labels = LabelSelector.parse(request.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(request.param("fieldSelector"), request.type());
        if (request.name() != null) {
            // The legacy /watch/…/{name} path watches one object.
            String pinned = "metadata.name=" + request.name().replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
            String given = request.param("fieldSelector");
            fields = FieldSelector.parse(given == null ? pinned : given + "," + pinned, request.type());
        }
        Selection selection = new Selection(request.type(), request.namespace(), labels, fields);

        String rvText = request.param("resourceVersion");
        Long resourceVersion = rvText == null ? null : parseRevision(rvText);
        String match = request.param("resourceVersionMatch");
        String continueText = request.param("continue");
        Boolean sendInitialEvents = request.param("sendInitialEvents") == null ? null : request.flag("sendInitialEvents");
        boolean bookmarks = request.flag("allowWatchBookmarks");

        if (match != null) {
            if (!match.equals(NOT_OLDER_THAN) && !match.equals(EXACT)) {
                throw ApiErrors.invalidOptions("ListOptions", FieldError.notSupported("resourceVersionMatch", match, List.of(NOT_OLDER_THAN, EXACT)));
            }
            if (resourceVersion == null && sendInitialEvents == null) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (continueText != null) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (match.equals(EXACT) && resourceVersion != null && resourceVersion == 0) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
            if (watch && sendInitialEvents == null) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
        }
        if (sendInitialEvents != null) {
            if (!watch) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
            }
            if (!NOT_OLDER_THAN.equals(match)) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("resourceVersionMatch",
                        "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }
            if (sendInitialEvents && !bookmarks) {
                throw ApiErrors.invalidOptions("ListOptions", forbidden("allowWatchBookmarks",
                        "sendInitialEvents requires setting allowWatchBookmarks to true"));
            }
        }
        ContinueToken token = null;
        if (continueText != null && !watch) {
            if (resourceVersion != null && resourceVersion != 0) {
                throw ApiException.badRequest("specifying resource version is not allowed when using continue");
            }
            token = ContinueToken.decode(continueText);
        }
        long limit = request.longParam("limit", 0);
        Long timeout = request.param("timeoutSeconds") == null ? null : request.longParam("timeoutSeconds", 0);
        return new ListOptions(selection, (int) Math.max(0, Math.min(limit, Integer.MAX_VALUE)), token, resourceVersion,
                EXACT.equals(match), bookmarks, timeout, sendInitialEvents);
    }

    static long parseRevision(String text) {
        try {
            long revision = Long.parseLong(text);
            if (revision < 0) {
                throw new NumberFormatException();
            }
            return revision;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: \"" + text + "\"");
        }
    }

    private static FieldError forbidden(String field, String detail) {
        return new FieldError("FieldValueForbidden", field, "Forbidden: " + detail);
    }
}
