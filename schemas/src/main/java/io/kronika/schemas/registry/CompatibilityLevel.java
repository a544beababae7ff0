package io.kronika.schemas.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * Confluent's schema compatibility levels. BACKWARD: a reader with the new schema reads data written with the
 * old ones; FORWARD: readers with the old schemas read data written with the new one; FULL: both. The
 * {@code _TRANSITIVE} levels check against every earlier version, the others against the latest only.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The new schema must read data written with the earlier ones. */
    public boolean backward() {
        return backward;
    }

    /** The earlier schemas must read data written with the new one. */
    public boolean forward() {
        return forward;
    }

    /** Checked against every earlier version rather than the latest only. */
    public boolean transitive() {
        return transitive;
    }

    /** The level named {@code name} (case-insensitive), or empty for anything else, null included. */
    public static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
