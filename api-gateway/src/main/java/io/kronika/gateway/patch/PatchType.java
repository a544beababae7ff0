package io.kronika.gateway.patch;

import io.kronika.gateway.api.ApiException;

/** The patch formats of PATCH requests, by Content-Type. */
public enum PatchType {
    JSON("application/json-patch+json"),
    MERGE("application/merge-patch+json"),
    STRATEGIC_MERGE("application/strategic-merge-patch+json"),
    APPLY("application/apply-patch+yaml");

    private final String contentType;

    PatchType(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The patch type of a Content-Type header (parameters ignored), or 415 UnsupportedMediaType. */
    public static PatchType fromContentType(String header) {
        String mime = header == null ? "" : header.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (PatchType type : values()) {
            if (type.contentType.equals(mime)) {
                return type;
            }
        }
        throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
    }
}
