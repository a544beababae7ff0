package io.kronika.gateway.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code continue} of a paged list: the revision of the snapshot the first page was cut from and the last key
 * returned, so every page of one list comes from the same snapshot. Opaque to clients (base64 of JSON).
 */
public record ContinueToken(long revision, String afterKey) {
    private static final String VERSION = "kronika/v1";

    public String encode() {
        ObjectNode node = Json.newObject();
        node.put("v", VERSION);
        node.put("rv", revision);
        node.put("start", afterKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token; 400 BadRequest when it is not one of ours. */
    public static ContinueToken decode(String token) {
        try {
            JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
            if (!VERSION.equals(Json.text(node, "v")) || !node.path("rv").canConvertToLong() || !node.path("start").isTextual()) {
                throw new IllegalArgumentException("unknown token format");
            }
            long revision = node.path("rv").asLong();
            if (revision <= 0) {
                throw new IllegalArgumentException("invalid resource version");
            }
            return new ContinueToken(revision, node.path("start").asText());
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
        }
    }
}
