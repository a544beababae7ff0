package io.kronika.gateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the resources a CustomResourceDefinition (apiextensions.k8s.io/v1) asks to serve. */
public final class CustomResourceDefinitions {
    private CustomResourceDefinitions() {
    }

    /** The CRD's name for a resource: {@code <plural>.<group>}. */
    public static String crdName(String group, String plural) {
        return plural + "." + group;
    }

    /** One entry per served version, highest priority first; empty when the CRD serves nothing usable. */
    public static List<ResourceType> servedVersions(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asText("");
        String kind = names.path("kind").asText("");
        if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) {
            return List.of();
        }
        String singular = names.path("singular").asText("");
        if (singular.isEmpty()) {
            singular = kind.toLowerCase(Locale.ROOT);
        }
        String listKind = names.path("listKind").asText("");
        if (listKind.isEmpty()) {
            listKind = kind + "List";
        }
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
        List<ResourceType> served = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(false)) {
                continue;
            }
            JsonNode subresources = version.path("subresources");
            boolean status = subresources.has("status");
            ScaleSpec scale = null;
            JsonNode scaleNode = subresources.get("scale");
            if (scaleNode != null && scaleNode.isObject()) {
                scale = new ScaleSpec(scaleNode.path("specReplicasPath").asText(".spec.replicas"),
                        scaleNode.path("statusReplicasPath").asText(".status.replicas"),
                        scaleNode.path("labelSelectorPath").asText(""), ScaleSpec.SelectorStyle.STRING);
            }
            JsonNode schema = version.path("schema").get("openAPIV3Schema");
            served.add(new ResourceType(group, version.path("name").asText(), plural, singular, kind, listKind, namespaced,
                    strings(names.path("shortNames")), strings(names.path("categories")), ResourceType.ALL_VERBS,
                    status, scale, false, true, false, schema, true));
        }
        served.sort((a, b) -> Versions.BY_PRIORITY.compare(a.version(), b.version()));
        return served;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
