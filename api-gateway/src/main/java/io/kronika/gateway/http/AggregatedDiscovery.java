package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.catalog.Subresource;

import java.util.List;

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2, and v2beta1 for older clients): every group, version and resource
 * in one answer at /api (the core group) and /apis (the named groups), as kubectl 1.32 asks for it first.
 */
public final class AggregatedDiscovery {
    private static final String GROUP = "apidiscovery.k8s.io";

    private final GatewayContext gateway;

    public AggregatedDiscovery(GatewayContext gateway) {
        this.gateway = gateway;
    }

    /** The apidiscovery version the Accept header asks for (v2 preferred), or null for legacy discovery. */
    public static String requestedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String offer : accept.split(",")) {
            String media = offer.replace(" ", "");
            if (media.contains("as=APIGroupDiscoveryList") && media.contains("g=" + GROUP)) {
                if (media.contains("v=v2;") || media.endsWith("v=v2")) {
                    return "v2";
                }
                if (media.contains("v=v2beta1")) {
                    return "v2beta1";
                }
            }
        }
        return null;
    }

    /** The APIGroupDiscoveryList of the core group ({@code core=true}) or of every named group. */
    public Reply list(boolean core, String version) {
        if (!core) {
            gateway.readYourWrites().awaitLatestWrite();
        }
        ObjectNode out = Json.newObject();
        out.put("kind", "APIGroupDiscoveryList");
        out.put("apiVersion", GROUP + "/" + version);
        out.putObject("metadata");
        ArrayNode items = out.putArray("items");
        for (ResourceCatalog.Group group : gateway.catalog().groups()) {
            if (group.name().isEmpty() == core) {
                items.add(group(group));
            }
        }
        String contentType = "application/json;g=" + GROUP + ";v=" + version + ";as=APIGroupDiscoveryList";
        return new Reply(200, contentType, Json.bytes(out));
    }

    private static ObjectNode group(ResourceCatalog.Group group) {
        ObjectNode out = Json.newObject();
        out.putObject("metadata").put("name", group.name()).putNull("creationTimestamp");
        ArrayNode versions = out.putArray("versions");
        for (String version : group.versions()) {
            ObjectNode entry = versions.addObject();
            entry.put("version", version);
            ArrayNode resources = entry.putArray("resources");
            for (ResourceType type : group.resourcesByVersion().get(version)) {
                resources.add(resource(type));
            }
            entry.put("freshness", "Current");
        }
        return out;
    }

    private static ObjectNode resource(ResourceType type) {
        ObjectNode out = Json.newObject();
        out.put("resource", type.plural());
        out.putObject("responseKind").put("group", type.group()).put("version", type.version()).put("kind", type.kind());
        out.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
        out.put("singularResource", type.singular());
        strings(out, "verbs", type.verbs());
        if (!type.shortNames().isEmpty()) {
            strings(out, "shortNames", type.shortNames());
        }
        if (!type.categories().isEmpty()) {
            strings(out, "categories", type.categories());
        }
        List<Subresource> subresources = Subresource.of(type);
        if (!subresources.isEmpty()) {
            ArrayNode array = out.putArray("subresources");
            for (Subresource sub : subresources) {
                ObjectNode entry = array.addObject();
                entry.put("subresource", sub.name());
                entry.putObject("responseKind")
                        .put("group", sub.group() == null ? type.group() : sub.group())
                        .put("version", sub.version() == null ? type.version() : sub.version())
                        .put("kind", sub.kind());
                strings(entry, "verbs", sub.verbs());
            }
        }
        return out;
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }
}
