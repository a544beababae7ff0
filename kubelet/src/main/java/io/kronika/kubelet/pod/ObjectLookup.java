package io.kronika.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** The objects a pod refers to (ConfigMaps, Secrets), read from the cluster's view. */
@FunctionalInterface
public interface ObjectLookup {
    Optional<JsonNode> get(String kind, String namespace, String name);
}
