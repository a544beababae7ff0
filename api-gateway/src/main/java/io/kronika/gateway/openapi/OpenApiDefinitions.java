package io.kronika.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The OpenAPI v2 definitions of the built-in kinds, generated from kube-apiserver 1.32.4's own document (see
 * {@code kronika/openapi/README.md}); looked up by name or by group, version and kind.
 */
public final class OpenApiDefinitions {
    static final String RESOURCE = "/kronika/openapi/definitions.json";
    public static final String REF_PREFIX = "#/definitions/";
    public static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    public static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
    public static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    public static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
    public static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    public static final String WATCH_EVENT = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";
    private static volatile OpenApiDefinitions instance;

    private final ObjectNode definitions;
    private final Map<String, String> byGvk = new HashMap<>();

    private OpenApiDefinitions(ObjectNode definitions) {
        this.definitions = definitions;
        Iterator<Map.Entry<String, JsonNode>> all = definitions.fields();
        while (all.hasNext()) {
            Map.Entry<String, JsonNode> entry = all.next();
            for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                byGvk.putIfAbsent(gvk.path("group").asText() + "/" + gvk.path("version").asText() + "/" + gvk.path("kind").asText(),
                        entry.getKey());
            }
        }
    }

    public static OpenApiDefinitions get() {
        OpenApiDefinitions loaded = instance;
        if (loaded == null) {
            synchronized (OpenApiDefinitions.class) {
                if (instance == null) {
                    try (InputStream in = OpenApiDefinitions.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("missing resource " + RESOURCE);
                        }
                        instance = new OpenApiDefinitions((ObjectNode) Json.MAPPER.readTree(in).get("definitions"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                loaded = instance;
            }
        }
        return loaded;
    }

    /** The definition named {@code name} (not to be modified), or null. */
    public JsonNode definition(String name) {
        return definitions.get(name);
    }

    /** The definition name of a built-in kind, e.g. {@code io.k8s.api.apps.v1.Deployment}. */
    public Optional<String> nameOf(String group, String version, String kind) {
        return Optional.ofNullable(byGvk.get(group + "/" + version + "/" + kind));
    }

    /** {@code roots} and every definition they reference, sorted by name. */
    public TreeSet<String> closure(Collection<String> roots) {
        TreeSet<String> out = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            JsonNode definition = definitions.get(name);
            if (definition != null && out.add(name)) {
                references(definition, pending);
            }
        }
        return out;
    }

    static void references(JsonNode node, Deque<String> pending) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(REF_PREFIX)) {
                pending.add(ref.asText().substring(REF_PREFIX.length()));
            }
            node.forEach(child -> references(child, pending));
        } else if (node.isArray()) {
            node.forEach(child -> references(child, pending));
        }
    }
}
