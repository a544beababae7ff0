package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.catalog.ResourceType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenAPI documents of what the gateway serves now: {@code /openapi/v2} (one swagger 2.0 document) and
 * {@code /openapi/v3} (an index of group versions, each its own OpenAPI 3.0 document). Built-in kinds take their
 * schemas from {@link OpenApiDefinitions}, custom resources from their CRD. Documents are rebuilt only when the
 * served resources change (a CRD is created, changed or deleted).
 */
public final class OpenApiDocuments {
    private final ResourceCatalog catalog;
    private final String version;
    private volatile Built built;

    private record Built(List<ResourceCatalog.Group> groups, byte[] v2, Map<String, byte[]> v3, byte[] v3Index) {
    }

    public OpenApiDocuments(ResourceCatalog catalog, String version) {
        this.catalog = catalog;
        this.version = version;
    }

    public byte[] v2() {
        return current().v2();
    }

    /** The index {@code {"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=…"}}}}. */
    public byte[] v3Index() {
        return current().v3Index();
    }

    /** The document of one group version ("api/v1", "apis/apps/v1"), if served. */
    public Optional<byte[]> v3(String groupVersionPath) {
        return Optional.ofNullable(current().v3().get(groupVersionPath));
    }

    private Built current() {
        List<ResourceCatalog.Group> groups = catalog.groups();
        Built last = built;
        if (last != null && last.groups().equals(groups)) {
            return last;
        }
        Built fresh = build(groups);
        built = fresh;
        return fresh;
    }

    private Built build(List<ResourceCatalog.Group> groups) {
        OpenApiDefinitions definitions = OpenApiDefinitions.get();
        Map<String, List<Operation>> allPaths = new LinkedHashMap<>();
        Map<String, JsonNode> customV2 = new LinkedHashMap<>();
        Set<String> builtinRoots = new HashSet<>(List.of(OpenApiDefinitions.STATUS, OpenApiDefinitions.DELETE_OPTIONS,
                OpenApiDefinitions.PATCH, OpenApiDefinitions.WATCH_EVENT));
        Map<String, byte[]> v3 = new LinkedHashMap<>();
        ObjectNode index = Json.newObject();
        ObjectNode indexPaths = index.putObject("paths");
        for (ResourceCatalog.Group group : groups) {
            for (String groupVersion : group.versions()) {
                Map<String, List<Operation>> paths = new LinkedHashMap<>();
                Map<String, JsonNode> customV3 = new LinkedHashMap<>();
                Set<String> roots = new HashSet<>(List.of(OpenApiDefinitions.STATUS, OpenApiDefinitions.DELETE_OPTIONS, OpenApiDefinitions.PATCH));
                for (ResourceType type : group.resourcesByVersion().get(groupVersion)) {
                    String object;
                    String list;
                    if (type.custom()) {
                        object = CustomResourceSchemas.name(type, type.kind());
                        list = CustomResourceSchemas.name(type, type.listKind());
                        customV2.putAll(CustomResourceSchemas.definitions(type, true));
                        customV3.putAll(CustomResourceSchemas.definitions(type, false));
                        roots.add(OpenApiDefinitions.OBJECT_META);
                        roots.add(OpenApiDefinitions.LIST_META);
                    } else {
                        Optional<String> found = definitions.nameOf(type.group(), type.version(), type.kind());
                        if (found.isEmpty()) {
                            continue;
                        }
                        object = found.get();
                        list = definitions.nameOf(type.group(), type.version(), type.listKind()).orElse(object);
                        roots.add(object);
                        roots.add(list);
                    }
                    paths.putAll(ResourcePaths.of(type, object, list));
                }
                builtinRoots.addAll(roots);
                allPaths.putAll(paths);
                String key = group.name().isEmpty() ? "api/" + groupVersion : "apis/" + group.name() + "/" + groupVersion;
                byte[] document = Json.bytes(OpenApiV3.document(version, paths, definitions.closure(roots), customV3));
                v3.put(key, document);
                indexPaths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash(document));
            }
        }
        byte[] v2 = Json.bytes(OpenApiV2.document(version, allPaths, definitions.closure(builtinRoots), customV2));
        return new Built(new ArrayList<>(groups), v2, v3, Json.bytes(index));
    }

    private static String hash(byte[] document) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
