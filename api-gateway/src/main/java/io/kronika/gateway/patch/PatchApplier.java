package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Applies a patch to an object (pure). Placeholder until the patch engines land: see the patch package. */
public final class PatchApplier {
    private PatchApplier() {
    }

    /**
     * Returns the patched copy of {@code original}; {@code group}/{@code kind} select the strategic-merge rules of
     * built-in kinds. Malformed patches → ApiException 400 (BadRequest) or 422 (Invalid) naming the problem.
     */
    public static ObjectNode apply(PatchType type, ObjectNode original, JsonNode patch, String group, String kind) {
        throw new UnsupportedOperationException("patch engines not written yet");
    }
}
