package io.kronika.gateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.util.List;

/**
 * One resource as served at one group/version: names, scope, verbs and subresources, and for custom resources the
 * schema that validates them.
 *
 * @param statusSubresource     the resource has a {@code /status} endpoint: writes to the main resource keep the
 *                              stored status, and status changes only through it
 * @param scale                 the {@code /scale} subresource, or null
 * @param podSubresources       {@code /binding} and {@code /eviction} (pods only)
 * @param returnDeletedObject   an immediate delete answers with the deleted object rather than a Status
 * @param allowUnconditionalUpdate  a PUT without metadata.resourceVersion is accepted (false for custom resources)
 * @param openApiV3Schema       the custom resource's schema for this version (null for built-in kinds)
 */
public record ResourceType(String group, String version, String plural, String singular, String kind, String listKind,
                           boolean namespaced, List<String> shortNames, List<String> categories, List<String> verbs,
                           boolean statusSubresource, ScaleSpec scale, boolean podSubresources,
                           boolean returnDeletedObject, boolean allowUnconditionalUpdate, JsonNode openApiV3Schema,
                           boolean custom) {
    public static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        verbs = List.copyOf(verbs);
    }

    /** {@code v1} for the core group, {@code group/version} otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean allows(String verb) {
        return verbs.contains(verb);
    }

    /** The resource as Kubernetes names it in messages: {@code pods}, {@code deployments.apps}. */
    public String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The kind as Kubernetes names it in Invalid messages: {@code Pod}, {@code Deployment.apps}. */
    public String qualifiedKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    public ObjectRef ref(String namespace, String name) {
        return ObjectKeys.ref(group, kind, namespaced ? namespace : "", name);
    }

    public String key(String namespace, String name) {
        return ObjectKeys.of(ref(namespace, name));
    }

    /** Prefix of the keys of this resource in {@code namespace}, or in every namespace when it is null. */
    public String keyPrefix(String namespace) {
        return namespaced && namespace != null ? ObjectKeys.namespacePrefix(group, kind, namespace) : ObjectKeys.kindPrefix(group, kind);
    }

    /** The same resource served at another version (custom resources serve several). */
    public ResourceType atVersion(String otherVersion, JsonNode schema, boolean status, ScaleSpec otherScale) {
        return new ResourceType(group, otherVersion, plural, singular, kind, listKind, namespaced, shortNames, categories,
                verbs, status, otherScale, podSubresources, returnDeletedObject, allowUnconditionalUpdate, schema, custom);
    }
}
