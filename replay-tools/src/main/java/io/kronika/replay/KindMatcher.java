package io.kronika.replay;

import io.kronika.schemas.ObjectRef;

import java.util.Locale;

/**
 * Matches a kind as people type it: {@code Pod}, {@code pod}, {@code pods}, {@code deployment.apps},
 * {@code deployments.apps}. A name with a dot is kind.group.
 */
public record KindMatcher(String kind, String group) {
    public static KindMatcher parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        int dot = s.indexOf('.');
        return dot < 0 ? new KindMatcher(s.trim(), null) : new KindMatcher(s.substring(0, dot).trim(), s.substring(dot + 1).trim());
    }

    public boolean matches(ObjectRef ref) {
        if (group != null && !group.equalsIgnoreCase(ref.getGroup())) {
            return false;
        }
        String want = kind.toLowerCase(Locale.ROOT);
        String have = ref.getKind().toLowerCase(Locale.ROOT);
        return have.equals(want) || (have + "s").equals(want) || (have + "es").equals(want)
                || (have.endsWith("y") && (have.substring(0, have.length() - 1) + "ies").equals(want));
    }
}
