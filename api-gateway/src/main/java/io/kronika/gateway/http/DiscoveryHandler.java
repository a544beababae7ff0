package io.kronika.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.gateway.catalog.Subresource;

import java.util.List;
import java.util.Locale;

/**
 * Legacy (non-aggregated) discovery and the version: /version, /api, /api/v1, /apis, /apis/{group} and
 * /apis/{group}/{version}, listing built-in resources and those of the CRDs in the view.
 */
public final class DiscoveryHandler {
    private final GatewayContext gateway;

    public DiscoveryHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    public Reply version() {
        String gitVersion = gateway.settings().version();
        String[] numbers = gitVersion.replaceFirst("^v", "").split("[.+-]");
        ObjectNode version = Json.newObject();
        version.put("major", numbers.length > 0 ? numbers[0] : "1");
        version.put("minor", numbers.length > 1 ? numbers[1] : "0");
        version.put("gitVersion", gitVersion);
        version.put("gitCommit", "");
        version.put("gitTreeState", "clean");
        version.put("buildDate", "1970-01-01T00:00:00Z");
        version.put("goVersion", "");
        version.put("compiler", "kronika");
        version.put("platform", platform());
        return Reply.json(200, version);
    }

    private static String platform() {
        String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT).split(" ")[0];
        String arch = System.getProperty("os.arch", "amd64");
        return os + "/" + (arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch);
    }

    /** /api: the legacy group's versions. */
    public Reply coreVersions(String serverAddress) {
        ObjectNode out = Json.newObject();
        out.put("kind", "APIVersions");
        out.putArray("versions").add("v1");
        out.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return Reply.json(200, out);
    }

    /** /apis: every named group. */
    public Reply groups() {
        gateway.readYourWrites().awaitLatestWrite();
        ObjectNode out = Json.newObject();
        out.put("kind", "APIGroupList");
        out.put("apiVersion", "v1");
        ArrayNode groups = out.putArray("groups");
        for (ResourceCatalog.Group group : gateway.catalog().groups()) {
            if (!group.name().isEmpty()) {
                groups.add(groupJson(group));
            }
        }
        return Reply.json(200, out);
    }

    /** /apis/{group}. */
    public Reply group(String name) {
        gateway.readYourWrites().awaitLatestWrite();
        ResourceCatalog.Group group = gateway.catalog().group(name).filter(g -> !g.name().isEmpty())
                .orElseThrow(ApiErrors::pathNotFound);
        ObjectNode out = groupJson(group);
        ObjectNode typed = Json.newObject();
        typed.put("kind", "APIGroup");
        typed.put("apiVersion", "v1");
        typed.setAll(out);
        return Reply.json(200, typed);
    }

    /** /api/v1 (group "") or /apis/{group}/{version}. */
    public Reply resources(String groupName, String version) {
        if (!groupName.isEmpty()) {
            gateway.readYourWrites().awaitLatestWrite();
        }
        ResourceCatalog.Group group = gateway.catalog().group(groupName).orElseThrow(ApiErrors::pathNotFound);
        List<ResourceType> types = group.resourcesByVersion().get(version);
        if (types == null) {
            throw ApiErrors.pathNotFound();
        }
        ObjectNode out = Json.newObject();
        out.put("kind", "APIResourceList");
        out.put("apiVersion", "v1");
        out.put("groupVersion", groupName.isEmpty() ? version : groupName + "/" + version);
        ArrayNode resources = out.putArray("resources");
        for (ResourceType type : types) {
            ObjectNode resource = resources.addObject();
            resource.put("name", type.plural());
            resource.put("singularName", type.singular());
            resource.put("namespaced", type.namespaced());
            resource.put("kind", type.kind());
            ArrayNode verbs = resource.putArray("verbs");
            type.verbs().forEach(verbs::add);
            if (!type.shortNames().isEmpty()) {
                ArrayNode shortNames = resource.putArray("shortNames");
                type.shortNames().forEach(shortNames::add);
            }
            if (!type.categories().isEmpty()) {
                ArrayNode categories = resource.putArray("categories");
                type.categories().forEach(categories::add);
            }
            for (Subresource sub : Subresource.of(type)) {
                subresource(resources, type, sub);
            }
        }
        return Reply.json(200, out);
    }

    private static void subresource(ArrayNode resources, ResourceType type, Subresource sub) {
        ObjectNode resource = resources.addObject();
        resource.put("name", type.plural() + "/" + sub.name());
        resource.put("singularName", "");
        resource.put("namespaced", type.namespaced());
        if (sub.group() != null) {
            resource.put("group", sub.group());
            resource.put("version", sub.version());
        }
        resource.put("kind", sub.kind());
        ArrayNode array = resource.putArray("verbs");
        sub.verbs().forEach(array::add);
    }

    private static ObjectNode groupJson(ResourceCatalog.Group group) {
        ObjectNode out = Json.newObject();
        out.put("name", group.name());
        ArrayNode versions = out.putArray("versions");
        for (String version : group.versions()) {
            versions.addObject().put("groupVersion", group.name() + "/" + version).put("version", version);
        }
        out.putObject("preferredVersion").put("groupVersion", group.name() + "/" + group.versions().get(0))
                .put("version", group.versions().get(0));
        return out;
    }
}
