package io.kronika.gateway.table;

import java.util.Optional;

/**
 * Content negotiation for tables: the meta.k8s.io Table version the Accept header asks for, when its first offer
 * the gateway can serve is a Table ({@code application/json;as=Table;v=v1;g=meta.k8s.io}).
 */
public final class TableFormat {
    private TableFormat() {
    }

    public static Optional<String> requested(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String offer : accept.split(",")) {
            String media = offer.replace(" ", "");
            if (media.contains("as=Table") && media.contains("g=meta.k8s.io")) {
                if (media.contains("v=v1beta1")) {
                    return Optional.of("meta.k8s.io/v1beta1");
                }
                if (media.contains("v=v1")) {
                    return Optional.of("meta.k8s.io/v1");
                }
                continue;
            }
            String type = media.split(";")[0];
            if (!media.contains("as=") && (type.equals("application/json") || type.equals("*/*") || type.equals("application/*"))) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The Content-Type of a Table answer. */
    public static String contentType(String apiVersion) {
        return "application/json;as=Table;v=" + apiVersion.substring(apiVersion.indexOf('/') + 1) + ";g=meta.k8s.io";
    }
}
