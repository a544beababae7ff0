package io.kronika.gateway.openapi;

import java.util.List;
import java.util.Map;

/** The query parameters of the operations, with kube-apiserver's types and descriptions (shortened). */
final class Parameters {
    record Param(String type, String description) {
    }

    static final Map<String, Param> QUERY = Map.ofEntries(
            Map.entry("pretty", new Param("string", "If 'true', then the output is pretty printed.")),
            Map.entry("dryRun", new Param("string", "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed")),
            Map.entry("fieldManager", new Param("string", "fieldManager is a name associated with the actor or entity that is making these changes.")),
            Map.entry("fieldValidation", new Param("string", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.")),
            Map.entry("force", new Param("boolean", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.")),
            Map.entry("gracePeriodSeconds", new Param("integer", "The duration in seconds before the object should be deleted.")),
            Map.entry("propagationPolicy", new Param("string", "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'.")),
            Map.entry("orphanDependents", new Param("boolean", "Deprecated: please use the PropagationPolicy.")),
            Map.entry("allowWatchBookmarks", new Param("boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\".")),
            Map.entry("continue", new Param("string", "The continue option should be set when retrieving more results from the server.")),
            Map.entry("fieldSelector", new Param("string", "A selector to restrict the list of returned objects by their fields.")),
            Map.entry("labelSelector", new Param("string", "A selector to restrict the list of returned objects by their labels.")),
            Map.entry("limit", new Param("integer", "limit is a maximum number of responses to return for a list call.")),
            Map.entry("resourceVersion", new Param("string", "resourceVersion sets a constraint on what resource versions a request may be served from.")),
            Map.entry("resourceVersionMatch", new Param("string", "resourceVersionMatch determines how resourceVersion is applied to list calls.")),
            Map.entry("sendInitialEvents", new Param("boolean", "`sendInitialEvents=true` may be set together with `watch=true`.")),
            Map.entry("timeoutSeconds", new Param("integer", "Timeout for the list/watch call.")),
            Map.entry("watch", new Param("boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.")));

    static final List<String> LIST = List.of("allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit",
            "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch");
    static final List<String> CREATE = List.of("dryRun", "fieldManager", "fieldValidation");
    static final List<String> PATCH = List.of("dryRun", "fieldManager", "fieldValidation", "force");
    static final List<String> DELETE = List.of("dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy");
    static final List<String> DELETE_COLLECTION = List.of("continue", "dryRun", "fieldSelector", "gracePeriodSeconds", "labelSelector",
            "limit", "orphanDependents", "propagationPolicy", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds");

    private Parameters() {
    }
}
