package io.kronika.scheduler.plugins;

import java.util.List;

/** A resource a resource-scoring plugin looks at, with its weight. */
public record ResourceWeight(String name, int weight) {
    public static final List<ResourceWeight> CPU_AND_MEMORY = List.of(new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1));
}
