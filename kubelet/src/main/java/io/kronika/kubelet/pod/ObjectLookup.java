package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** The objects a pod refers to (ConfigMaps, Secrets), read from the cluster's view. */
@FunctionalInterface
public interface ObjectLookup {
    Optional<JsonNode> get(String kind, String namespace, String name);

    /** Every object of a core kind in a namespace (the Services for service environment variables); none by default. */
    default java.util.List<JsonNode> list(String kind, String namespace) {
        return java.util.List.of();
    }
}
