package io.kronika.schemas.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * An authenticated (or anonymous) user as Kubernetes knows it: a name, an optional uid and groups. Every
 * authenticated user is in {@code system:authenticated}; the anonymous user is {@code system:anonymous} in
 * {@code system:unauthenticated}.
 */
public record UserInfo(String name, String uid, List<String> groups) {
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String MASTERS = "system:masters";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of(UNAUTHENTICATED));

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
    }

    /** An authenticated user: {@code groups} plus system:authenticated (once). */
    public static UserInfo authenticated(String name, String uid, List<String> groups) {
        List<String> all = new ArrayList<>(groups);
        if (!all.contains(AUTHENTICATED)) {
            all.add(AUTHENTICATED);
        }
        return new UserInfo(name, uid, all);
    }

    /** A service account's user: system:serviceaccount:NS:NAME in system:serviceaccounts and system:serviceaccounts:NS. */
    public static UserInfo serviceAccount(String namespace, String name, String uid) {
        return authenticated(serviceAccountName(namespace, name), uid,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace));
    }

    public static String serviceAccountName(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }

    public boolean isAnonymous() {
        return groups.contains(UNAUTHENTICATED);
    }
}
