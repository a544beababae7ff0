package io.kronika.gateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every resource the gateway serves: the built-in ones, and those of the CustomResourceDefinitions in the view
 * (served as soon as the CRD is in the view, no longer once it is deleted).
 */
public final class ResourceCatalog {
    private static final String CRD_PREFIX = ObjectKeys.kindPrefix(BuiltinResources.CRD_GROUP, BuiltinResources.CRD_KIND);

    private final ClusterView view;
    private final Map<String, ResourceType> builtin = new LinkedHashMap<>();
    /** Parsed CRDs by key, with the revision they were parsed at. */
    private final Map<String, ParsedCrd> parsed = new ConcurrentHashMap<>();

    private record ParsedCrd(long revision, List<ResourceType> served) {
    }

    /** The groups and versions served, each with its resources; preferred version first within a group. */
    public record Group(String name, List<String> versions, Map<String, List<ResourceType>> resourcesByVersion) {
    }

    public ResourceCatalog(ClusterView view) {
        this.view = view;
        for (ResourceType type : BuiltinResources.all()) {
            builtin.put(id(type.group(), type.version(), type.plural()), type);
        }
    }

    private static String id(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    /** The resource at {@code group/version} named {@code plural}, if served now. */
    public Optional<ResourceType> find(String group, String version, String plural) {
        ResourceType type = builtin.get(id(group, version, plural));
        if (type != null) {
            return Optional.of(type);
        }
        if (group.isEmpty() || isBuiltinGroup(group)) {
            return Optional.empty();
        }
        String key = ObjectKeys.of(BuiltinResources.CRD_GROUP, BuiltinResources.CRD_KIND, "",
                CustomResourceDefinitions.crdName(group, plural));
        return view.get(key).flatMap(crd -> parse(crd).stream().filter(t -> t.version().equals(version)).findFirst());
    }

    /** The CRD's {@code spec.versions[]} entry that serves a custom resource type, or null. */
    public JsonNode crdVersion(ResourceType type) {
        if (!type.custom()) {
            return null;
        }
        String key = ObjectKeys.of(BuiltinResources.CRD_GROUP, BuiltinResources.CRD_KIND, "",
                CustomResourceDefinitions.crdName(type.group(), type.plural()));
        return view.get(key).map(crd -> {
            for (JsonNode version : Json.object(crd.json()).path("spec").path("versions")) {
                if (type.version().equals(version.path("name").asText())) {
                    return version;
                }
            }
            return null;
        }).orElse(null);
    }

    public boolean isBuiltinGroup(String group) {
        return BuiltinResources.groups().contains(group);
    }

    private List<ResourceType> parse(StoredObject crd) {
        ParsedCrd cached = parsed.get(crd.key());
        if (cached != null && cached.revision() == crd.revision()) {
            return cached.served();
        }
        List<ResourceType> served;
        try {
            served = CustomResourceDefinitions.servedVersions(Json.MAPPER.readTree(crd.json()));
        } catch (Exception e) {
            served = List.of();
        }
        parsed.put(crd.key(), new ParsedCrd(crd.revision(), served));
        return served;
    }

    /** Every served group (core, as "", first), for discovery. */
    public List<Group> groups() {
        Map<String, Map<String, List<ResourceType>>> byGroup = new LinkedHashMap<>();
        for (ResourceType type : builtin.values()) {
            byGroup.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(type.version(), v -> new ArrayList<>()).add(type);
        }
        for (ResourceType type : customResources()) {
            if (isBuiltinGroup(type.group())) {
                continue;
            }
            byGroup.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(type.version(), v -> new ArrayList<>()).add(type);
        }
        List<Group> groups = new ArrayList<>();
        byGroup.forEach((name, versions) -> {
            List<String> ordered = new ArrayList<>(versions.keySet());
            ordered.sort(Versions.BY_PRIORITY);
            groups.add(new Group(name, ordered, versions));
        });
        return groups;
    }

    public Optional<Group> group(String name) {
        return groups().stream().filter(g -> g.name().equals(name)).findFirst();
    }

    private List<ResourceType> customResources() {
        List<ResourceType> all = new ArrayList<>();
        List<StoredObject> crds = view.list(CRD_PREFIX, view.appliedRevision(), o -> true, 0, null).items();
        parsed.keySet().retainAll(crds.stream().map(StoredObject::key).toList());
        for (StoredObject crd : crds) {
            all.addAll(parse(crd));
        }
        return all;
    }
}
