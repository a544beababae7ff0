package io.kronika.gateway.patch;

/**
 * The Go types of built-in API struct fields, from the same generated table as the patch metadata
 * ({@code kronika/patch/strategies.json}), for decoders that must know what Go would have marshalled.
 */
public final class GoFieldTypes {
    private GoFieldTypes() {
    }

    /**
     * The Go type of {@code jsonName} in struct {@code structKey} (e.g. "apps/v1.DeploymentSpec", "replicas" →
     * "*int32"), or null when the table does not know the struct or field.
     */
    public static String of(String structKey, String jsonName) {
        return PatchSchema.get().fieldType(structKey, jsonName);
    }
}
